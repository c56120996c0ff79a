"""Replies to the citizen: a response text from the message library, queued in their language."""
