"""The rank settings (`DOJOBOT_RANKS__…`): the ladder from JSON in the environment or from a
JSON/TOML file, refused with a clear message when wrong; the digest's weekday and hour."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.rank_settings import RankSettings
from bot.settings import Settings
from core.rank_digest_duty import DigestSchedule
from core.ranks import RankLadder, RankStep

LADDER = '[{"name": "White"}, {"name": " Orange ", "min_classes": 24, "min_months": 3,' \
    ' "class_types": ["kihon"]}]'  # fmt: skip


def settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(f"DOJOBOT_RANKS__{name.upper()}", value)
    return Settings(_env_file=None)


def test_no_ladder_by_default_and_a_monday_morning_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    ranks = settings(monkeypatch).ranks
    assert ranks.rank_ladder() == RankLadder()
    assert ranks.digest_schedule("Europe/Berlin") == DigestSchedule(0, 8, "Europe/Berlin")


def test_the_ladder_from_json_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    ranks = settings(monkeypatch, ladder=LADDER, digest_weekday="Fri", digest_hour="18").ranks
    assert ranks.rank_ladder() == RankLadder(
        steps=(RankStep("White"), RankStep("Orange", 24, 3, ("kihon",)))
    )
    assert ranks.digest_schedule("UTC") == DigestSchedule(4, 18, "UTC")


@pytest.mark.parametrize(
    ("ladder", "says"),
    [
        ('[{"name": "White"}, {"name": "white"}]', "named twice"),
        ('[{"name": "White", "min_classes": -1}]', "greater than or equal to 0"),
        ('[{"name": "White", "min_months": -2}]', "greater than or equal to 0"),
        ('[{"name": "  "}]', "needs a name"),
        ('[{"name": "White", "belt": "x"}]', "Extra inputs"),
        ('[{"name": "White"', "is not valid JSON"),
    ],
)
def test_a_wrong_ladder_is_refused_saying_why(
    monkeypatch: pytest.MonkeyPatch, ladder: str, says: str
) -> None:
    with pytest.raises(ValidationError, match=says):
        settings(monkeypatch, ladder=ladder)


def test_the_ladder_from_a_toml_or_json_file(tmp_path: Path) -> None:
    toml = tmp_path / "ranks.toml"
    toml.write_text(
        '[[ranks]]\nname = "White"\n\n[[ranks]]\nname = "Orange"\nmin_classes = 24\n',
        encoding="utf-8",
    )
    expected = RankLadder(steps=(RankStep("White"), RankStep("Orange", 24)))
    assert RankSettings(file=toml).rank_ladder() == expected
    json_file = tmp_path / "ranks.json"
    json_file.write_text('{"ranks": [{"name": "White"}, {"name": "Orange", "min_classes": 24}]}')
    assert RankSettings(file=json_file).rank_ladder() == expected


def test_a_wrong_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot read the rank file"):
        RankSettings(file=tmp_path / "missing.json")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[ranks]\nname =", encoding="utf-8")
    with pytest.raises(ValidationError, match="is not valid TOML"):
        RankSettings(file=bad)
    twice = tmp_path / "twice.json"
    twice.write_text('[{"name": "White"}, {"name": "WHITE"}]', encoding="utf-8")
    with pytest.raises(ValidationError, match="named twice"):
        RankSettings(file=twice)
    with pytest.raises(ValidationError, match="not both"):
        RankSettings.model_validate({"file": twice, "ladder": '[{"name": "White"}]'})


def test_an_unknown_weekday_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown weekday"):
        RankSettings(digest_weekday="someday")
    with pytest.raises(ValidationError, match="less than or equal to 23"):
        RankSettings(digest_hour=24)
