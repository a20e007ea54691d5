"""The `rank_promotions` table of the in-memory store's export and import
(`core.testing.dump`): columns as the SQL table's, in id order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from core.ranks import Promotion

if TYPE_CHECKING:
    from core.testing.store import InMemorySessionStore

PROMOTION_COLUMNS = tuple(Promotion.model_fields)


def export_promotions(store: InMemorySessionStore) -> Iterator[dict[str, Any]]:
    """The promotions in key (id) order, as the SQL table's rows."""
    for promotion_id in sorted(store._promotions):
        yield store._promotions[promotion_id].model_dump()


def add_promotion(staged: InMemorySessionStore, row: dict[str, Any]) -> bool:
    """Stage one row (strictly: dates and instants as ISO-8601 text with their offset);
    False when its id is staged already."""
    promotion = Promotion.model_validate_json(json.dumps(row), strict=True)
    for name in ("recorded_at", "corrected_at"):
        value = getattr(promotion, name)
        if value is not None and value.utcoffset() is None:
            raise ValueError(f"{name}: an instant needs its offset, e.g. 2026-12-01T09:00:00Z")
    return staged._promotions.setdefault(promotion.id, promotion) is promotion
