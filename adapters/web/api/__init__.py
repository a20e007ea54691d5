"""The REST API for the association's website: /api/training/sessions… and /api/events/{id}."""

from adapters.web.api.app import RestApi
from adapters.web.api.auth import BearerAuth, mint_token

__all__ = ["BearerAuth", "RestApi", "mint_token"]
