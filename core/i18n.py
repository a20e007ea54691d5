"""Translatable texts: English where they are made, any shipped language where they are read.

A `Text` is the English `str` every caller used before (equal to it, printable, testable),
that also remembers its message id (the English template) and its parameters, so an edge
that knows its reader can `render` it through a `Translator` in the reader's language.

Mark texts with `t("Template with {name}.", name=...)`, or `tn(singular, plural, n, ...)`
for a count; join several with `joined`. Parameters that are `When`, `Duration`, `Day` or
`Weekdays` (and ints) are written by the translator in the reader's locale; a parameter that
is itself a `Text` is rendered in the same language. `python -m bot.messages` (see
docs/i18n.md) extracts the templates into the catalogues.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Protocol

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema

DOMAIN = "core"
"""The catalogue of the texts the core words (front ends have their own domains)."""

DEFAULT_LOCALE = "en"


class Translator(Protocol):
    """Words and formats for one language."""

    @property
    def locale(self) -> str:
        """The language's code (`en`, `ja`, `de`, `es`, `fr`)."""
        ...

    def gettext(self, domain: str, message: str) -> str:
        """`message` (an English template) in this language."""
        ...

    def ngettext(self, domain: str, singular: str, plural: str, n: int) -> str:
        """The form of a counted template that suits `n`."""
        ...

    def when(self, instant: datetime, tz: str, now: datetime | None = None) -> str:
        """A moment in zone `tz` (and how far it is from `now`, when given)."""
        ...

    def duration(self, span: timedelta) -> str:
        """A length of time, to the minute."""
        ...

    def number(self, n: int) -> str:
        """A count."""
        ...

    def day(self, value: date) -> str:
        """A calendar day with its weekday."""
        ...

    def weekday(self, index: int) -> str:
        """A weekday's short name (Monday 0)."""
        ...


class Languages(Protocol):
    """The shipped languages: a `Translator` for a reader's locale (the default for None or
    a language not shipped)."""

    def translator(self, locale: str | None) -> Translator:
        """The translator that best matches `locale` (`ja-JP` → ja, `es-419` → es)."""
        ...


# ---------------------------------------------------------------- parameters


@dataclass(frozen=True)
class When:
    """A moment written in the reader's language, in zone `tz` (see `format_when`)."""

    instant: datetime
    tz: str
    now: datetime | None = None


@dataclass(frozen=True)
class Duration:
    """A length of time written in the reader's language (see `format_duration`)."""

    span: timedelta


@dataclass(frozen=True)
class Day:
    """A calendar day; `english` is its strftime pattern in the English text."""

    value: date
    english: str = "%a %d %b %Y"


@dataclass(frozen=True)
class Weekdays:
    """Days of the week (Monday 0), written as a list of short names."""

    days: tuple[int, ...]


def _param(value: object, tr: Translator) -> object:
    """One parameter as the translator writes it."""
    if isinstance(value, Text):
        return value.render(tr)
    if isinstance(value, When):
        return tr.when(value.instant, value.tz, value.now)
    if isinstance(value, Duration):
        return tr.duration(value.span)
    if isinstance(value, Day):
        return value.value.strftime(value.english) if tr.locale == "en" else tr.day(value.value)
    if isinstance(value, Weekdays):
        return ", ".join(tr.weekday(d) for d in value.days)
    if isinstance(value, int) and not isinstance(value, bool):
        return tr.number(value)
    return value


# ---------------------------------------------------------------- texts


class Text(str):
    """An English text that can be rendered in another language (see the module doc)."""

    def render(self, tr: Translator) -> str:
        """This text in `tr`'s language."""
        raise NotImplementedError


class Message(Text):
    """A catalogue message: its template (`msgid`; `plural` and its count `n` for counted
    ones) and its parameters."""

    msgid: str
    plural: str | None
    n: int | None
    params: Mapping[str, object]
    domain: str

    def __new__(
        cls,
        msgid: str,
        params: Mapping[str, object],
        *,
        plural: str | None = None,
        n: int | None = None,
        domain: str = DOMAIN,
    ) -> Message:
        english = _format(msgid if plural is None or n == 1 else plural, params, ENGLISH)
        self = super().__new__(cls, english)
        self.msgid, self.plural, self.n = msgid, plural, n
        self.params, self.domain = dict(params), domain
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle rebuild it from its parts
        return (_rebuild, (self.msgid, dict(self.params), self.plural, self.n, self.domain))

    def render(self, tr: Translator) -> str:
        if tr.locale == DEFAULT_LOCALE:
            return str(self)
        if self.plural is None or self.n is None:
            template = tr.gettext(self.domain, self.msgid)
        else:
            template = tr.ngettext(self.domain, self.msgid, self.plural, self.n)
        try:
            return _format(template, self.params, tr)
        except (KeyError, IndexError, ValueError):  # a broken translation: say it in English
            return str(self)


class Joined(Text):
    """Several texts joined by `separator` (lines, sentences; a `Text` separator such as
    `t(" or ")` is translated too)."""

    parts: tuple[str, ...]
    separator: str

    def __new__(cls, parts: Iterable[str], separator: str = "\n") -> Joined:
        kept = tuple(parts)
        self = super().__new__(cls, separator.join(kept))
        self.parts, self.separator = kept, separator
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Joined, (self.parts, self.separator))

    def render(self, tr: Translator) -> str:
        return localize(self.separator, tr).join(localize(part, tr) for part in self.parts)


class Value(Text):
    """One parameter alone (a `When`, a `Duration`…), written for each reader."""

    value: object

    def __new__(cls, value: object) -> Value:
        self = super().__new__(cls, str(_param(value, ENGLISH)))
        self.value = value
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Value, (self.value,))

    def render(self, tr: Translator) -> str:
        return str(_param(self.value, tr))


def _rebuild(
    msgid: str, params: dict[str, object], plural: str | None, n: int | None, domain: str
) -> Message:
    return Message(msgid, params, plural=plural, n=n, domain=domain)


def _format(template: str, params: Mapping[str, object], tr: Translator) -> str:
    return template.format_map({name: _param(value, tr) for name, value in params.items()})


def t(msgid: str, /, **params: object) -> Message:
    """A catalogue message (domain `core`); `msgid` is the English template."""
    return Message(msgid, params)


def tn(singular: str, plural: str, n: int, /, **params: object) -> Message:
    """A counted catalogue message; `n` is also available to the templates as `{n}`."""
    return Message(singular, {"n": n, **params}, plural=plural, n=n)


@dataclass(frozen=True)
class Domain:
    """A front end's own catalogue; its words module names the markers `t` and `tn`
    (`t, tn = Domain("slack").t, Domain("slack").tn`: Babel's extractor finds the calls
    by those names; see docs/i18n.md)."""

    name: str

    def t(self, msgid: str, /, **params: object) -> Message:
        """A message of this domain; `msgid` is the English template."""
        return Message(msgid, params, domain=self.name)

    def tn(self, singular: str, plural: str, n: int, /, **params: object) -> Message:
        """A counted message of this domain; `n` is also available to the templates as `{n}`."""
        return Message(singular, {"n": n, **params}, plural=plural, n=n, domain=self.name)


def joined(parts: Iterable[str], separator: str = "\n") -> Joined:
    """`separator.join(parts)` that each reader gets in their own language."""
    return Joined(parts, separator)


def value(param: When | Duration | Day | Weekdays | int) -> Value:
    """A text that is one parameter, written in each reader's locale."""
    return Value(param)


def localize(value: str, tr: Translator) -> str:
    """`value` in `tr`'s language when it is a `Text`; as it is otherwise."""
    return value.render(tr) if isinstance(value, Text) else value


def placeholders(template: str) -> frozenset[str]:
    """The `{names}` a template uses (what every translation of it must keep)."""
    return frozenset(f for _, f, _, _ in string.Formatter().parse(template) if f is not None)


def _keep_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


TextField = Annotated[
    str,
    PlainValidator(_keep_text),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string"}),
]
"""A pydantic field type for text: like `str`, but a `Text` stays a `Text` (pydantic would
otherwise copy it into a plain `str` and lose its translations)."""


# ---------------------------------------------------------------- languages


def negotiate(locale: str | None, shipped: Iterable[str]) -> str | None:
    """The shipped language for a platform's locale (`ja-JP` → ja, `es-419` → es), or None."""
    if not locale:
        return None
    language = locale.replace("_", "-").split("-")[0].strip().lower()
    return language if language in set(shipped) else None


class English:
    """The English the core has always written (the default translator)."""

    @property
    def locale(self) -> str:
        return DEFAULT_LOCALE

    def gettext(self, domain: str, message: str) -> str:
        return message

    def ngettext(self, domain: str, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    def when(self, instant: datetime, tz: str, now: datetime | None = None) -> str:
        from core.timeparse import format_when

        return format_when(instant, tz, now)

    def duration(self, span: timedelta) -> str:
        from core.timeparse import format_duration

        return format_duration(span)

    def number(self, n: int) -> str:
        return str(n)

    def day(self, value: date) -> str:
        return f"{value:%a %d %b %Y}"

    def weekday(self, index: int) -> str:
        return ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[index]


ENGLISH = English()


class EnglishOnly:
    """`Languages` that ships English alone (the core's default, and tests')."""

    def translator(self, locale: str | None) -> Translator:
        return ENGLISH
