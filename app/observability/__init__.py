"""Operations: Prometheus metrics, request ids and structured JSON logs."""
