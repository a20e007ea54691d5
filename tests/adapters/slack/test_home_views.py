"""The Home tab and /reminders modal within Slack's rules, and a fake that refuses views like
Slack: views.publish wants a user and a `home` view, modals must be modals, and a select's or
checkbox group's initial choice must be one of its options."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.i18n.languages import BabelLanguages
from adapters.slack.limits import MODAL_BLOCKS_MAX, view_problems
from adapters.slack.preferences_form import changed_preferences
from adapters.slack.render_preferences import (
    ACTION_CUSTOM,
    ACTION_KINDS,
    ACTION_QUIET_END,
    ACTION_QUIET_START,
    home_view,
    preferences_modal,
)
from core.errors import InvalidInput
from core.members import MemberProfile, QuietHours, ReminderPreferences, ReminderRoute
from core.model import ReminderKind
from core.recurrence import WeeklyRule
from core.reminder_preferences import ReminderDefaults
from core.series import Series
from tests.adapters.slack.fake_client import fake_slack_client
from tests.fakes.slack_api import FakeSlackApi

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def profile(preferences: ReminderPreferences | None = None) -> MemberProfile:
    return MemberProfile(
        id="slack:T0DOJO:U1",
        display_name="<!channel> & co",
        identities=["slack:T0DOJO:U1"],
        preferences=preferences or ReminderPreferences(),
        last_seen_at=NOW,
        created_at=NOW,
        updated_at=NOW,
    )


def series(n: int) -> Series:
    return Series.model_validate(
        {
            "id": f"k{n}",
            "root_id": f"k{n}",
            "title": f"Class {n} <@U0ANA> & friends " * 10,
            "instructor_id": "slack:T0DOJO:U9",
            "instructor_name": "Sensei",
            "rule": WeeklyRule.model_validate(
                {
                    "weekdays": [0],
                    "local_time": time(18, 0),
                    "timezone": "Europe/Berlin",
                    "first_day": date(2026, 12, 7),
                    "until": date(2027, 6, 28),
                }
            ),
            "duration_minutes": 60,
            "created_at": NOW,
            "updated_at": NOW,
        }
    )


@pytest.fixture
async def client() -> AsyncIterator[tuple[FakeSlackApi, AsyncWebClient]]:
    async with fake_slack_client("Ana") as (api, web):
        yield api, web


def test_every_surface_is_within_slacks_rules_even_when_full() -> None:
    chosen = ReminderPreferences(
        kinds=[ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H],
        route=ReminderRoute.NONE,
        quiet_hours=QuietHours(start=time(22), end=time(7)),
    )
    classes = [series(n) for n in range(40)]
    for prefs in (ReminderPreferences(), chosen, ReminderPreferences(kinds=[])):
        for view in (
            home_view(profile(prefs), "Asia/Tokyo", "x" * 5000, classes),
            preferences_modal(profile(prefs), "Asia/Tokyo", "<!here>", classes),
            home_view(profile(prefs), "UTC"),
        ):
            assert view_problems(view) == [], view
            assert len(view["blocks"]) <= MODAL_BLOCKS_MAX
            assert "<!channel>" not in str(view) and "<@U0ANA>" not in str(view)


def test_a_changed_choice_keeps_the_others_and_bad_values_are_refused() -> None:
    prefs = ReminderPreferences(kinds=[ReminderKind.BEFORE_1H, ReminderKind.BEFORE_30M])
    picked = {"action_id": ACTION_KINDS, "selected_options": [{"value": "24h"}]}
    assert changed_preferences(prefs, picked).kinds == [
        ReminderKind.BEFORE_24H,
        ReminderKind.BEFORE_30M,  # the custom one stays
    ]
    off = {"action_id": ACTION_CUSTOM, "selected_option": {"value": "off"}}
    assert changed_preferences(prefs, off).kinds == [ReminderKind.BEFORE_1H]
    until = {"action_id": ACTION_QUIET_END, "selected_time": "06:15"}
    assert changed_preferences(prefs, until).quiet_hours == QuietHours(
        start=time(22), end=time(6, 15)
    )
    for forged in (
        {"action_id": ACTION_KINDS, "selected_options": [{"value": "2h"}]},  # not a standard
        {"action_id": ACTION_CUSTOM, "selected_option": {"value": "1h"}},  # not a custom
        {"action_id": ACTION_QUIET_END, "selected_time": "25:00"},
        {"action_id": "dojo_pref_nope"},
    ):
        with pytest.raises(InvalidInput):
            changed_preferences(prefs, forged)


def test_initial_choices_must_be_among_the_options() -> None:
    view = home_view(profile(), "UTC")
    kinds = next(b for b in view["blocks"] if b.get("block_id") == "pref_kinds")["accessory"]
    kinds["initial_options"] = [{"text": {"type": "plain_text", "text": "x"}, "value": "x"}]
    assert any("must match one of the options" in p for p in view_problems(view))
    kinds["initial_options"] = []
    assert any("at least 1 items" in p for p in view_problems(view))
    del kinds["initial_options"]
    kinds["options"] = kinds["options"] * 4  # 12 checkboxes
    assert any("no more than 10 items" in p for p in view_problems(view))


def test_elements_only_where_slack_takes_them() -> None:
    text_input = {"type": "plain_text_input", "action_id": "x"}
    view = home_view(profile(), "UTC")
    view["blocks"].append({"type": "actions", "elements": [text_input]})
    view["blocks"].append(
        {"type": "section", "text": {"type": "mrkdwn", "text": "x"}, "accessory": text_input}
    )
    problems = view_problems(view)
    assert any("not allowed in an actions block" in p for p in problems)
    assert any("not allowed as an accessory" in p for p in problems)


async def test_the_fake_refuses_views_slack_would_refuse(
    client: tuple[FakeSlackApi, AsyncWebClient],
) -> None:
    api, web = client
    home = home_view(profile(), "UTC")
    answer = await web.views_publish(user_id="U1", view=home)
    assert answer["view"]["type"] == "home" and api.home_views["U1"]["hash"] == "h1"
    modal = preferences_modal(profile(), "UTC")
    refused = [
        web.views_publish(user_id="U1", view=modal),  # a modal is not a Home tab
        web.api_call("views.publish", json={"view": home}),  # whose Home tab?
        web.views_open(trigger_id="1.1.x", view=home),  # a Home tab is not a modal
        web.api_call("views.update", json={"view": modal}),  # which view?
    ]
    for call in refused:
        with pytest.raises(SlackApiError) as error:
            await call
        assert error.value.response["error"] == "invalid_arguments"
    with pytest.raises(SlackApiError) as error:
        await web.views_publish(user_id="U404", view=home)
    assert error.value.response["error"] == "user_not_found"
    with pytest.raises(SlackApiError) as error:
        await web.views_update(view_id="V404", view=modal)
    assert error.value.response["error"] == "not_found"
    opened = await web.views_open(trigger_id="1.2.x", view=modal)
    updated = await web.views_update(view_id=opened["view"]["id"], view=modal)
    assert updated["view"]["hash"] == "h2"
    with pytest.raises(SlackApiError) as error:
        await web.views_update(view_id=opened["view"]["id"], view=modal, hash="h1")
    assert error.value.response["error"] == "hash_conflict"


def test_a_member_who_never_chose_sees_and_starts_from_the_associations_defaults() -> None:
    defaults = ReminderDefaults(kinds=[ReminderKind.BEFORE_1H], route=ReminderRoute.NONE)
    view = home_view(profile(), "UTC", defaults=defaults)
    kinds = next(b for b in view["blocks"] if b.get("block_id") == "pref_kinds")["accessory"]
    assert [o["value"] for o in kinds["initial_options"]] == ["1h"]
    route = next(b for b in view["blocks"] if b.get("block_id") == "pref_route")["accessory"]
    assert "No reminders" in route["placeholder"]["text"]
    extra = {"action_id": ACTION_CUSTOM, "selected_option": {"value": "2h"}}
    assert changed_preferences(ReminderPreferences(), extra, defaults=defaults).kinds == [
        ReminderKind.BEFORE_2H,
        ReminderKind.BEFORE_1H,
    ]


def test_two_quick_changes_do_not_undo_each_other() -> None:
    """The second change reads its partner element from the view's state (what the member
    sees), not from a store the first change may not have reached yet."""
    stored = ReminderPreferences()
    state = {
        "pref_kinds": {
            ACTION_KINDS: {"type": "checkboxes", "selected_options": [{"value": "24h"}]}
        },
        "pref_quiet": {ACTION_QUIET_START: {"type": "timepicker", "selected_time": "23:15"}},
    }
    end = {"action_id": ACTION_QUIET_END, "selected_time": "06:00"}
    changed = changed_preferences(stored, end, state=state)
    assert changed.quiet_hours == QuietHours(start=time(23, 15), end=time(6))
    extra = {"action_id": ACTION_CUSTOM, "selected_option": {"value": "2h"}}
    changed = changed_preferences(stored, extra, state=state)
    assert changed.kinds == [ReminderKind.BEFORE_24H, ReminderKind.BEFORE_2H]


def test_a_weekly_class_on_the_home_tab_is_quoted_as_the_reader_quotes() -> None:
    """The per-class line names the class in the reader's quotation marks (« » in French,
    「」 in Japanese), as every other Slack text does, not in English ones."""
    languages = BabelLanguages()
    for locale, opening in (("fr", "«\u00a0Class 1"), ("ja", "「Class 1"), ("en", "“Class 1")):
        home = home_view(
            profile(), "Europe/Paris", None, [series(1)], tr=languages.translator(locale)
        )
        [line] = [b for b in home["blocks"] if b.get("block_id") == "pref_class_k1"]
        assert line["text"]["text"].startswith(opening), (locale, line["text"]["text"])
