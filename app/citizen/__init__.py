"""The citizen web page: report, follow and track, and one's own data (POPIA)."""
