"""The member use cases of `SessionService` (mixed into it: the one door stays one).

Every front end calls `identify` with what its platform said about the member acting; the
profile is created or refreshed (name, zone, language, last seen) and the member comes back
as the core knows them: under their profile id when the acting identity is linked to another.
Linking takes a one-time code issued on one platform and entered on the other; forgetting
takes a one-time confirmation code. Both codes are `MemberCode`s kept by the store, so they
work across processes and restarts and are used once.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta

from core.audit import AuditAction
from core.audit_use_cases import Audits
from core.errors import Contention, InvalidInput, InvalidState, NotFound
from core.i18n import Text, t, tn
from core.ids import new_id
from core.member_commands import SetReminders
from core.members import (
    FORGET_CONFIRM_TTL,
    LINK_CODE_TTL,
    ClassReminderOverride,
    CodePurpose,
    MemberCode,
    MemberProfile,
    PlatformFacts,
    ReminderPreferences,
)
from core.model import (
    Member,
    Role,
    Rsvp,
    RsvpChange,
    RsvpStatus,
    SessionFilter,
    SessionStatus,
    TrainingSession,
)
from core.notifier import Notifier
from core.permissions import require_self_or_admin
from core.ports import SessionStore
from core.reminder_planner import ReminderPlanner
from core.reminder_preferences import check_preferences
from core.series import Series, SeriesStatus
from core.telemetry import platform_of

SEEN_EVERY = timedelta(minutes=5)
"""A profile whose facts did not change is written at most this often (its `last_seen_at`)."""
LINK_HINT: Text = t("Type /link on your other account for a new code, then /link CODE here.")
FORGET_HINT: Text = t("Start again with /forget-me (admins: /forget MEMBER).")
ONE_KEYBOARD = frozenset({"terminal"})
"""Platforms whose accounts are all typed at one keyboard (the terminal's `/as`): two of
one such platform may be linked; elsewhere two accounts of one platform are two people."""
_OPEN = [SessionStatus.SCHEDULED, SessionStatus.LIVE]
_CHOICES = ("kinds", "route", "quiet_hours")


class MemberUseCases:
    """Profiles, linking identities, forgetting a member and reminder preferences."""

    _store: SessionStore
    _reminder_planner: ReminderPlanner
    _notifier: Notifier
    _audit: Audits

    def now(self) -> datetime:
        raise NotImplementedError

    async def unrsvp(self, actor: Member, session_id: str) -> RsvpChange:
        raise NotImplementedError

    async def drop_standing(self, actor: Member, series_id: str) -> bool:
        raise NotImplementedError

    async def get_series(self, series_id: str) -> Series:
        raise NotImplementedError

    async def _promote_waitlisted(self, session: TrainingSession, now: datetime) -> list[Rsvp]:
        raise NotImplementedError

    # profile ----------------------------------------------------------------------------
    async def identify(self, facts: PlatformFacts, role: Role) -> Member:
        """Record that the member in `facts` is acting now (creating or refreshing their
        profile) and return them as the core knows them: profile id, latest name, zone and
        language, and `platform_id` when they act through a linked identity."""
        now = self.now()
        try:
            profile = await self._seen(facts, now)
        except InvalidState:  # read before a link or unlink: once more from what is stored now
            profile = await self._seen(facts, now)
        return _member(profile, facts, role)

    async def _seen(self, facts: PlatformFacts, now: datetime) -> MemberProfile:
        """Read the acting member's profile and write it created or refreshed; InvalidState
        when an identity it holds was linked or unlinked since the read."""
        profile = await self._store.get_profile(facts.member_id)
        if profile is None:
            profile = MemberProfile(
                id=facts.member_id,
                display_name=facts.display_name,
                timezone=facts.timezone,
                locale=facts.locale,
                identities=[facts.member_id],
                last_seen_at=now,
                created_at=now,
                updated_at=now,
            )
            await self._store.save_profile(profile)
            return profile
        refreshed = _refreshed(profile, facts, now)
        if refreshed is None:
            return profile
        await self._store.save_profile(refreshed)
        return refreshed

    async def profile(self, actor: Member) -> MemberProfile:
        """The acting member's profile (NotFound when they were never identified)."""
        profile = await self._store.get_profile(actor.id)
        if profile is None:
            raise NotFound(
                t("dojobot has no profile for you yet."), t("Use any dojobot command first.")
            )
        return profile

    async def member_profile(self, actor: Member, member_id: str) -> MemberProfile:
        """Someone's profile, for admins (PermissionDenied otherwise) or the member."""
        require_self_or_admin(actor, member_id, t("look at the profile of"), t("Type /profile."))
        profile = await self._store.get_profile(member_id)
        if profile is None:
            raise NotFound(
                t("No member “{id}”.", id=member_id), t("Check the member's id and try again.")
            )
        return profile

    async def set_reminder_preferences(
        self, actor: Member, preferences: ReminderPreferences
    ) -> MemberProfile:
        """Replace the acting member's reminder preferences (InvalidInput when they choose
        more than one custom lead time, or a class override names no weekly class); their
        seat notice (waitlist offers, `set_seat_notice`) stays."""
        preferences = check_preferences(preferences)
        profile = await self.profile(actor)
        per_class = {}
        for class_id, override in preferences.per_class.items():
            if class_id not in profile.preferences.per_class:  # NotFound says how to list them
                class_id = (await self.get_series(class_id)).root_id
            per_class[class_id] = override
        kept = {"per_class": per_class, "seat_notice": profile.preferences.seat_notice}
        preferences = preferences.model_copy(update=kept)  # the seat notice: /seat-notice's
        changed = profile.model_copy(update={"preferences": preferences, "updated_at": self.now()})
        await self._store.save_profile(changed)
        await self._reminder_planner.preferences_changed(changed, self.now())  # custom kinds
        return changed

    async def change_reminder_preferences(
        self, actor: Member, change: SetReminders
    ) -> MemberProfile:
        """Change only what `change` gives (`/reminders set …`, `/reminders class <id> …`);
        the rest of the member's choices stay."""
        preferences = (await self.profile(actor)).preferences
        given = {f: getattr(change, f) for f in _CHOICES if f in change.model_fields_set}
        if change.class_id is None:
            preferences = (
                ReminderPreferences() if change.reset else preferences.model_copy(update=given)
            )
        else:
            class_id = (await self.get_series(change.class_id)).root_id
            per_class = dict(preferences.per_class)
            override = per_class.pop(class_id, ClassReminderOverride())
            if not change.reset:
                given.pop("quiet_hours", None)  # quiet hours are the member's own
                override = override.model_copy(update=given)
                if override.kinds is not None or override.route is not None:
                    per_class[class_id] = override
            preferences = preferences.model_copy(update={"per_class": per_class})
        return await self.set_reminder_preferences(actor, preferences)

    async def set_preferred_platform(self, actor: Member, platform: str | None) -> MemberProfile:
        """Where a linked member's reminders go (None: the profile's own platform)."""
        profile = await self.profile(actor)
        if platform is not None and platform not in {platform_of(i) for i in profile.identities}:
            linked = ", ".join(sorted({platform_of(i) for i in profile.identities}))
            raise InvalidInput(
                t("You have no {platform} account linked.", platform=platform),
                t("Choose one of: {linked}, or link one with /link.", linked=linked),
            )
        changed = profile.model_copy(
            update={"preferred_platform": platform, "updated_at": self.now()}
        )
        await self._store.save_profile(changed)
        return changed

    # linking ----------------------------------------------------------------------------
    async def link_code(self, actor: Member) -> MemberCode:
        """A one-time code for the acting member to enter on another platform (`/link CODE`)
        within LINK_CODE_TTL; it links that platform's account into this profile."""
        return await self._issue(CodePurpose.LINK, actor.id, actor.acting_id, LINK_CODE_TTL)

    async def link(self, actor: Member, code: str) -> MemberProfile:
        """Link the acting identity into the profile that issued `code`. Where both accounts
        were going to the same open session, the merge frees a seat: the first waitlisted
        get it (and are told), and the cards show the new counts."""
        own = await self._store.get_profile(actor.acting_id)
        if own is not None and len(own.identities) > 1:  # refused before the code is used
            raise _already_linked()
        entered = await self._take(code, CodePurpose.LINK)
        if entered is None:
            raise InvalidInput(t("That link code is unknown, used or expired."), LINK_HINT)
        into = await self._store.get_profile(entered.member_id)  # linked on since, maybe
        if into is not None and into.id == actor.id:
            await self._give_back(entered)
            raise InvalidInput(
                t("This account is already part of that profile."),
                t("Type /link CODE on your other account, not where you got the code."),
            )
        if into is None:
            raise _issuer_forgotten()
        if entered.issued_by not in into.identities:  # the asking account was unlinked since
            raise InvalidInput(t("That link code is unknown, used or expired."), LINK_HINT)
        platform = platform_of(actor.acting_id)
        if platform not in ONE_KEYBOARD and platform in {platform_of(i) for i in into.identities}:
            await self._give_back(entered)  # two accounts of one platform: two people
            raise InvalidInput(
                t("That profile already has a {platform} account.", platform=platform),
                t(
                    "Type /link CODE on your account on another platform (Slack, Discord), "
                    "not on this one."
                ),
            )
        moving = await self._open_rsvps(actor.acting_id)  # the sessions whose counts change
        try:
            profile = await self._store.link_identity(into.id, actor.acting_id, self.now())
        except NotFound:  # forgotten meanwhile
            raise _issuer_forgotten() from None
        except Contention:  # crossed another write: nothing changed, the code still works
            await self._give_back(entered)
            raise Contention(
                t("This link crossed another change to these accounts; nothing was changed."),
                t("Type /link CODE again with the same code."),
            ) from None
        except InvalidState:  # linked meanwhile
            await self._give_back(entered)
            raise _already_linked() from None
        await self._audit(
            actor,
            AuditAction.LINK,
            profile.id,
            before={"identity": actor.acting_id, "profile_id": actor.id},
            after={"identity": actor.acting_id, "profile_id": profile.id},
        )
        sessions = await self._store.get_sessions(moving)
        for session in sessions:
            if session.status in _OPEN:
                await self._promote_waitlisted(session, self.now())
                await self._notifier.announce(session)
        await self._reminder_planner.member_linked(profile, sessions, self.now())  # custom kinds
        return profile

    async def unlink(self, actor: Member) -> MemberProfile:
        """Separate the acting identity from the others it is linked to. Acting from the
        profile's own identity, every other identity leaves; RSVPs and records stay with the
        profile id."""
        profile = await self.profile(actor)
        if len(profile.identities) < 2:
            raise InvalidInput(
                t("This account is not linked to any other."), t("Link one with /link.")
            )
        now = self.now()
        leaving = (
            [i for i in profile.identities if i != profile.id]
            if actor.acting_id == profile.id
            else [actor.acting_id]
        )
        for identity in leaving:
            with suppress(NotFound):  # a simultaneous /link remove took it out first
                await self._store.unlink_identity(profile.id, identity, now)
                await self._audit(
                    actor,
                    AuditAction.UNLINK,
                    profile.id,
                    before={"identity": identity, "profile_id": profile.id},
                    after={"identity": identity, "profile_id": identity},
                )
        return await self.profile(Member(id=actor.acting_id, display_name=actor.display_name))

    # forgetting -------------------------------------------------------------------------
    async def forget_request(self, actor: Member, member_id: str | None = None) -> MemberCode:
        """Step one of forgetting `member_id` (default: the actor; others: admins only): a
        confirmation code valid for FORGET_CONFIRM_TTL. Refused while the member instructs
        sessions or weekly classes that are still on."""
        target = actor.id if member_id is None else member_id.strip()
        _require_may_forget(actor, target)
        profile = await self._store.get_profile(target)
        if profile is None:
            raise NotFound(
                t("dojobot has nothing stored about “{id}”.", id=target),
                t("Check the member id (as /profile shows it) and try again."),
            )
        await self._refuse_if_instructing(profile)
        return await self._issue(
            CodePurpose.FORGET, profile.id, actor.acting_id, FORGET_CONFIRM_TTL
        )

    async def forget(self, actor: Member, code: str, member_id: str | None = None) -> int:
        """Step two: forget the member the confirmation code names. Their open RSVPs and
        standing RSVPs are given up first (seats go to the waitlist), then the profile and
        every personal detail go; records keep only anonymous counts. Returns how many
        records were kept anonymously. With `member_id` (a path naming the member), a code
        for anyone else is refused."""
        entered = await self._take(code, CodePurpose.FORGET)
        other_member = (
            member_id is not None
            and entered is not None
            and not await self._names(member_id, entered.member_id)
        )
        if entered is not None and (entered.issued_by != actor.acting_id or other_member):
            await self._give_back(entered)  # someone else's: it stays theirs to use
            entered = None
        if entered is None:
            raise InvalidInput(
                t("That confirmation code is unknown, used or expired."), FORGET_HINT
            )
        profile = await self._store.get_profile(entered.member_id)
        if profile is None:
            return 0
        _require_may_forget(actor, profile.id)  # still: an account unlinked since may not
        try:
            await self._refuse_if_instructing(profile)
        except InvalidState:  # "cancel them, then try again": with this same code
            await self._give_back(entered)
            raise
        gone = Member(id=profile.id, display_name=profile.display_name)
        roots = {s.root_id for s in await self._store.list_series(SeriesStatus.ACTIVE)}
        for root_id in sorted(roots):
            standing = await self._store.list_standing_rsvps(root_id)
            if any(s.member_id == profile.id for s in standing):
                await self.drop_standing(gone, root_id)
        for session_id in await self._open_rsvps(profile.id):
            await self.unrsvp(gone, session_id)
        anonymous = f"forgotten:{new_id(12)}"
        kept = await self._store.forget_member(profile.id, anonymous, self.now())
        await self._store.drop_member_marks([profile.id, *profile.identities])  # no-show marks
        by = actor  # forgetting oneself: recorded under the anonymous id, without the name
        if actor.id == profile.id:
            by = actor.model_copy(update={"id": anonymous, "display_name": anonymous})
        await self._audit(by, AuditAction.FORGET, anonymous, after={"records_kept": kept or 0})
        return kept or 0

    # helpers ----------------------------------------------------------------------------
    async def _issue(
        self, purpose: CodePurpose, member_id: str, issued_by: str, ttl: timedelta
    ) -> MemberCode:
        code = MemberCode(
            code=new_id(8).upper(),
            purpose=purpose,
            member_id=member_id,
            issued_by=issued_by,
            expires_at=self.now() + ttl,
        )
        await self._store.add_member_code(code)
        return code

    async def _give_back(self, code: MemberCode) -> None:
        """Put back a code taken for a refused attempt, so its owner can still use it."""
        with suppress(InvalidState):  # the same 40-bit code issued meanwhile: let it be
            await self._store.add_member_code(code)

    async def _names(self, member_id: str, profile_id: str) -> bool:
        """Whether `member_id` (a profile id or one of its identities) is that profile."""
        if member_id.strip() == profile_id:
            return True
        profile = await self._store.get_profile(member_id.strip())
        return profile is not None and profile.id == profile_id

    async def _open_rsvps(self, member_id: str) -> list[str]:
        """Ids of the scheduled and live sessions where the member is going or waitlisted."""
        found: list[str] = []
        criteria = SessionFilter(status=_OPEN, limit=1000)
        while sessions := await self._store.list_sessions(criteria):
            rsvps = await self._store.list_rsvps_of_sessions([s.id for s in sessions], None)
            found += [
                r.session_id
                for r in rsvps
                if r.member_id == member_id and r.status is not RsvpStatus.LEFT
            ]
            if len(sessions) < criteria.limit:
                break
            criteria = criteria.model_copy(update={"offset": criteria.offset + criteria.limit})
        return found

    async def _take(self, code: str, purpose: CodePurpose) -> MemberCode | None:
        typed = "".join(code.split()).upper()
        if not typed:
            return None
        taken = await self._store.take_member_code(typed, self.now())
        return taken if taken is not None and taken.purpose is purpose else None

    async def _refuse_if_instructing(self, profile: MemberProfile) -> None:
        for identity in profile.identities:
            teaching = await self._store.count_sessions(
                SessionFilter(status=_OPEN, instructor_id=identity)
            )
            classes = [
                s
                for s in await self._store.list_series(SeriesStatus.ACTIVE)
                if s.instructor_id == identity
            ]
            if teaching or classes:
                raise InvalidState(
                    t(
                        "{name} still teaches {sessions} and {classes}.",
                        name=profile.display_name,
                        sessions=tn("{n} session(s)", "{n} session(s)", teaching),
                        classes=tn("{n} weekly class(es)", "{n} weekly class(es)", len(classes)),
                    ),
                    t(
                        "Cancel them first (/sessions mine lists the sessions: /cancel-session "
                        "<id>; /classes the weekly classes: /end-class <id>), then try again."
                    ),
                )


def _require_may_forget(actor: Member, profile_id: str) -> None:
    """Members forget their own profile; another member's takes an admin."""
    require_self_or_admin(
        actor, profile_id, t("forget"), t("Type /forget-me to be forgotten yourself.")
    )


def _issuer_forgotten() -> InvalidInput:
    return InvalidInput(t("The account that made this code was forgotten."), LINK_HINT)


def _already_linked() -> InvalidState:
    return InvalidState(
        t("This account is already linked to other accounts."),
        t("Type /link remove here first, then /link CODE again with the same code."),
    )


def _refreshed(profile: MemberProfile, facts: PlatformFacts, now: datetime) -> MemberProfile | None:
    """The profile with the platform's latest facts, or None when nothing is worth writing.

    The name comes from the profile's own identity only: a linked account's platform name
    (often a nickname) would otherwise flip it, and write the profile, at every switch."""
    update: dict[str, object] = {}
    if facts.member_id == profile.id and facts.display_name != profile.display_name:
        update["display_name"] = facts.display_name
    if facts.timezone is not None and facts.timezone != profile.timezone:
        update["timezone"] = facts.timezone
    if facts.locale is not None and facts.locale != profile.locale:
        update["locale"] = facts.locale
    if not update and now - profile.last_seen_at < SEEN_EVERY:
        return None
    update["last_seen_at"] = now
    if len(update) > 1:
        update["updated_at"] = now
    return profile.model_copy(update=update)


def _member(profile: MemberProfile, facts: PlatformFacts, role: Role) -> Member:
    acting_id = facts.member_id
    return Member(
        id=profile.id,
        display_name=profile.display_name,
        role=role,
        timezone=profile.timezone or "UTC",
        locale=profile.locale,
        platform_id=acting_id if acting_id != profile.id else None,
        front_end=facts.front_end,
    )
