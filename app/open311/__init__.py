"""Open311 GeoReport v2 server, one jurisdiction per municipality."""
