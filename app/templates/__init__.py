"""The message library: versioned, approved texts for every message a citizen receives."""
