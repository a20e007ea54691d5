"""realtimekit adapter."""
