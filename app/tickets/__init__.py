"""Tickets: filing reports, the lifecycle API, routing and escalation."""
