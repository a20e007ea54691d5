"""The rank use cases of `SessionService` (mixed into it: the one door stays one).

Instructors record promotions (`/promote`), admins correct or remove the latest one;
`/progress` computes a member's progress toward the next rank from the verified ledger
(`core.rank_progress`), never stored. Promotions are keyed by profile id, so linked
identities share one rank. The weekly digest tells recent instructors who became eligible
(`core.rank_digest_duty`), each member × rank once ever.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from core import rank_messages as messages
from core.audit import AuditAction
from core.audit_use_cases import Audits
from core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from core.i18n import t
from core.ids import new_id
from core.model import Member, Role, SessionFilter, TrainingSession
from core.notifier import Notifier
from core.ports import SessionStore
from core.rank_progress import counting_since, current_promotion, progress
from core.ranks import Promotion, RankLadder, RankProgress
from core.record_access import is_staff, require_reader
from core.reply_outcome import ReplyOutcome
from core.training_ledger import LedgerEntry, LedgerQuery

CONGRATULATION_KEPT = timedelta(days=30)
"""How long the congratulation's once key is kept (one DM per promotion)."""
ELIGIBLE_KEPT = timedelta(days=3650)
"""Each member × rank is told to the instructors at most once: the key is kept ten years."""
DIGEST_KEPT = timedelta(days=8)
"""A week's digest slot is claimed once (across processes, restarts)."""
INSTRUCTORS_WITHIN = timedelta(days=90)
"""The digest goes to those who taught in this long."""
DIGEST_BATCH = 200
"""Members whose progress the digest reads at once (two store reads per batch, never two
per member)."""
MEMBERS_WITHIN = timedelta(days=90)
"""The digest looks at members who trained in this long (and a congratulation is about the
member's latest class in it)."""


def _promotion_facts(promotion: Promotion) -> dict[str, Any]:
    return {
        "promotion_id": promotion.id,
        "rank": promotion.rank,
        "promoted_on": promotion.promoted_on.isoformat(),
    }


class RankUseCases:
    """Promotions, corrections, progress and the instructors' weekly digest."""

    _store: SessionStore
    _notifier: Notifier
    _rank_ladder: RankLadder
    _association_timezone: str
    _audit: Audits  # AuditUseCases'

    if TYPE_CHECKING:  # SessionService's own

        def now(self) -> datetime: ...

    def rank_ladder(self) -> RankLadder:
        """The association's rank ladder (empty: ranks are off)."""
        return self._rank_ladder

    # reading --------------------------------------------------------------------------
    async def rank_progress(self, actor: Member, member_id: str | None) -> RankProgress:
        """The member's progress toward their next rank (members: their own; instructors
        and admins: anyone's). Two reads: the promotions, then the ledger since the current
        one (`LedgerQuery(member_ids=[profile id], since=…)`)."""
        profile_id, _ = await self._member_of(actor, member_id)
        ladder = self._rank_ladder
        return await self._progress_of(profile_id, ladder, self.now())

    async def progress_reply(self, actor: Member, member_id: str | None) -> ReplyOutcome:
        """`/progress [member]`: "18/24 classes toward Yellow · 2 of 3 months at Orange"."""
        if not self._rank_ladder.steps:
            raise InvalidState(messages.ranks_off(), messages.RANKS_OFF_HINT)
        profile_id, name = await self._member_of(actor, member_id)
        result = await self._progress_of(profile_id, self._rank_ladder, self.now())
        lines = [] if member_id is None else [messages.whose(name)]
        lines.append(messages.progress_line(result))
        if result.eligible:
            lines.append(messages.eligible_line(result))
        return ReplyOutcome(action="progress", lines=lines)

    async def _progress_of(
        self, profile_id: str, ladder: RankLadder, now: datetime
    ) -> RankProgress:
        return (await self._progress_of_many([profile_id], ladder, now))[profile_id]

    async def _progress_of_many(
        self, profile_ids: list[str], ladder: RankLadder, now: datetime
    ) -> dict[str, RankProgress]:
        """The progress of several members in two reads: their promotions, then their
        attended ledger entries since the earliest counting start among them (each
        member's own start is applied by `progress`)."""
        zone = ZoneInfo(self._association_timezone)
        promotions: dict[str, list[Promotion]] = {member: [] for member in profile_ids}
        for promotion in await self._store.list_promotions(profile_ids):
            promotions.setdefault(promotion.member_id, []).append(promotion)
        starts = [counting_since(current_promotion(ladder, p), zone) for p in promotions.values()]
        earliest = None if None in starts else min(s for s in starts if s is not None)
        entries: dict[str, list[LedgerEntry]] = {member: [] for member in profile_ids}
        query = LedgerQuery(member_ids=profile_ids, since=earliest)
        async for entry in self._store.read_ledger(query):
            if entry.attended and entry.member_id in entries:  # only attended ones count
                entries[entry.member_id].append(entry)
        today = now.astimezone(zone).date()
        return {
            member: progress(
                ladder, promotions[member], entries[member], today, member_id=member, zone=zone
            )
            for member in profile_ids
        }

    # recording ------------------------------------------------------------------------
    async def record_promotion(
        self, actor: Member, member_id: str, rank: str, on: date | None = None
    ) -> ReplyOutcome:
        """`/promote`: instructors and admins record that the member reached `rank` on `on`
        (default: today in the actor's zone; never in the future). Audited; the member is
        DMed a congratulation once."""
        promotion, name = await self._store_promotion(actor, member_id, rank, on)
        return ReplyOutcome(
            action="promoted",
            lines=[messages.promoted_reply(name, promotion.rank, promotion.promoted_on)],
        )

    async def add_promotion(
        self, actor: Member, member_id: str, rank: str, on: date | None = None
    ) -> Promotion:
        """`record_promotion` answering the stored promotion (the REST API's)."""
        promotion, _ = await self._store_promotion(actor, member_id, rank, on)
        return promotion

    async def _store_promotion(
        self, actor: Member, member_id: str, rank: str, on: date | None
    ) -> tuple[Promotion, str]:
        if not is_staff(actor):
            raise PermissionDenied(
                t("Only instructors and admins can record promotions."),
                t("Type /progress to see your own progress."),
            )
        name_of_rank = self._rank_named(rank)
        day = self._promotion_day(actor, on)
        profile_id, name = await self._member_of(actor, member_id)
        now = self.now()
        promotion = Promotion(
            id=new_id(12),
            member_id=profile_id,
            rank=name_of_rank,
            promoted_on=day,
            recorded_by=actor.id,
            recorded_at=now,
        )
        await self._store.save_promotion(promotion)
        await self._audit(
            actor, AuditAction.PROMOTION, profile_id, after=_promotion_facts(promotion)
        )
        session = await self._latest_class_of(profile_id, now)
        if session is not None:
            notice = messages.congratulation(session, name_of_rank, day)
            key = f"rank-promoted:{promotion.id}"
            await self._notifier.dm_once(key, profile_id, notice, now, CONGRATULATION_KEPT)
        return promotion, name

    async def fix_promotion(
        self, actor: Member, member_id: str, rank: str, on: date | None = None
    ) -> ReplyOutcome:
        """`/promotion-fix`: admins replace the member's latest promotion (rank, and date
        when given). Audited with before and after."""
        self._require_admin(actor)
        name_of_rank = self._rank_named(rank)
        profile_id, name = await self._member_of(actor, member_id)
        latest = await self._latest_promotion(profile_id)
        day = latest.promoted_on if on is None else self._promotion_day(actor, on)
        fixed = latest.model_copy(
            update={
                "rank": name_of_rank,
                "promoted_on": day,
                "corrected_by": actor.id,
                "corrected_at": self.now(),
            }
        )
        await self._store.save_promotion(fixed)
        await self._audit(
            actor,
            AuditAction.PROMOTION_CORRECTED,
            profile_id,
            before=_promotion_facts(latest),
            after=_promotion_facts(fixed),
        )
        return ReplyOutcome(
            action="promotion_fixed", lines=[messages.corrected_reply(name, name_of_rank, day)]
        )

    async def remove_promotion(self, actor: Member, member_id: str) -> ReplyOutcome:
        """`/promotion-remove`: admins remove the member's latest promotion (audited)."""
        self._require_admin(actor)
        profile_id, name = await self._member_of(actor, member_id)
        latest = await self._latest_promotion(profile_id)
        removed = await self._store.delete_promotion(latest.id)
        if removed is None:  # another admin removed it at the same moment
            raise NotFound(t("{name} has no promotion to remove.", name=name))
        await self._audit(
            actor, AuditAction.PROMOTION_CORRECTED, profile_id, before=_promotion_facts(removed)
        )
        return ReplyOutcome(
            action="promotion_removed",
            lines=[messages.removed_reply(name, removed.rank, removed.promoted_on)],
        )

    # the weekly digest ----------------------------------------------------------------
    async def send_rank_digest(self, slot: datetime, now: datetime) -> int:
        """The digest of `slot` (once across processes): each member who became eligible
        for their next rank is claimed once ever (`rank-eligible:<member>:<rank>`), then
        every instructor of the last 90 days is DMed the list. With no such instructor
        nothing is claimed (a later digest tells them). How many members it told."""
        ladder = self._rank_ladder
        if not ladder.steps:
            return 0
        if not await self._store.claim_once(f"rank-digest:{slot.isoformat()}", now, DIGEST_KEPT):
            return 0
        names: dict[str, str] = {}
        query = LedgerQuery(since=now - MEMBERS_WITHIN)
        async for entry in self._store.read_ledger(query):
            names.setdefault(entry.member_id, entry.member_name)
        if not names:
            return 0
        readers: list[tuple[str, TrainingSession]] = []
        for instructor_id in sorted(await self._store.recent_instructors(now - INSTRUCTORS_WITHIN)):
            session = await self._latest_taught(instructor_id, now)
            if session is not None:
                readers.append((instructor_id, session))
        if not readers:  # nobody to tell: keep every member × rank for a later digest
            return 0
        told: list[tuple[str, str]] = []
        members = sorted(names)
        for start in range(0, len(members), DIGEST_BATCH):
            batch = members[start : start + DIGEST_BATCH]
            results = await self._progress_of_many(batch, ladder, now)
            for member_id in batch:
                result = results[member_id]
                if not result.eligible or result.next_rank is None:
                    continue
                key = f"rank-eligible:{member_id}:{result.next_rank}"
                if await self._store.claim_once(key, now, ELIGIBLE_KEPT):
                    told.append((names[member_id], result.next_rank))
        if not told:
            return 0
        for instructor_id, session in readers:
            notice = messages.digest(session, told)
            key = f"rank-digest:{slot.isoformat()}:{instructor_id}"
            await self._notifier.dm_once(key, instructor_id, notice, now, DIGEST_KEPT)
        return len(told)

    # helpers --------------------------------------------------------------------------
    def _require_admin(self, actor: Member) -> None:
        if actor.role is not Role.ADMIN:
            raise PermissionDenied(
                t("Only admins can correct promotions."),
                t("Ask an admin, or record a new one with /promote."),
            )

    def _rank_named(self, rank: str) -> str:
        """The ladder's spelling of `rank` (any case); InvalidInput listing the ranks."""
        ladder = self._rank_ladder
        if not ladder.steps:
            raise InvalidState(messages.ranks_off(), messages.RANKS_OFF_HINT)
        wanted = " ".join(rank.split()).casefold()
        for step in ladder.steps:
            if step.name.casefold() == wanted:
                return step.name
        raise InvalidInput(
            t('"{rank}" is not a rank of this dojo.', rank=rank[:40]),
            t("The ranks: {ranks}", ranks=messages.ladder_names(ladder)),
        )

    def _promotion_day(self, actor: Member, on: date | None) -> date:
        today = self.now().astimezone(ZoneInfo(actor.timezone)).date()
        if on is None:
            return today
        if on > today:
            raise InvalidInput(
                t("A promotion cannot be in the future ({day}).", day=on.isoformat()),
                t(
                    "Give the grading's date, e.g. {day}, or leave it out for today.",
                    day=today.isoformat(),
                ),
            )
        return on

    async def _member_of(self, actor: Member, member_id: str | None) -> tuple[str, str]:
        """The profile id and name of `member_id` (None: the actor), checking that a member
        reads only their own."""
        target = actor.id if member_id is None else member_id.strip()
        own = require_reader(
            actor,
            [target],
            t("Only instructors and admins can see another member's progress."),
            t("Type /progress for your own."),
        )
        profile = await self._store.get_profile(target)
        if profile is None:
            return target, actor.display_name if own else target
        return profile.id, profile.display_name

    async def _latest_promotion(self, profile_id: str) -> Promotion:
        promotions = await self._store.list_promotions([profile_id])
        if not promotions:
            raise NotFound(
                t("{member} has no promotion recorded.", member=profile_id),
                t("Record one with /promote."),
            )
        return promotions[-1]

    async def _latest_class_of(self, member_id: str, now: datetime) -> TrainingSession | None:
        """The member's latest class in the ledger (what a congratulation is about)."""
        last: LedgerEntry | None = None
        async for entry in self._store.read_ledger(
            LedgerQuery(member_ids=[member_id], since=now - MEMBERS_WITHIN)
        ):
            last = entry
        return None if last is None else await self._store.get_session(last.session_id)

    async def _latest_taught(self, instructor_id: str, now: datetime) -> TrainingSession | None:
        """A recent session of the instructor (what their digest is about)."""
        taught = await self._store.list_sessions(
            SessionFilter(instructor_id=instructor_id, starts_after=now - INSTRUCTORS_WITHIN)
        )
        return max(taught, key=lambda s: s.start_time, default=None)
