"""The live dashboard page: static HTML + JS modules, supabase-js served locally."""
