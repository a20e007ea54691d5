"""Runs a rank command for the executor (`core.executor`): every outcome is a reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.model import Member
from core.rank_commands import (
    FixPromotion,
    RankCommand,
    RecordPromotion,
    RemovePromotion,
    ShowProgress,
)
from core.reply_outcome import ReplyOutcome

if TYPE_CHECKING:
    from core.service import SessionService


async def run_rank_command(
    service: SessionService, actor: Member, command: RankCommand
) -> ReplyOutcome:
    """`/progress`, `/promote`, `/promotion-fix` or `/promotion-remove` as `actor`."""
    match command:
        case ShowProgress():
            return await service.progress_reply(actor, command.member_id)
        case RecordPromotion():
            return await service.record_promotion(
                actor, command.member_id, command.rank, command.on
            )
        case FixPromotion():
            return await service.fix_promotion(actor, command.member_id, command.rank, command.on)
        case RemovePromotion():
            return await service.remove_promotion(actor, command.member_id)
