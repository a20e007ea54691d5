"""Small parts of the Discord front end: references, memory, roles, previews."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.discord.autocomplete import when_choices
from adapters.discord.directory import DiscordMembers
from adapters.discord.ids import AnnouncementRef, member_id, user_id_of
from adapters.discord.memory import DiscordMemory
from adapters.discord.rest import DiscordRest
from adapters.discord.settings import DiscordSettings
from core.errors import DeliveryRefused
from core.members import PlatformFacts
from core.model import Member, Role

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def no_identify(facts: PlatformFacts, role: Role) -> Member:
    raise AssertionError("these tests identify nobody")


def no_rest() -> DiscordRest:
    raise AssertionError("roles from the cache need no REST call")


def test_announcement_ref_round_trips_and_tolerates_foreign_refs() -> None:
    ref = AnnouncementRef(123, 456, "abc123")
    assert ref.encode() == "m123.e456.habc123"
    assert AnnouncementRef.parse(ref.encode()) == ref
    assert AnnouncementRef.parse("m123") == AnnouncementRef(123)
    assert AnnouncementRef.parse("announcement-x") == AnnouncementRef()
    assert AnnouncementRef().encode() is None


def test_member_ids() -> None:
    assert member_id(42) == "discord:42"
    assert user_id_of("discord:42") == 42
    with pytest.raises(DeliveryRefused):
        user_id_of("slack:T1:U2")


def test_memory_survives_a_restart(tmp_path: Path) -> None:
    memory = DiscordMemory(tmp_path)
    memory.remember_dm_channel(1, 10)
    memory.remember_refused("discord:1", "s1")
    memory.remember_mentioned("discord:1", "s1")
    memory.remember_commands("app:global", "d1")
    memory.remember_commands("app:global", "d2")
    memory.close()
    again = DiscordMemory(tmp_path)
    assert again.dm_channels == {1: 10}
    assert again.refused == {("discord:1", "s1")}
    assert again.mentioned == {("discord:1", "s1")}
    assert again.command_digests == {"app:global": "d2"}
    again.close()


def test_roles_from_ids_or_names_admin_first_guests_outside_member_roles() -> None:
    settings = DiscordSettings(
        token="t", admin_roles=["10"], instructor_roles=["Sensei"], member_roles=["dojo"]
    )
    members = DiscordMembers(settings, "UTC", no_rest, no_identify)
    assert members.role_of({10, 11}, {"sensei"}, False) is Role.ADMIN
    assert members.role_of({11}, {"sensei"}, False) is Role.INSTRUCTOR
    assert members.role_of({12}, {"dojo"}, False) is Role.MEMBER
    assert members.role_of(set(), set(), False) is Role.GUEST
    assert members.role_of(set(), set(), True) is Role.ADMIN
    everyone = DiscordMembers(DiscordSettings(token="t"), "UTC", no_rest, no_identify)
    assert everyone.role_of(set(), set(), False) is Role.MEMBER


def test_zone_per_server_else_configured_else_default() -> None:
    settings = DiscordSettings(
        token="t", timezone="Europe/Berlin", guild_timezones={"7": "America/New_York"}
    )
    members = DiscordMembers(settings, "UTC", no_rest, no_identify)
    assert members.timezone_for(7) == "America/New_York"
    assert members.timezone_for(8) == "Europe/Berlin"
    tokyo = DiscordMembers(DiscordSettings(token="t"), "Asia/Tokyo", no_rest, no_identify)
    assert tokyo.timezone_for(None) == "Asia/Tokyo"


def test_when_preview_in_server_zone_or_the_zone_typed() -> None:
    [choice] = when_choices("tue 18:00", NOW, "Europe/Berlin")
    assert choice.name == "Tue 1 Dec 2026 18:00 CET (Europe/Berlin) — in 6 days"
    assert choice.value == "2026-12-01T17:00:00Z"
    [choice] = when_choices("2026-12-01 18:00 America/New_York", NOW, "Europe/Berlin")
    assert choice.name.startswith("Tue 1 Dec 2026 18:00 EST (America/New_York)")
    [bad] = when_choices("whenever", NOW, "UTC")
    assert bad.name.startswith("⚠ Could not understand") and bad.value == "whenever"
    assert len(when_choices("", NOW, "UTC")) == 3  # examples
