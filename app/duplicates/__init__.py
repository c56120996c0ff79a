"""Duplicate reports: finding them on filing, following one, merging them."""
