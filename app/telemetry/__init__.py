"""What every layer may report into without depending on anything: Prometheus counters,
the current request id, and the connection class that hands it to the database.
(app/observability serves them: /metrics, logs, the doctor.)"""
