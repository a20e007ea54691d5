"""Waitlist offers on Discord, through the fake Discord API and the real discord.py client:
a going member leaves from the card, the first waitlisted member is DMed the seat with Claim
and Pass as persistent buttons; another member's Claim is refused (not their turn), the
member's own press takes the seat once; an offer lapses at its deadline (the FakeClock and
the offers duty) and goes to the next, and Pass gives it on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from adapters.discord.ids import member_id
from bot.offer_settings import OfferSettings
from core.model import RsvpStatus, SessionFilter
from core.offer_duty import OfferDuty
from tests.adapters.discord.conftest import Rig, RigFactory, known_members, quick_fake
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    buttons_of,
    is_ephemeral,
    message_text,
    text_of,
)
from tests.fakes.discord_api import Person, button_press, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
ANA = Person(602, "ana", [MEMBER_ROLE])
BEN = Person(603, "ben", [MEMBER_ROLE])
CAL = Person(604, "cal", [MEMBER_ROLE])
DAN = Person(605, "dan", [MEMBER_ROLE])
OFFERED = "A seat in “Kata” is free"


fake = pytest.fixture(quick_fake)


def offers_to(rig: Rig, person: Person) -> list[dict[str, Any]]:
    return [m for m in rig.fake.dms_to(person.user_id) if OFFERED in message_text(m)]


async def offering_rig(make_rig: RigFactory) -> Rig:
    rig: Rig = await make_rig(service_options={"offer_rules": OfferSettings(enabled=True).rules()})
    known_members(rig, SENSEI, ANA, BEN, CAL, DAN)
    return rig


async def full_session(rig: Rig, *waiting: Person) -> tuple[str, dict[str, Any]]:
    """ "Kata" with one seat, ana going and `waiting` on the waitlist (all from the card)."""
    answer = await rig.gateway.interact(
        slash_command(
            "schedule-session",
            SENSEI,
            GUILD,
            CHANNEL,
            title="Kata",
            when="2026-12-03 18:00",
            capacity=1,
        )
    )
    [session] = await rig.store.list_sessions(SessionFilter())
    assert session.capacity == 1, text_of(answer)
    [card] = [m for m in rig.fake.channel_messages(CHANNEL) if "Kata" in message_text(m)]
    assert f"dojobot:rsvp:{session.id}" in [b.get("custom_id") for b in buttons_of(card)]
    for person in (ANA, *waiting):
        pressed = button_press(f"dojobot:rsvp:{session.id}", person, GUILD, CHANNEL, card)
        assert is_ephemeral(await rig.gateway.interact(pressed))
    return session.id, card


async def test_claim_is_the_offered_members_alone_and_taken_once(make_rig: RigFactory) -> None:
    rig = await offering_rig(make_rig)
    sid, card = await full_session(rig, BEN, CAL)
    assert not offers_to(rig, BEN)

    left = await rig.gateway.interact(
        button_press(f"dojobot:leave:{sid}", ANA, GUILD, CHANNEL, card)
    )
    assert is_ephemeral(left), text_of(left)
    [offer] = offers_to(rig, BEN)
    assert "claim it by" in message_text(offer), message_text(offer)
    claim, pass_ = buttons_of(offer)
    assert (claim["custom_id"], claim["label"], claim["style"]) == (
        f"dojobot:/claim {sid}",
        "Claim",
        1,  # primary
    )
    assert (pass_["custom_id"], pass_["label"], pass_["style"]) == (
        f"dojobot:/pass {sid}",
        "Pass",
        2,  # secondary
    )
    assert all(b["type"] == 2 for b in (claim, pass_))
    assert not offers_to(rig, CAL)
    channel = int(offer["channel_id"])

    refused = await rig.gateway.interact(
        button_press(claim["custom_id"], CAL, None, channel, offer)
    )
    assert is_ephemeral(refused), text_of(refused)
    assert "No seat in “Kata” is offered to you yet." in text_of(refused), text_of(refused)
    won = await rig.gateway.interact(button_press(claim["custom_id"], BEN, None, channel, offer))
    assert is_ephemeral(won) and "is yours: you're going" in text_of(won), text_of(won)
    again = await rig.gateway.interact(button_press(claim["custom_id"], BEN, None, channel, offer))
    assert is_ephemeral(again) and "already going" in text_of(again), text_of(again)

    view = await rig.service.view(sid)
    assert [r.member_id for r in view.going] == [member_id(BEN.user_id)]
    assert [(r.member_id, r.status) for r in view.waitlisted] == [
        (member_id(CAL.user_id), RsvpStatus.WAITLISTED)
    ]
    assert len(offers_to(rig, BEN)) == 1 and not offers_to(rig, CAL)  # no offer sent twice


async def test_an_offer_lapses_at_its_deadline_and_pass_gives_it_on(make_rig: RigFactory) -> None:
    rig = await offering_rig(make_rig)
    duty = OfferDuty(rig.service)
    sid, card = await full_session(rig, BEN, CAL, DAN)
    await rig.gateway.interact(button_press(f"dojobot:leave:{sid}", ANA, GUILD, CHANNEL, card))
    [to_ben] = offers_to(rig, BEN)
    deadline = await duty.next_due()
    assert deadline == rig.clock.now() + timedelta(hours=2), deadline

    rig.clock.set(deadline - timedelta(seconds=1))
    assert await duty.run_due(rig.clock.now()) == 0
    assert not offers_to(rig, CAL)
    rig.clock.set(deadline)
    assert await duty.run_due(rig.clock.now()) == 1
    lapsed = [m for m in rig.fake.dms_to(BEN.user_id) if "did not claim" in message_text(m)]
    assert len(lapsed) == 1, [message_text(m) for m in rig.fake.dms_to(BEN.user_id)]
    [to_cal] = offers_to(rig, CAL)
    claim, pass_ = buttons_of(to_cal)
    assert (claim["custom_id"], pass_["custom_id"]) == (
        f"dojobot:/claim {sid}",
        f"dojobot:/pass {sid}",
    )

    late = await rig.gateway.interact(
        button_press(f"dojobot:/claim {sid}", BEN, None, int(to_ben["channel_id"]), to_ben)
    )
    assert is_ephemeral(late) and "This offer ended at" in text_of(late), text_of(late)
    passed = await rig.gateway.interact(
        button_press(pass_["custom_id"], CAL, None, int(to_cal["channel_id"]), to_cal)
    )
    assert is_ephemeral(passed), text_of(passed)
    assert "You passed the seat in “Kata” on" in text_of(passed), text_of(passed)
    [to_dan] = offers_to(rig, DAN)
    claim = buttons_of(to_dan)[0]
    won = await rig.gateway.interact(
        button_press(claim["custom_id"], DAN, None, int(to_dan["channel_id"]), to_dan)
    )
    assert "is yours: you're going" in text_of(won), text_of(won)
    view = await rig.service.view(sid)
    assert [r.member_id for r in view.going] == [member_id(DAN.user_id)]
    assert view.waitlisted == []  # a lapsed offer leaves the waitlist, a pass too
    assert await duty.next_due() is None  # no open offer left
    assert [len(offers_to(rig, p)) for p in (BEN, CAL, DAN)] == [1, 1, 1]
