"""Uploads (signed upload URLs), signed download URLs for media, and the post-upload check."""
