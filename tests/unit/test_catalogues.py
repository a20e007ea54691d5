"""The message catalogues are complete and faithful, and texts render in each language.

The messages are found in the source by Babel's extractor (the same one `make messages`
runs), never from a hand-kept list: a text marked with `t(...)`/`tn(...)` that a catalogue
lacks, leaves empty or fuzzy, or words with other `{placeholders}` fails here.
"""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.messages.catalog import Catalog, Message

from adapters.i18n import SHIPPED, BabelLanguages
from adapters.i18n.catalogue_files import SOURCES, extract, read
from adapters.i18n.languages import DOMAINS
from core import messages
from core.errors import InvalidInput
from core.i18n import ENGLISH, Duration, Text, When, joined, localize, placeholders, t, tn
from core.model import ReminderKind, TrainingSession
from core.notices import Notice
from core.recurrence import SERIES_HINT
from core.rules import check_title
from core.series_replies import timetable

LANGUAGES = BabelLanguages()
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else (str(message.id),)


def _forms(message: Message | None) -> tuple[str, ...]:
    if message is None:
        return ()
    found = message.string
    return tuple(found) if isinstance(found, tuple | list) else (str(found or ""),)


def catalogue_problems(template: Catalog, catalog: Catalog) -> list[str]:
    """What is wrong with `catalog` against the source's messages (`template`)."""
    problems = []
    for source in template:
        if not source.id:
            continue
        key = _ids(source)[0]
        found = catalog.get(key)
        english = frozenset().union(*(placeholders(form) for form in _ids(source)))
        if found is None:
            problems.append(f"missing: {key!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        elif not all(_forms(found)):
            problems.append(f"empty: {key!r}")
        elif any(placeholders(form) != english for form in _forms(found)):
            got = sorted(frozenset().union(*(placeholders(f) for f in _forms(found))))
            problems.append(f"placeholders {got} instead of {sorted(english)}: {key!r}")
    return problems


@pytest.fixture(scope="module")
def template() -> Catalog:
    return extract("core")


def test_the_extractor_finds_the_marked_texts(template: Catalog) -> None:
    ids = {_ids(m)[0] for m in template if m.id}
    assert "Reminder: “{title}” with {instructor} starts {lead}." in ids  # core/messages.py
    assert "A session needs a title." in ids  # an error's message (core/rules.py)
    assert 'Put it first, in quotes: "Kata basics".' in ids  # …and its hint
    assert "in {n} hour" in ids  # a counted one (core/reminders.py lead_text)
    assert len(ids) > 150
    assert set(SOURCES) == set(DOMAINS)


@pytest.mark.parametrize("domain", sorted(SOURCES))
@pytest.mark.parametrize("language", SHIPPED)
def test_every_catalogue_has_every_message_with_the_english_placeholders(
    domain: str, language: str
) -> None:
    assert catalogue_problems(extract(domain), read(domain, language)) == []


def test_the_check_catches_a_missing_an_empty_a_fuzzy_and_a_changed_placeholder() -> None:
    template = Catalog()
    for msgid in ("Hello {name}.", "Bye.", "Soon.", "Count {n}."):
        template.add(msgid)
    catalog = Catalog(locale="de")
    catalog.add("Hello {name}.", "Hallo {nom}.")
    catalog.add("Bye.", "")
    catalog.add("Soon.", "Bald.", flags=["fuzzy"])
    assert catalogue_problems(template, catalog) == [
        "placeholders ['nom'] instead of ['name']: 'Hello {name}.'",
        "empty: 'Bye.'",
        "fuzzy: 'Soon.'",
        "missing: 'Count {n}.'",
    ]


# ---------------------------------------------------------------- negotiation


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("ja-JP", "ja"),
        ("ja", "ja"),
        ("de-DE", "de"),
        ("es-ES", "es"),
        ("es-419", "es"),
        ("fr-CA", "fr"),
        ("fr_FR", "fr"),
        ("en-US", "en"),
        ("pt-BR", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_platform_locale_gets_the_nearest_shipped_language(
    locale: str | None, language: str
) -> None:
    assert LANGUAGES.translator(locale).locale == language


def test_the_default_language_is_english_as_the_core_writes_it() -> None:
    text = t("No session with id “{id}”.", id="s-1")
    assert LANGUAGES.translator(None) is ENGLISH
    assert localize(text, LANGUAGES.translator("pt-BR")) == str(text) == "No session with id “s-1”."
    assert BabelLanguages(default="fr").translator("pt-BR").locale == "fr"


# ---------------------------------------------------------------- texts stay English str


def _session(start: datetime) -> TrainingSession:
    return TrainingSession(
        id="s-7",
        title="Kata basics",
        instructor_id="slack:T1:U1",
        instructor_name="Sensei Ana",
        start_time=start,
        duration_minutes=90,
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_text_is_the_english_str_it_replaces_and_keeps_its_message() -> None:
    notice = messages.reminder(
        _session(NOW + timedelta(hours=1)), ReminderKind.BEFORE_1H, to_member=False
    )
    expected = "Reminder: “Kata basics” with Sensei Ana starts in 1 hour."
    assert notice.text == expected and isinstance(notice.text, Text)  # pydantic kept it
    again = Notice.model_validate(notice.model_dump())
    assert again.text == expected  # serialised as the English str
    assert isinstance(notice.model_copy(update={"locale": "ja"}).text, Text)
    deep = notice.model_copy(deep=True).text
    assert isinstance(deep, Text) and localize(deep, LANGUAGES.translator("de")).startswith(
        "Erinnerung: „Kata basics“"
    )
    counted = tn("in {n} hour", "in {n} hours", 2)
    for copied in (pickle.loads(pickle.dumps(counted)), copy.deepcopy(joined([counted, "!"]))):
        assert localize(copied, LANGUAGES.translator("fr")).startswith("dans 2 heures")


# ---------------------------------------------------------------- rendering


REMINDERS = {
    "ja": (
        "リマインダー：Sensei Ana さんの「Kata basics」が24 時間後に始まります。",
        "2026年12月2日(水) 18:00 CET (Europe/Berlin)",
        "1 時間 30 分",
    ),
    "de": (
        "Erinnerung: „Kata basics“ mit Sensei Ana beginnt in 24 Stunden.",
        "Mi., 2. Dez. 2026 18:00 CET (Europe/Berlin)",
        "1 Std. 30 Min.",
    ),
    "es": (
        "Recordatorio: «Kata basics» con Sensei Ana empieza dentro de 24 horas.",
        "mié, 2 dic 2026 18:00 CET (Europe/Berlin)",
        "1 h 30 min",
    ),
    "fr": (
        "Rappel\u00a0: «\u00a0Kata basics\u00a0» avec Sensei Ana commence dans 24 heures.",
        "mer. 2 déc. 2026 18:00 CET (Europe/Berlin)",
        "1\u202fh 30\u00a0min",  # Babel's French spacing (narrow and no-break spaces)
    ),
}


@pytest.mark.parametrize("language", sorted(REMINDERS))
def test_a_reminder_renders_in_the_readers_language_with_babel_dates_and_durations(
    language: str,
) -> None:
    start = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    tr = LANGUAGES.translator(language)
    reminder = messages.reminder(_session(start), ReminderKind.BEFORE_24H, to_member=True)
    sentence, when, length = REMINDERS[language]
    rendered = localize(reminder.text, tr)
    assert rendered.startswith(sentence), rendered
    moved = messages.moved_text("Kata basics", When(start, "Europe/Berlin"), "…")
    assert when in localize(moved, tr)
    watched = t("{name}: joined {joined}, left {left}, watched {watched}",
                name="Ana", joined=When(start, "UTC"), left=When(start, "UTC"),
                watched=Duration(timedelta(minutes=90)))  # fmt: skip
    assert localize(watched, tr).endswith(length)


def test_the_english_of_a_reminder_is_unchanged() -> None:
    start = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)
    reminder = messages.reminder(_session(start), ReminderKind.BEFORE_10M, to_member=True)
    assert reminder.text == (
        "Reminder: “Kata basics” with Sensei Ana starts in 10 minutes. "
        "The room opens now — use Join to get your personal link."
    )
    assert localize(reminder.text, LANGUAGES.translator("en-GB")) == reminder.text


def test_an_error_and_its_hint_render_in_french() -> None:
    with pytest.raises(InvalidInput) as raised:
        check_title("   ")
    error = raised.value
    fr = LANGUAGES.translator("fr-FR")
    assert localize(error.message, fr) == "Une séance a besoin d’un titre."
    hint = 'Mettez-le en premier, entre guillemets\u00a0: "Kata basics".'
    assert localize(error.hint or "", fr) == hint
    assert localize(error.user_text(), fr) == f"Une séance a besoin d’un titre.\n{hint}"
    assert error.user_text() == 'A session needs a title.\nPut it first, in quotes: "Kata basics".'


def test_counted_messages_take_each_languages_plural_and_local_digits() -> None:
    one = tn("{n} member is going; capacity can't go below {n}.",
             "{n} members are going; capacity can't go below {n}.", 1)  # fmt: skip
    many = tn("{n} member is going; capacity can't go below {n}.",
              "{n} members are going; capacity can't go below {n}.", 1200)  # fmt: skip
    assert str(one) == "1 member is going; capacity can't go below 1."
    assert str(many) == "1200 members are going; capacity can't go below 1200."
    de = LANGUAGES.translator("de")
    assert (
        localize(one, de) == "1 Mitglied ist angemeldet; die Kapazität kann nicht unter 1 sinken."
    )
    assert localize(many, de).startswith("1.200 Mitglieder sind angemeldet")
    assert localize(many, LANGUAGES.translator("ja")).startswith("1,200 人が参加予定です")


def test_nested_texts_and_weekday_lists_are_translated_too() -> None:
    from core.recurrence import WeeklyRule

    rule = WeeklyRule(
        weekdays=frozenset({0, 2}),
        local_time=datetime(2026, 1, 1, 17, 30).time(),
        timezone="Europe/Berlin",
        first_day=NOW.date(),
        until=datetime(2027, 6, 30).date(),
    )
    text = timetable(rule)
    assert text == "every Mon, Wed at 17:30 (Europe/Berlin) until Wed 30 Jun 2027"
    assert localize(text, LANGUAGES.translator("de")) == (
        "jede Woche Mo., Mi. um 17:30 (Europe/Berlin) bis Mi., 30. Juni 2027"
    )
    hint = t("Name the days, {example}.", example=SERIES_HINT)
    assert SERIES_HINT in hint  # the API still recognises the chat syntax in English
    assert localize(hint, LANGUAGES.translator("es")).startswith("Indica los días, p. ej. every")


class _Broken:
    """A translator whose catalogue has a translation with a placeholder of its own."""

    locale = "xx"

    def gettext(self, domain: str, message: str) -> str:
        return "Hallo {nom}."

    def ngettext(self, domain: str, singular: str, plural: str, n: int) -> str:
        return "{"

    def when(self, instant: datetime, tz: str, now: datetime | None = None) -> str:
        return ENGLISH.when(instant, tz, now)

    def duration(self, span: timedelta) -> str:
        return ENGLISH.duration(span)

    def number(self, n: int) -> str:
        return str(n)

    def day(self, value: date) -> str:
        return ENGLISH.day(value)

    def weekday(self, index: int) -> str:
        return ENGLISH.weekday(index)


def test_a_broken_translation_falls_back_to_english_instead_of_failing_a_delivery() -> None:
    assert localize(t("Hello {name}.", name="Ana"), _Broken()) == "Hello Ana."
    assert localize(tn("{n} day", "{n} days", 2), _Broken()) == "2 days"
