"""The REST API for the association's website: /api/training/sessions… and /api/events/{id}.

Re-exports are imported on first use (PEP 562): importing the package, or only its route
table (`paths`), builds no pydantic schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from adapters.lazy_exports import lazy_exports

if TYPE_CHECKING:
    from adapters.web.api.app import RestApi
    from adapters.web.api.auth import BearerAuth, mint_token
    from adapters.web.api.lazy import LazyRestApi

__all__ = ["BearerAuth", "LazyRestApi", "RestApi", "mint_token"]

__getattr__ = lazy_exports(
    __name__,
    {
        "BearerAuth": "adapters.web.api.auth",
        "LazyRestApi": "adapters.web.api.lazy",
        "RestApi": "adapters.web.api.app",
        "mint_token": "adapters.web.api.auth",
    },
)
