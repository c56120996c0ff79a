"""Ticket statistics for the dashboard, computed in the database as the caller sees tickets."""
