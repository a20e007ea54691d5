"""Profiles read back in bulk (`get_profiles`, what each reminder wake-up does) are the
profiles saved, with their nested models built (quiet hours, per-class overrides), in every
store; the SQL store builds them from its own rows without validating them again, so this
guards that shortcut."""

from __future__ import annotations

from datetime import time

from core.members import (
    ClassReminderOverride,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import ReminderKind
from core.ports import SessionStore
from tests.contract.test_member_store import T0, profile

CHOSEN = ReminderPreferences(
    kinds=[ReminderKind.BEFORE_24H, ReminderKind.BEFORE_3H],
    route=ReminderRoute.DM,
    quiet_hours=QuietHours(start=time(22), end=time(6, 30)),
    per_class={"class-1": ClassReminderOverride(route=ReminderRoute.NONE)},
)


async def test_profiles_read_together_are_the_saved_ones(store: SessionStore) -> None:
    saved = [
        profile("slack:T1:U1", preferences=CHOSEN),
        profile("slack:T1:U2", preferences=CHOSEN, identities=["slack:T1:U2", "discord:7"]),
        profile("slack:T1:U3"),
    ]
    for each in saved:
        await store.save_profile(each)
    read = await store.get_profiles(["slack:T1:U1", "discord:7", "slack:T1:U3", "slack:T1:U9"])
    assert read == {"slack:T1:U1": saved[0], "discord:7": saved[1], "slack:T1:U3": saved[2]}
    ana = read["slack:T1:U1"]
    assert isinstance(ana.preferences.quiet_hours, QuietHours)
    assert isinstance(ana.preferences.per_class["class-1"], ClassReminderOverride)
    assert ana.preferences.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_3H]
    assert all(isinstance(k, ReminderKind) for k in ana.preferences.kinds or [])
    assert ana.last_seen_at == T0 and ana.last_seen_at.utcoffset() is not None
    # a changed copy of one leaves the others as they were read
    changed = ana.model_copy(
        update={"preferences": CHOSEN.model_copy(update={"route": ReminderRoute.NONE})}
    )
    assert changed.preferences.route is ReminderRoute.NONE
    assert read["discord:7"].preferences == CHOSEN
    assert read["discord:7"].address() == "slack:T1:U2"


async def test_addressees_are_the_reaching_part_of_the_saved_profiles(store: SessionStore) -> None:
    """`get_addressees` (the reminder dispatch's slim read) agrees with the whole profiles:
    the same ids found, the same identities in order, zone, language, preferred platform and
    preferences, so a linked member is DMed on the platform they prefer."""
    linked = profile(
        "slack:T1:U2", preferences=CHOSEN, identities=["slack:T1:U2", "discord:7"]
    ).model_copy(update={"preferred_platform": "discord", "timezone": "Asia/Tokyo", "locale": "ja"})
    saved = [profile("slack:T1:U1", preferences=CHOSEN), linked]
    for each in saved:
        await store.save_profile(each)
    asked = ["slack:T1:U1", "discord:7", "slack:T1:U2", "slack:T1:U9"]
    addressees = await store.get_addressees(asked)
    profiles = await store.get_profiles(asked)
    assert addressees == {asked_id: p.addressee() for asked_id, p in profiles.items()}
    assert set(addressees) == {"slack:T1:U1", "discord:7", "slack:T1:U2"}
    reached = addressees["slack:T1:U2"]
    assert reached.identities == ("slack:T1:U2", "discord:7")
    assert (reached.timezone, reached.locale) == ("Asia/Tokyo", "ja")
    assert reached.address() == "discord:7"
    assert reached.preferences.quiet_hours == CHOSEN.quiet_hours
