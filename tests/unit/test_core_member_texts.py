"""The core's member texts (member replies, their errors, /help, seats, failures, join-pass
refusals) are catalogue messages: English exactly as before, and each reader's language
through the shipped catalogues."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from adapters.i18n import BabelLanguages
from adapters.i18n.catalogue_files import extract
from core.attendance_report import attendance_lines, watch_time_text
from core.errors import InvalidInput
from core.failures import failure_text
from core.grammar import help_text, parse_command
from core.i18n import ENGLISH, Text, localize
from core.join_pass import InvalidJoinPass
from core.member_outcomes import MemberAction, MemberOutcome, member_lines
from core.members import (
    ClassReminderOverride,
    CodePurpose,
    MemberCode,
    MemberProfile,
    QuietHours,
    ReminderPreferences,
    ReminderRoute,
)
from core.model import Attendance, ReminderKind
from core.views import seats_text

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LANGUAGES = BabelLanguages()
JA, FR, DE = (LANGUAGES.translator(code) for code in ("ja", "fr", "de"))
NB = "\u00a0"


def profile() -> MemberProfile:
    return MemberProfile(
        id="slack:T1:U1",
        display_name="Ana",
        identities=["slack:T1:U1", "discord:42"],
        timezone="Europe/Paris",
        locale=None,
        last_seen_at=NOW,
        created_at=NOW,
        updated_at=NOW,
        preferences=ReminderPreferences(
            kinds=[ReminderKind.BEFORE_24H, ReminderKind.BEFORE_10M],
            route=ReminderRoute.DM,
            quiet_hours=QuietHours(start=time(22), end=time(7)),
            per_class={"k3x9": ClassReminderOverride(route=ReminderRoute.NONE)},
        ),
    )


def code(member_id: str = "slack:T1:U1") -> MemberCode:
    return MemberCode(
        code="K7MX2QPA",
        purpose=CodePurpose.LINK,
        member_id=member_id,
        issued_by="slack:T1:U1",
        expires_at=NOW + timedelta(minutes=15),
    )


def lines(outcome: MemberOutcome, tr: object = ENGLISH) -> list[str]:
    return [localize(line, tr) for line in member_lines(outcome, "Europe/Paris", NOW)]  # type: ignore[arg-type]


def test_the_profile_in_english_is_as_before_and_in_japanese_and_french() -> None:
    outcome = MemberOutcome(action=MemberAction.PROFILE, acting_id="discord:42", profile=profile())
    assert all(isinstance(line, Text) for line in member_lines(outcome, "Europe/Paris", NOW))
    assert lines(outcome) == [
        "Your profile (id slack:T1:U1):",
        "  name: Ana",
        "  time zone: Europe/Paris",
        "  language: not told (the association default)",
        "  accounts: slack:T1:U1, discord:42 (this one)",
        "  last seen: Tue 1 Dec 2026 10:00 CET (Europe/Paris) — now",
        "  reminders:",
        "    which: 24h before, 10m before",
        "    where: direct message",
        "    quiet hours: 22:00-07:00 (your zone)",
        "    class k3x9: nowhere (no reminders)",
        "Change: /reminders set … · /link · /forget-me (deletes all of this)",
    ]
    ja = lines(outcome, JA)
    assert ja[0] == "あなたのプロフィール（ID slack:T1:U1）："
    assert "  アカウント：slack:T1:U1, discord:42（このアカウント）" in ja
    assert "  言語：未設定（団体の既定）" in ja
    assert "    送り方：ダイレクトメッセージ" in ja
    assert any(line.startswith("  最終利用：2026年12月1日") for line in ja), ja
    fr = lines(outcome, FR)
    assert fr[0] == f"Votre profil (id slack:T1:U1){NB}:"
    assert f"    heures calmes{NB}: 22:00-07:00 (votre fuseau)" in fr
    assert f"    cours k3x9{NB}: nulle part (aucun rappel)" in fr


def test_link_and_forget_codes_and_the_outcomes_in_japanese_and_french() -> None:
    link = MemberOutcome(action=MemberAction.LINK_CODE, acting_id="slack:T1:U1", code=code())
    assert lines(link)[1] == (
        "  On your other account, type /link K7MX2QPA before "
        "Tue 1 Dec 2026 10:15 CET (Europe/Paris) — in 15 min."
    )
    ja = lines(link, JA)
    assert ja[0] == "あなたの連携コード：K7MX2QPA"
    assert ja[1].startswith("  もう一方のアカウントで、") and "/link K7MX2QPA" in ja[1]
    forget = MemberOutcome(
        action=MemberAction.FORGET_CODE, acting_id="slack:T1:U1", code=code("discord:7")
    )
    assert lines(forget)[0] == (
        "This deletes member discord:7 and the personal data with it, everywhere."
    )
    fr = lines(forget, FR)
    assert (
        fr[0] == "Cela supprime le membre discord:7 et les données personnelles associées, partout."
    )
    assert fr[2].startswith("  Pour confirmer, tapez /forget confirm K7MX2QPA avant ")
    gone = MemberOutcome(action=MemberAction.FORGOTTEN, acting_id="slack:T1:U1", kept=3)
    assert lines(gone)[1] == "  3 records stay, anonymous, as “(forgotten member)”."
    assert lines(gone, FR)[1] == (
        f"  3 enregistrements restent, anonymes, sous «{NB}(forgotten member){NB}»."
    )
    saved = MemberOutcome(
        action=MemberAction.REMINDERS_SET, acting_id="slack:T1:U1", profile=profile()
    )
    assert lines(saved, JA)[:2] == [
        "保存しました。あなたのリマインダー：",
        "  種類：24h 前, 10m 前",
    ]


def test_a_member_command_error_and_its_hint_in_french() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_command("/reminders set 5h", NOW, "UTC")
    error = caught.value
    assert error.message == '"5h" is not a reminder I can send.'  # English as before
    assert localize(error.message, FR) == f"«{NB}5h{NB}» n’est pas un rappel que je peux envoyer."
    assert localize(error.hint or "", FR).startswith(f"Rappels{NB}: 24h, 1h, 10m et un parmi ")
    assert f"Utilisation{NB}: /reminders" in localize(error.hint or "", FR)


def test_help_in_german_and_english_as_before() -> None:
    everything = help_text()
    assert everything.startswith("Commands:\n/schedule-session ")
    assert everything.endswith("\n/help <command> explains one.")
    german = localize(everything, DE)
    assert german.startswith("Befehle:\n/schedule-session ")  # the syntax stays as typed
    assert "\n    Eine Live-Sitzung planen.\n" in german
    assert "\n    Anzeigen, was dojobot über dich speichert.\n" in german
    assert german.endswith("\n/help <command> erklärt einen Befehl.")
    one = localize(help_text("schedule"), DE)
    assert one.splitlines()[0] == "Eine Live-Sitzung planen."
    assert one.splitlines()[1].startswith('Verwendung: /schedule-session "Title" <when>')
    assert "Zeiten (auf Englisch): tomorrow 18:00" in one and "Dauern: 60m" in one


def test_seats_failures_and_join_pass_refusals_in_each_language() -> None:
    assert seats_text(20, 7, 2) == "7/20 going, 2 waitlisted"
    assert seats_text(None, 7, 0) == "7 going"
    assert localize(seats_text(20, 7, 2), JA) == "7/20 人参加予定、キャンセル待ち 2 人"
    assert localize(seats_text(None, 1, 1), FR) == f"Inscrits{NB}: 1, 1 en liste d’attente"
    assert failure_text("7F3A2C").startswith("Something went wrong (ref 7F3A2C). ")
    assert localize(failure_text("7F3A2C"), DE).startswith(
        "Etwas ist schiefgelaufen (Ref. 7F3A2C)."
    )
    expired = InvalidJoinPass(expired=True)
    assert expired.message == "This join link has expired."
    assert localize(expired.message, JA) == "この参加リンクは期限切れです。"


def test_watch_times_in_the_attendance_summary_in_japanese_and_german() -> None:
    assert [watch_time_text(s) for s in (30, 45 * 60, 65 * 60)] == [
        "<1 min",
        "45 min",
        "1 h 05 min",
    ]
    assert localize(watch_time_text(65 * 60), JA) == "1 時間 05 分"
    attendance = [
        Attendance(
            session_id="s",
            member_id="a",
            member_name="Ann",
            joined_at=NOW,
            left_at=None,
            watch_time_seconds=45 * 60,
        ),
        Attendance(
            session_id="s",
            member_id="b",
            member_name="Bob",
            joined_at=NOW,
            left_at=None,
            watch_time_seconds=20,
        ),
    ]
    [line] = attendance_lines(attendance, [])
    assert line == "Attended (2): Ann 45 min, Bob <1 min"
    assert localize(line, DE).endswith("Ann 45 Min., Bob <1 Min.")


def test_test_only_texts_stay_out_of_the_core_catalogue(tmp_path: Path) -> None:
    (tmp_path / "core" / "testing").mkdir(parents=True)
    (tmp_path / "core" / "real.py").write_text('t("Said to members.")\n')
    (tmp_path / "core" / "testing" / "fake.py").write_text('t("Only a test says this.")\n')
    assert [m.id for m in extract("core", tmp_path) if m.id] == ["Said to members."]
    shipped = [loc for m in extract("core") for loc, _ in m.locations]
    assert shipped and not [loc for loc in shipped if loc.startswith("core/testing/")]
