"""Setting up a municipality without SQL: teams, members, service areas, SLA policies."""
