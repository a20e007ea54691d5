"""Who is who in the terminal: members created by `/as name role [zone]`."""

from __future__ import annotations

from core.model import Member, Role

PLATFORM = "terminal"


def member_id(name: str) -> str:
    """The stable member id of a terminal name."""
    return f"{PLATFORM}:{name.lower()}"


class TerminalDirectory:
    """Members known to this terminal, with their roles and time zones."""

    def __init__(self, default_timezone: str = "UTC") -> None:
        self.default_timezone = default_timezone
        self._members: dict[str, Member] = {}

    def act_as(self, name: str, role: Role, timezone: str | None = None) -> Member:
        """Create or update a member; an omitted zone keeps the member's previous one."""
        known = self._members.get(member_id(name))
        zone = timezone or (known.timezone if known else self.default_timezone)
        member = Member(id=member_id(name), display_name=name, role=role, timezone=zone)
        self._members[member.id] = member
        return member

    def get(self, member_id: str) -> Member | None:
        return self._members.get(member_id)

    def name_of(self, member_id: str) -> str:
        member = self._members.get(member_id)
        return member.display_name if member else member_id.removeprefix(f"{PLATFORM}:")

    def timezone_of(self, member_id: str) -> str:
        member = self._members.get(member_id)
        return member.timezone if member else self.default_timezone
