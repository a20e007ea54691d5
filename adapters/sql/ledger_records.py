"""The training-ledger part of `SqlSessionStore` (`core.training_ledger`).

`save_ledger` is one `INSERT … ON CONFLICT (session_id, member_id) DO UPDATE` that refreshes
the minutes and the session's copy but never the verdict columns (nor the `attended` a
verdict decided): recording twice changes nothing a person decided. `set_verdict` reads the
row locked (`FOR UPDATE` on PostgreSQL, the file's write lock on SQLite) and writes its
verdict columns (the minutes stay): two verdicts at once leave one of them whole.
`read_ledger` pages by keyset on (starts_at, session_id, member_id) — one indexed query per
batch, rows built without validation (they were validated on the way in).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    String,
    and_,
    case,
    delete,
    or_,
    select,
    tuple_,
    type_coerce,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sql.engine import upsert
from adapters.sql.schema import training_ledger
from core.training_ledger import (
    VERDICT_FIELDS,
    LedgerEntry,
    LedgerQuery,
    Verdict,
    better_entry,
    tags_text,
    text_tags,
)

_l = training_ledger.c
_REFRESHED = (
    "member_name",
    "title",
    "series_id",
    "tags",
    "instructor_id",
    "starts_at",
    "session_seconds",
    "seconds_present",
    "recorded_at",
)
_COLUMNS = tuple(c.name for c in training_ledger.columns)
_KEY = (_l.starts_at, _l.session_id, _l.member_id)


def entry_to_row(entry: LedgerEntry) -> dict[str, Any]:
    """The stored row of an entry (tags as JSON text, the verdict as its value)."""
    row = entry.model_dump()
    row["tags"] = tags_text(entry.tags)
    row["verdict"] = None if entry.verdict is None else entry.verdict.value
    return row


def row_to_entry(row: Any) -> LedgerEntry:
    """Rebuild an entry from its row, validated (imports, single reads)."""
    values = dict(row)
    values["tags"] = text_tags(values["tags"])
    return LedgerEntry.model_validate(values)


_FIELDS_SET = frozenset(LedgerEntry.model_fields)
_INSTANTS = ("starts_at", "verdict_at", "recorded_at")
_new_entry = LedgerEntry.__new__
_set = object.__setattr__


@lru_cache(maxsize=4096)
def _utc_text(text: str) -> datetime:
    """An instant from its stored UTC text; cached, because a session's start and record
    time repeat on each of its members' rows (datetimes are immutable: sharing is safe)."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _raw_columns(dialect: str) -> list[Any]:
    """The table's columns for a bulk read: on SQLite the instants as their stored text
    (parsed by `datetime.fromisoformat`, several times faster than the type's own parsing);
    elsewhere as the driver returns them (aware UTC)."""
    if dialect != "sqlite":
        return [
            type_coerce(c, DateTime(timezone=True)) if c.name in _INSTANTS else c
            for c in training_ledger.columns
        ]
    return [type_coerce(c, String()) if c.name in _INSTANTS else c for c in training_ledger.columns]


@lru_cache(maxsize=4096)
def _tags(text: str) -> tuple[str, ...]:
    """Tags from their stored text (the same few texts repeat across a whole export)."""
    return tuple(text_tags(text))


def _fast_entry(row: tuple[Any, ...]) -> LedgerEntry:
    """An entry from a trusted row (read back from the table, validated on the way in),
    built without validation: what `model_construct` does, minus its per-field work — the
    export of a year reads over a million of these."""
    values = dict(zip(_COLUMNS, row, strict=True))
    if isinstance(values["starts_at"], str):  # SQLite: the instants' stored UTC text
        for name in _INSTANTS:
            text = values[name]
            values[name] = None if text is None else _utc_text(text)
    values["tags"] = list(_tags(values["tags"]))
    verdict = values["verdict"]
    if verdict is not None:
        values["verdict"] = Verdict(verdict)
    entry = _new_entry(LedgerEntry)
    _set(entry, "__dict__", values)
    # a set of its own: `model_copy(update=…)` and assignments add to it
    _set(entry, "__pydantic_fields_set__", set(_FIELDS_SET))
    _set(entry, "__pydantic_extra__", None)
    _set(entry, "__pydantic_private__", None)
    return entry


def _filters(query: LedgerQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.member_ids is not None:
        where.append(_l.member_id.in_(query.member_ids))
    if query.session_id is not None:
        where.append(_l.session_id == query.session_id)
    if query.series_id is not None:
        where.append(_l.series_id == query.series_id)
    if query.since is not None:
        where.append(_l.starts_at >= query.since)
    if query.until is not None:
        where.append(_l.starts_at < query.until)
    return where


def _after(last: LedgerEntry) -> ColumnElement[bool]:
    """Rows after `last` in (starts_at, session_id, member_id) order, written so both
    databases use the index range (a row-value comparison plus its leading column)."""
    return and_(
        _l.starts_at >= last.starts_at,
        or_(
            _l.starts_at > last.starts_at,
            tuple_(_l.session_id, _l.member_id) > tuple_(last.session_id, last.member_id),
        ),
    )


class SqlLedger:
    """Mixed into SqlSessionStore, whose transactions it uses."""

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    def _read(self, statements: int = 1) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    engine: AsyncEngine

    def _dialect_name(self) -> str:
        return self.engine.dialect.name

    async def save_ledger(self, entries: list[LedgerEntry]) -> None:
        """Store the entries in one transaction; a stored verdict is kept."""
        if not entries:
            return
        async with self._write() as connection:
            statement = upsert(connection.dialect.name, training_ledger)
            refreshed: dict[str, Any] = {name: statement.excluded[name] for name in _REFRESHED}
            refreshed["attended"] = case(
                (_l.verdict.is_(None), statement.excluded.attended), else_=_l.attended
            )
            await connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[_l.session_id, _l.member_id], set_=refreshed
                ),
                [entry_to_row(e) for e in entries],
            )

    async def set_verdict(self, entry: LedgerEntry) -> LedgerEntry | None:
        """Store `entry`'s verdict (the whole entry when missing; the row locked
        meanwhile); the entry it replaced."""
        row = entry_to_row(entry)
        where = (_l.session_id == entry.session_id, _l.member_id == entry.member_id)
        async with self._write() as connection:
            locked = select(training_ledger).where(*where)
            if connection.dialect.name == "postgresql":
                locked = locked.with_for_update()
            found = (await connection.execute(locked)).mappings().first()
            if found is None:
                inserted = await connection.execute(
                    upsert(connection.dialect.name, training_ledger)
                    .values(**row)
                    .on_conflict_do_nothing()
                )
                if inserted.rowcount:
                    return None
                found = (await connection.execute(locked)).mappings().first()  # lost a race
            decided = {name: row[name] for name in VERDICT_FIELDS}  # the minutes stay
            await connection.execute(update(training_ledger).where(*where).values(**decided))
            return None if found is None else row_to_entry(found)

    async def get_ledger_entry(self, session_id: str, member_id: str) -> LedgerEntry | None:
        """The member's entry for the session, or None."""
        query = select(training_ledger).where(
            _l.session_id == session_id, _l.member_id == member_id
        )
        async with self._read() as connection:
            found = (await connection.execute(query)).mappings().first()
        return None if found is None else row_to_entry(found)

    async def read_ledger(
        self, query: LedgerQuery, batch: int = 1000
    ) -> AsyncIterator[LedgerEntry]:
        """Matching entries in order, one keyset page of `batch` rows per query."""
        batch = max(1, batch)
        where = _filters(query)
        # After the first page the keyset is the lower bound: keeping `since` too would give
        # SQLite two lower bounds on starts_at, and it ranges from `since` on every page
        # (quadratic: the last pages of a year's export each walked the whole year).
        paged = _filters(query.model_copy(update={"since": None}))
        last: LedgerEntry | None = None
        columns = _raw_columns(self._dialect_name())
        while True:
            page: Select[Any] = select(*columns).where(*(where if last is None else paged))
            if last is not None:
                page = page.where(_after(last))
            page = page.order_by(*_KEY).limit(batch)
            async with self._read() as connection:
                rows = (await connection.execute(page)).all()
            for row in rows:
                last = _fast_entry(tuple(row))
                yield last
            if len(rows) < batch:
                return


async def move_ledger(
    connection: AsyncConnection, ids: list[str], to: str, name: str | None
) -> None:
    """Linking / forgetting, inside the caller's transaction: entries of `ids` go to `to`
    (renamed `name` when given); per session the better entry survives
    (`core.training_ledger.better_entry`, `to`'s own on a tie), the others are deleted."""
    members = [*ids, to]
    found = await connection.execute(
        select(training_ledger)
        .where(_l.member_id.in_(members))
        .order_by(_l.session_id, _l.member_id)
    )
    groups: dict[str, list[LedgerEntry]] = {}
    for row in found.mappings():
        groups.setdefault(row["session_id"], []).append(row_to_entry(row))
    for session_id, entries in groups.items():
        if len(entries) < 2:
            continue
        entries.sort(key=lambda e: e.member_id != to)  # `to`'s own first: it wins a tie
        best = entries[0]
        for entry in entries[1:]:
            best = better_entry(best, entry)
        losers = [e.member_id for e in entries if e is not best]
        await connection.execute(
            delete(training_ledger).where(_l.session_id == session_id, _l.member_id.in_(losers))
        )
    renamed: dict[str, Any] = {"member_id": to}
    if name is not None:
        renamed["member_name"] = name
    await connection.execute(update(training_ledger).where(_l.member_id.in_(ids)).values(renamed))
