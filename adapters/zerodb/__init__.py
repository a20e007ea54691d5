"""zerodb adapter."""
