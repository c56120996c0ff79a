"""The audit trail's hash chain: sealing committed entries and verifying the chain."""
