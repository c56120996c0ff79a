"""Storage: one service (Supabase Storage or the local store) and the local gateway."""
