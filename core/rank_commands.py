"""The rank commands of the shared grammar (`core.rank_grammar`).

/progress [member]                           your progress toward your next rank (staff: anyone's)
/promote <member> <rank> [YYYY-MM-DD]        instructors: record a promotion (default: today)
/promotion-fix <member> <rank> [YYYY-MM-DD]  admins: correct the member's latest promotion
/promotion-remove <member>                   admins: remove the member's latest promotion
"""

from __future__ import annotations

from datetime import date

from core.model import Model


class ShowProgress(Model):
    member_id: str | None = None
    """None: the member asking."""


class RecordPromotion(Model):
    member_id: str
    rank: str
    on: date | None = None
    """None: today in the actor's zone."""


class FixPromotion(Model):
    member_id: str
    rank: str
    on: date | None = None
    """None: the date it had."""


class RemovePromotion(Model):
    member_id: str


RankCommand = ShowProgress | RecordPromotion | FixPromotion | RemovePromotion
