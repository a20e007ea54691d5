"""Text → the audit command (`/audit`), for `core.grammar`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from core.audit import AuditAction
from core.audit_commands import AuditCommand, ShowAudit
from core.i18n import t
from core.parse_context import ParseContext, member_id_arg, shown_word

FILTERS = ("actor", "action", "session", "target", "from", "to", "before")
"""The words `/audit` takes, each followed by its value (and `csv` alone, first)."""
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9:._-]{0,199}")
"""A session, member or entry id as the log shows it."""


def _id(ctx: ParseContext, word: str, value: str) -> str:
    if not _ID.fullmatch(value):
        raise ctx.error(
            t('"{value}" after {word} is not an id.', value=shown_word(value), word=word),
            t("Write it as the log shows it, e.g. /audit session s-42."),
        )
    return value


def _action(ctx: ParseContext, value: str) -> AuditAction:
    try:
        return AuditAction(value.lower())
    except ValueError:
        raise ctx.error(
            t('"{value}" is not an action.', value=shown_word(value)),
            t("Use one of: {names}.", names=", ".join(a.value for a in AuditAction)),
        ) from None


def _day(ctx: ParseContext, word: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ctx.error(
            t('"{value}" after {word} is not a date.', value=shown_word(value), word=word),
            t("Write dates as YYYY-MM-DD, e.g. /audit from 2026-01-01."),
        ) from None


def _audit(ctx: ParseContext) -> ShowAudit:
    args = list(ctx.args)
    csv = bool(args) and args[0].lower() == "csv"
    if csv:
        args.pop(0)
    values: dict[str, str] = {}
    while args:
        word = args.pop(0).lower()
        if word not in FILTERS:
            raise ctx.error(
                t('Unexpected "{word}".', word=shown_word(word)),
                t(
                    "Filter with actor <member-id>, action <name>, session <id>, "
                    "from/to YYYY-MM-DD."
                ),
            )
        key = "target" if word == "session" else word
        if key in values:
            raise ctx.error(t("{word} is given twice.", word=word))
        if not args:
            raise ctx.error(t("Missing the value after {word}.", word=word))
        values[key] = args.pop(0)
    actor = values.get("actor")
    return ShowAudit(
        actor_id=None if actor is None else member_id_arg(ctx, actor),
        action=None if "action" not in values else _action(ctx, values["action"]),
        target=None if "target" not in values else _id(ctx, "session", values["target"]),
        since=None if "from" not in values else _day(ctx, "from", values["from"]),
        until=None if "to" not in values else _day(ctx, "to", values["to"]),
        before_id=None if "before" not in values else _id(ctx, "before", values["before"]),
        csv=csv,
    )


AUDIT_PARSERS: dict[str, Callable[[ParseContext], AuditCommand]] = {"audit": _audit}
