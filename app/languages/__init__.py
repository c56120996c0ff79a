"""The languages the platform speaks: rows of `public.languages`, never a list in code."""
