"""Local stand-in for Supabase Realtime: private broadcast channels over Phoenix."""
