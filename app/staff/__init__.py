"""The municipality's staff: who they are, their roles, and switching them off."""
