"""Discord's fair-seats slash commands (issue 16): each builds the shared-grammar line from
its options and runs it like a command button, as the member who typed it, with their own
rights; a member option names the member by their dojobot id. Every command is synced
with its names and descriptions in every shipped language, and Discord's help lists it."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.discord import command_localizations
from adapters.discord.command_localizations import LOCALES
from adapters.discord.fair_seats_commands import ONE_ID_LINES, grammar_line
from adapters.discord.ids import member_id
from adapters.discord.render_outcome import ERROR_COLOUR
from adapters.discord.usage import USAGE, help_text
from core.errors import InvalidInput
from core.model import RsvpStatus
from tests.adapters.discord.conftest import Rig, schedule_kata
from tests.adapters.discord.harness import (
    CHANNEL,
    GUILD,
    INSTRUCTOR_ROLE,
    MEMBER_ROLE,
    button_ids,
    is_ephemeral,
    text_of,
)
from tests.fakes.discord_api import Person, answer_message, button_press, slash_command

SENSEI = Person(501, "sensei", [INSTRUCTOR_ROLE])
ANA = Person(602, "ana", [MEMBER_ROLE])
BEN = Person(603, "ben", [MEMBER_ROLE])
NAMES: tuple[str, ...] = ("claim", "pass", "seat-notice", "keep-session", "my-record")
NAMES += ("appeal", "waive", "mark-present", "need-sub", "take-sub")


async def scheduled(rig: Rig) -> str:
    return (await schedule_kata(rig, SENSEI)).id


async def slash(rig: Rig, name: str, person: Person, **options: Any) -> dict[str, Any]:
    answer = await rig.gateway.interact(slash_command(name, person, GUILD, CHANNEL, **options))
    assert is_ephemeral(answer)
    assert "Something went wrong" not in text_of(answer)
    return answer


def refused(answer: dict[str, Any]) -> bool:
    data = answer.get("data", answer)
    return any(e.get("color") == ERROR_COLOUR.value for e in data.get("embeds") or [])


async def test_every_fair_seats_command_is_synced_localized_and_in_help(rig: Rig) -> None:
    synced = {c["name"]: c for c in rig.fake.commands[str(GUILD)]}
    assert set(NAMES) <= set(synced) and not rig.fake.refusals
    assert {spec.name for spec in ONE_ID_LINES} <= set(NAMES)
    notice = next(o for o in synced["seat-notice"]["options"] if o["name"] == "notice")
    choices = [c["value"] for c in notice["choices"]]
    assert choices == ["1h", "2h", "3h", "6h", "12h", "24h", "off"]
    member_options = {
        name: next(o for o in synced[name]["options"] if o["name"] == "member")
        for name in ("my-record", "waive", "mark-present")
    }
    assert member_options["my-record"]["type"] == 6 and not member_options["my-record"].get(
        "required"
    )
    for (command, option), texts in command_localizations.COMMAND_OPTIONS.items():
        assert set(texts) == set(LOCALES)
        [entry] = [o for o in synced[command]["options"] if o["name"] == option]
        assert entry["description_localizations"] == texts  # this command's meaning
        names = {
            locale: name for locale, (name, _) in command_localizations.OPTIONS[option].items()
        }
        assert entry["name_localizations"] == names  # its name is the option's everywhere
    text = help_text()
    for name in NAMES:
        assert USAGE[name].startswith(f"/{name}") and f"`{USAGE[name]}`" in text


async def test_claim_runs_as_the_member_and_its_reply_buttons_work(rig: Rig) -> None:
    sid = await scheduled(rig)
    answer = await slash(rig, "claim", ANA, session=sid)
    assert "not on the waitlist" in text_of(answer) and not refused(answer)
    assert button_ids(answer) == [f"dojobot:/rsvp {sid}"]  # the reply's own button
    message = answer_message(answer, CHANNEL)
    going = await rig.gateway.interact(
        button_press(f"dojobot:/rsvp {sid}", ANA, GUILD, CHANNEL, message)
    )
    assert is_ephemeral(going)
    [rsvp] = await rig.store.list_rsvps(sid)
    assert (rsvp.member_id, rsvp.status) == (member_id(ANA.user_id), RsvpStatus.GOING)


async def test_seat_notice_is_set_from_its_choice(rig: Rig) -> None:
    answer = await slash(rig, "seat-notice", ANA, notice="3h")
    assert "at least 3" in text_of(answer) and not refused(answer)
    answer = await slash(rig, "seat-notice", ANA, notice="off")
    assert "whatever the notice" in text_of(answer)


async def test_a_member_option_names_the_member_and_rights_are_the_typers(rig: Rig) -> None:
    answer = await slash(rig, "my-record", ANA)
    assert not refused(answer)
    answer = await slash(rig, "my-record", ANA, member=BEN)
    assert refused(answer) and "Only instructors and admins" in text_of(answer)
    answer = await slash(rig, "my-record", SENSEI, member=BEN)
    assert not refused(answer)


@pytest.mark.parametrize(
    ("name", "with_member"),
    [
        ("keep-session", False),
        ("need-sub", False),
        ("take-sub", False),
        ("waive", True),
        ("mark-present", True),
    ],
)
async def test_a_member_typing_a_staff_command_gets_the_normal_refusal(
    rig: Rig, name: str, with_member: bool
) -> None:
    sid = await scheduled(rig)
    options: dict[str, Any] = {"session": sid} | ({"member": BEN} if with_member else {})
    answer = await slash(rig, name, ANA, **options)
    assert refused(answer), text_of(answer)
    assert f"`{USAGE[name]}`" in text_of(answer)  # with the command's usage


async def test_appeal_and_pass_run_for_the_member(rig: Rig) -> None:
    sid = await scheduled(rig)
    for name in ("appeal", "pass"):
        answer = await slash(rig, name, ANA, session=sid)
        assert text_of(answer).strip()


async def test_a_session_option_cannot_add_words_to_the_line(rig: Rig) -> None:
    sid = await scheduled(rig)
    answer = await slash(rig, "claim", ANA, session=f"{sid} extra")
    assert refused(answer) and "is not an id" in text_of(answer)
    assert grammar_line("waive", "s-42", "discord:7") == "/waive s-42 discord:7"
    for bad in ("", "s 1", 's"1', "s'1", "s\n1"):
        with pytest.raises(InvalidInput):
            grammar_line("claim", bad)
