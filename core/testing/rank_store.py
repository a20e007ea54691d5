"""The promotions part of `InMemorySessionStore` (same rules as the SQL adapter)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from core.ranks import Promotion


def promotion_order(promotion: Promotion) -> tuple[object, datetime, str]:
    """Promotions are read by `promoted_on`, then `recorded_at`, then id."""
    return (promotion.promoted_on, promotion.recorded_at, promotion.id)


class InMemoryPromotions:
    """Promotions by id; copies in and out."""

    _lock: asyncio.Lock

    def __init__(self) -> None:
        self._promotions: dict[str, Promotion] = {}

    async def save_promotion(self, promotion: Promotion) -> Promotion | None:
        """Store by id; returns the one it replaced (None: new)."""
        async with self._lock:
            replaced = self._promotions.get(promotion.id)
            self._promotions[promotion.id] = promotion.model_copy(deep=True)
            return replaced

    async def list_promotions(self, member_ids: list[str]) -> list[Promotion]:
        """These members' promotions, by `promoted_on` then `recorded_at`."""
        wanted = set(member_ids)
        found = [p for p in self._promotions.values() if p.member_id in wanted]
        return [p.model_copy(deep=True) for p in sorted(found, key=promotion_order)]

    async def delete_promotion(self, promotion_id: str) -> Promotion | None:
        """Remove one promotion; returns it (None: unknown)."""
        async with self._lock:
            return self._promotions.pop(promotion_id, None)

    def _move_promotions(self, ids: set[str], to: str) -> None:
        """Link/forget: the promotions of `ids` (and who recorded or corrected them) go to
        `to`; called under the store's lock."""
        for key, promotion in self._promotions.items():
            update = {
                field: to
                for field in ("member_id", "recorded_by", "corrected_by")
                if getattr(promotion, field) in ids
            }
            if update:
                self._promotions[key] = promotion.model_copy(update=update)

    def _drop_promotions(self, ids: set[str]) -> None:
        """Forget-me: delete the promotions of `ids`; called under the store's lock."""
        for key in [k for k, p in self._promotions.items() if p.member_id in ids]:
            del self._promotions[key]
