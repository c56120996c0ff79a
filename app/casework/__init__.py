"""SAPS casework on protected reports: acknowledgement, CAS number, referral, safe contact."""
