"""The municipality's own settings that its admins keep (its WhatsApp number)."""
