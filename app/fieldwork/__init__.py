"""Field work: a field worker takes a ticket of their team on (assigns it to themselves)."""
