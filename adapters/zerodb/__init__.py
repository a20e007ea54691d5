"""ZeroDB adapter: the SessionStore port on ZeroDB (AINative) NoSQL tables over httpx."""

from adapters.zerodb.store import ZeroDBSessionStore, open_zerodb_store

__all__ = ["ZeroDBSessionStore", "open_zerodb_store"]
