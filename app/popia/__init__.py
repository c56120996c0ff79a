"""POPIA: notices and consent, data-subject requests, export, erasure, retention, registers."""
