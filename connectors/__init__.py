"""CNAPP and scanner sources (issue 5): one client per platform, the sync engine."""
