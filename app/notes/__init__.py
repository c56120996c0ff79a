"""Internal notes on tickets: staff only, sealed like the report on protected ones."""
