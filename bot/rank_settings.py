"""The rank-ladder settings (`DOJOBOT_RANKS__…`), turned into the core's `RankLadder` and
the weekly digest's schedule.

The ladder comes from `DOJOBOT_RANKS__LADDER` (JSON: a list of ranks, lowest first) or from
the file `DOJOBOT_RANKS__FILE` (JSON or TOML; TOML as `[[ranks]]` tables), not both. Each rank:
`{"name": "Orange", "min_classes": 24, "min_months": 3, "class_types": ["kihon"]}`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_settings import NoDecode

from core.rank_digest_duty import WEEKDAYS, DigestSchedule
from core.ranks import RankLadder, RankStep

LADDER_EXAMPLE = '[{"name": "White"}, {"name": "Yellow", "min_classes": 24, "min_months": 3}]'


class RankStepSetting(BaseModel):
    """One rank: its name and what reaching it takes, counted since the previous rank."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=60)
    min_classes: int = Field(default=0, ge=0, le=10_000)
    """Attended classes at the previous rank (0 or more)."""
    min_months: int = Field(default=0, ge=0, le=1_200)
    """Whole months since the promotion to the previous rank (0 or more)."""
    class_types: tuple[str, ...] = ()
    """Only classes with one of these tags count (none: every class)."""

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("a rank needs a name")
        return value

    @field_validator("class_types")
    @classmethod
    def _types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(v.strip() for v in value)
        if any(not v for v in cleaned):
            raise ValueError("class types must not be empty")
        return cleaned


def _loaded(value: object, source: str) -> object:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{source} is not valid JSON ({error.msg} at position {error.pos}); "
                f"write a list like {LADDER_EXAMPLE}"
            ) from None
    return value


def _steps_of(document: object, source: str) -> object:
    """The list of ranks in a loaded file: the document itself, or its `ranks`/`ladder`."""
    if isinstance(document, dict):
        for key in ("ranks", "ladder"):
            if key in document:
                return document[key]
        raise ValueError(f"{source} has no `ranks` list (TOML: [[ranks]] tables)")
    return document


def read_ladder_file(path: Path) -> list[Any]:
    """The ranks of a JSON or TOML file (ValueError naming the file when unreadable)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"cannot read the rank file {path}: {error.strerror}") from None
    source = f"the rank file {path}"
    if path.suffix.lower() == ".toml":
        import tomllib  # only a TOML rank file needs it

        try:
            document: object = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{source} is not valid TOML: {error}") from None
    else:
        document = _loaded(text, source)
    steps = _steps_of(document, source)
    if not isinstance(steps, list):
        raise ValueError(f"{source} must hold a list of ranks, e.g. {LADDER_EXAMPLE}")
    return steps


class RankSettings(BaseModel):
    """The association's rank ladder and the instructors' weekly digest (`docs/training-
    record.md`, "Rank progress"). No ladder: `/progress` and `/promote` say ranks are off."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ladder: Annotated[tuple[RankStepSetting, ...], NoDecode] = ()
    """The ranks in order, lowest first (JSON)."""
    file: Path | None = None
    """A JSON or TOML file with the ranks (instead of `ladder`)."""
    digest_weekday: str = "monday"
    """The day the instructors' digest of newly eligible members goes out."""
    digest_hour: int = Field(default=8, ge=0, le=23)
    """The hour (in the association's zone, `DOJOBOT_DEFAULT_TIMEZONE`) it goes out."""

    @field_validator("ladder", mode="before")
    @classmethod
    def _ladder(cls, value: object) -> object:
        return _loaded(value, "DOJOBOT_RANKS__LADDER")

    @field_validator("digest_weekday")
    @classmethod
    def _weekday(cls, value: str) -> str:
        word = value.strip().lower()
        found = [day for day in WEEKDAYS if len(word) >= 3 and day.startswith(word)]
        if not found:
            raise ValueError(f"unknown weekday {value!r}; use one of {', '.join(WEEKDAYS)}")
        return found[0]

    @model_validator(mode="after")
    def _one_source(self) -> RankSettings:
        if self.file is not None:
            if self.ladder:
                raise ValueError("set DOJOBOT_RANKS__LADDER or DOJOBOT_RANKS__FILE, not both")
            steps = read_ladder_file(self.file)
            try:
                ladder = tuple(RankStepSetting.model_validate(step) for step in steps)
            except ValueError as error:
                raise ValueError(f"the rank file {self.file}: {error}") from None
            object.__setattr__(self, "ladder", ladder)
        seen: set[str] = set()
        for step in self.ladder:
            key = step.name.casefold()
            if key in seen:
                raise ValueError(f"the rank {step.name!r} is named twice; rank names are unique")
            seen.add(key)
        return self

    def rank_ladder(self) -> RankLadder:
        """The core's ladder."""
        return RankLadder(
            steps=tuple(
                RankStep(
                    name=step.name,
                    min_classes=step.min_classes,
                    min_months=step.min_months,
                    class_types=step.class_types,
                )
                for step in self.ladder
            )
        )

    def digest_schedule(self, zone: str) -> DigestSchedule:
        """When the weekly digest goes out (`zone`: the association's)."""
        return DigestSchedule(
            weekday=WEEKDAYS.index(self.digest_weekday), hour=self.digest_hour, zone=zone
        )
