"""The promotions part of `SqlSessionStore`: rank promotions (`core.ranks.Promotion`).

A promotion is written by id (insert, or replace the row with its id, in one transaction
that returns what it replaced); reads go by member through their index.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sql.schema import rank_promotions
from core.ranks import Promotion

_p = rank_promotions.c


def row_to_promotion(row: Any) -> Promotion:
    """Rebuild a promotion from its row."""
    return Promotion.model_validate(dict(row))


class SqlPromotions:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def save_promotion(self, promotion: Promotion) -> Promotion | None:
        """Store by id; returns the one it replaced (None: new)."""
        values = promotion.model_dump(mode="python")
        async with self._write() as connection:
            found = (
                (
                    await connection.execute(
                        select(rank_promotions).where(_p.id == promotion.id).with_for_update()
                    )
                )
                .mappings()
                .first()
            )
            if found is None:
                await connection.execute(rank_promotions.insert().values(**values))
                return None
            await connection.execute(
                update(rank_promotions).where(_p.id == promotion.id).values(**values)
            )
            return row_to_promotion(found)

    async def list_promotions(self, member_ids: list[str]) -> list[Promotion]:
        """These members' promotions, by `promoted_on` then `recorded_at`."""
        if not member_ids:
            return []
        query = (
            select(rank_promotions)
            .where(_p.member_id.in_(member_ids))
            .order_by(_p.promoted_on, _p.recorded_at, _p.id)
        )
        async with self._read() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [row_to_promotion(row) for row in rows]

    async def delete_promotion(self, promotion_id: str) -> Promotion | None:
        """Remove one promotion; returns it (None: unknown)."""
        async with self._write() as connection:
            rows = (
                (
                    await connection.execute(
                        delete(rank_promotions)
                        .where(_p.id == promotion_id)
                        .returning(rank_promotions)
                    )
                )
                .mappings()
                .all()
            )
        return row_to_promotion(rows[0]) if rows else None


async def move_promotions(connection: AsyncConnection, ids: list[str], to: str) -> None:
    """Link: the promotions of `ids` (and who recorded or corrected them) go to `to`."""
    for who in ("member_id", "recorded_by", "corrected_by"):
        await connection.execute(update(rank_promotions).where(_p[who].in_(ids)).values({who: to}))


async def drop_promotions(connection: AsyncConnection, ids: list[str]) -> None:
    """Forget-me: delete the promotions of `ids`."""
    await connection.execute(delete(rank_promotions).where(_p.member_id.in_(ids)))
