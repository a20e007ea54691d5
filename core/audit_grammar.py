"""Text → the audit command (`/audit`), for `core.grammar`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from core.audit import AuditAction
from core.audit_commands import AuditCommand, ShowAudit
from core.i18n import t
from core.parse_context import ParseContext, day_arg, filter_values, member_id_arg, shown_word

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
    return day_arg(ctx, value, t("Write dates as YYYY-MM-DD, e.g. /audit from 2026-01-01."), word)


def _audit(ctx: ParseContext) -> ShowAudit:
    args = list(ctx.args)
    csv = bool(args) and args[0].lower() == "csv"
    if csv:
        args.pop(0)
    hint = t("Filter with actor <member-id>, action <name>, session <id>, from/to YYYY-MM-DD.")
    values = filter_values(ctx, args, FILTERS, hint, aliases={"session": "target"})
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
