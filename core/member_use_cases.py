"""The member use cases of `SessionService` (mixed into it: the one door stays one).

Every front end calls `identify` with what its platform said about the member acting; the
profile is created or refreshed (name, zone, language, last seen) and the member comes back
as the core knows them: under their profile id when the acting identity is linked to another.
Linking takes a one-time code issued on one platform and entered on the other; forgetting
takes a one-time confirmation code. Both codes are `MemberCode`s kept by the store, so they
work across processes and restarts and are used once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from core.errors import InvalidInput, InvalidState, NotFound, PermissionDenied
from core.ids import new_id
from core.members import (
    FORGET_CONFIRM_TTL,
    LINK_CODE_TTL,
    CodePurpose,
    MemberCode,
    MemberProfile,
    PlatformFacts,
    ReminderPreferences,
)
from core.model import Member, Role, RsvpChange, RsvpStatus, SessionFilter, SessionStatus
from core.ports import SessionStore
from core.series import SeriesStatus
from core.telemetry import platform_of

SEEN_EVERY = timedelta(minutes=5)
"""A profile whose facts did not change is written at most this often (its `last_seen_at`)."""
LINK_HINT = "Type /link on the platform you want to link from to get a new code."
_OPEN = [SessionStatus.SCHEDULED, SessionStatus.LIVE]


class MemberUseCases:
    """Profiles, linking identities, forgetting a member and reminder preferences."""

    _store: SessionStore

    def now(self) -> datetime:
        raise NotImplementedError

    async def unrsvp(self, actor: Member, session_id: str) -> RsvpChange:
        raise NotImplementedError

    async def drop_standing(self, actor: Member, series_id: str) -> bool:
        raise NotImplementedError

    # profile ----------------------------------------------------------------------------
    async def identify(self, facts: PlatformFacts, role: Role) -> Member:
        """Record that the member in `facts` is acting now (creating or refreshing their
        profile) and return them as the core knows them: profile id, latest name, zone and
        language, and `platform_id` when they act through a linked identity."""
        now = self.now()
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
        else:
            refreshed = _refreshed(profile, facts, now)
            if refreshed is not None:
                await self._store.save_profile(refreshed)
                profile = refreshed
        return _member(profile, facts.member_id, role)

    async def profile(self, actor: Member) -> MemberProfile:
        """The acting member's profile (NotFound when they were never identified)."""
        profile = await self._store.get_profile(actor.id)
        if profile is None:
            raise NotFound("dojobot has no profile for you yet.", "Use any dojobot command first.")
        return profile

    async def member_profile(self, actor: Member, member_id: str) -> MemberProfile:
        """Someone's profile, for admins (PermissionDenied otherwise) or the member."""
        if member_id != actor.id and actor.role is not Role.ADMIN:
            raise PermissionDenied("Only admins can look at another member's profile.")
        profile = await self._store.get_profile(member_id)
        if profile is None:
            raise NotFound(f"No member “{member_id}”.", "Check the member's id and try again.")
        return profile

    async def set_reminder_preferences(
        self, actor: Member, preferences: ReminderPreferences
    ) -> MemberProfile:
        """Replace the acting member's reminder preferences."""
        profile = await self.profile(actor)
        changed = profile.model_copy(update={"preferences": preferences, "updated_at": self.now()})
        await self._store.save_profile(changed)
        return changed

    async def set_preferred_platform(self, actor: Member, platform: str | None) -> MemberProfile:
        """Where a linked member's reminders go (None: the profile's own platform)."""
        profile = await self.profile(actor)
        if platform is not None and platform not in {platform_of(i) for i in profile.identities}:
            linked = ", ".join(sorted({platform_of(i) for i in profile.identities}))
            raise InvalidInput(
                f"You have no {platform} account linked.",
                f"Choose one of: {linked}, or link one with /link.",
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
        """Link the acting identity into the profile that issued `code`."""
        entered = await self._take(code, CodePurpose.LINK)
        if entered is None:
            raise InvalidInput("That link code is unknown, used or expired.", LINK_HINT)
        if entered.member_id == actor.id:
            raise InvalidInput(
                "This account is already part of that profile.",
                "Enter the code on the other platform, not where you got it.",
            )
        try:
            return await self._store.link_identity(entered.member_id, actor.acting_id, self.now())
        except NotFound:
            raise InvalidInput(
                "The account that made this code was forgotten.", LINK_HINT
            ) from None
        except InvalidState:
            raise InvalidState(
                "This account is already linked to other accounts.",
                "Type /link remove here first, then enter the code again.",
            ) from None

    async def unlink(self, actor: Member) -> MemberProfile:
        """Separate the acting identity from the others it is linked to. Acting from the
        profile's own identity, every other identity leaves; RSVPs and records stay with the
        profile id."""
        profile = await self.profile(actor)
        if len(profile.identities) < 2:
            raise InvalidInput("This account is not linked to any other.", "Link one with /link.")
        now = self.now()
        leaving = (
            [i for i in profile.identities if i != profile.id]
            if actor.acting_id == profile.id
            else [actor.acting_id]
        )
        for identity in leaving:
            await self._store.unlink_identity(profile.id, identity, now)
        return await self.profile(Member(id=actor.acting_id, display_name=actor.display_name))

    # forgetting -------------------------------------------------------------------------
    async def forget_request(self, actor: Member, member_id: str | None = None) -> MemberCode:
        """Step one of forgetting `member_id` (default: the actor; others: admins only): a
        confirmation code valid for FORGET_CONFIRM_TTL. Refused while the member instructs
        sessions or weekly classes that are still on."""
        target = actor.id if member_id is None else member_id
        if target != actor.id and actor.role is not Role.ADMIN:
            raise PermissionDenied("Only admins can forget another member.")
        profile = await self._store.get_profile(target)
        if profile is None:
            raise NotFound(f"dojobot has nothing stored about “{target}”.")
        await self._refuse_if_instructing(profile)
        return await self._issue(
            CodePurpose.FORGET, profile.id, actor.acting_id, FORGET_CONFIRM_TTL
        )

    async def forget(self, actor: Member, code: str) -> int:
        """Step two: forget the member the confirmation code names. Their open RSVPs and
        standing RSVPs are given up first (seats go to the waitlist), then the profile and
        every personal detail go; records keep only anonymous counts. Returns how many
        records were kept anonymously."""
        entered = await self._take(code, CodePurpose.FORGET)
        if entered is None or entered.issued_by != actor.acting_id:
            raise InvalidInput(
                "That confirmation is unknown, used or expired.",
                "Start again with /forget-me.",
            )
        profile = await self._store.get_profile(entered.member_id)
        if profile is None:
            return 0
        await self._refuse_if_instructing(profile)
        gone = Member(id=profile.id, display_name=profile.display_name)
        for series in await self._store.list_series(SeriesStatus.ACTIVE):
            standing = await self._store.list_standing_rsvps(series.id)
            if any(s.member_id == profile.id for s in standing):
                await self.drop_standing(gone, series.root_id)
        upcoming = await self._store.list_sessions(
            SessionFilter(status=_OPEN, starts_after=self.now() - timedelta(days=1), limit=1000)
        )
        rsvps = await self._store.list_rsvps_of_sessions([s.id for s in upcoming], None)
        for rsvp in rsvps:
            if rsvp.member_id == profile.id and rsvp.status is not RsvpStatus.LEFT:
                await self.unrsvp(gone, rsvp.session_id)
        kept = await self._store.forget_member(profile.id, f"forgotten:{new_id(12)}", self.now())
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
                    f"{profile.display_name} still teaches {teaching} session(s) and "
                    f"{len(classes)} weekly class(es).",
                    "Hand them to another instructor or cancel them first.",
                )


def _refreshed(profile: MemberProfile, facts: PlatformFacts, now: datetime) -> MemberProfile | None:
    """The profile with the platform's latest facts, or None when nothing is worth writing."""
    update: dict[str, object] = {}
    if facts.display_name != profile.display_name:
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


def _member(profile: MemberProfile, acting_id: str, role: Role) -> Member:
    return Member(
        id=profile.id,
        display_name=profile.display_name,
        role=role,
        timezone=profile.timezone or "UTC",
        locale=profile.locale,
        platform_id=acting_id if acting_id != profile.id else None,
    )
