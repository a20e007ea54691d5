"""Profiles the SQL store builds from its own rows (no second validation) are the very
profiles a validated read gives: equal, same repr, same fields set, and still validated
on assignment."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from pydantic import ValidationError

from adapters.sql.member_records import (
    _PROFILE_KEYS,
    _StoredProfiles,
    profile_to_row,
    row_to_profile,
)
from core.members import (
    ClassReminderOverride,
    MemberProfile,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import ReminderKind

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _profile(linked: bool) -> MemberProfile:
    return MemberProfile(
        id="slack:U1",
        display_name="Aiko",
        timezone="Asia/Tokyo",
        locale="ja",
        identities=["slack:U1", "discord:9"] if linked else ["slack:U1"],
        preferred_platform="discord" if linked else None,
        preferences=ReminderPreferences(
            kinds=[ReminderKind.BEFORE_1H],
            quiet_hours=QuietHours(start=time(22, 0), end=time(7, 0)),
            per_class={"karate": ClassReminderOverride(route=ReminderRoute.NONE)},
        ),
        last_seen_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )


@pytest.mark.parametrize("linked", [False, True])
def test_a_stored_profile_is_the_validated_one(linked: bool) -> None:
    profile = _profile(linked)
    row = profile_to_row(profile)
    built = _StoredProfiles().build([row[k] for k in _PROFILE_KEYS], list(profile.identities))
    validated = row_to_profile(row, list(profile.identities))
    assert built == validated == profile
    assert repr(built) == repr(validated)
    assert built.model_fields_set == validated.model_fields_set
    assert built.model_dump() == validated.model_dump()
    assert built.address() == validated.address()


def test_a_stored_profile_is_still_validated_on_assignment() -> None:
    profile = _profile(linked=False)
    row = profile_to_row(profile)
    built = _StoredProfiles().build([row[k] for k in _PROFILE_KEYS], ["slack:U1"])
    with pytest.raises(ValidationError):
        built.display_name = ""
    assert built.model_copy(update={"locale": "de"}).locale == "de"
    assert built.locale == "ja"
