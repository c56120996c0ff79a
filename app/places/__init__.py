"""A municipality's place names (suburbs, wards, streets) with geometry, for typed addresses."""
