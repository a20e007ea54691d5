"""Text → typed command: the grammar shared by every text front end.

Words are split like a shell: quotes ("…" or '…') group words, and a lone apostrophe
(`instructor's ill`) is kept as text. The leading `/` is optional; command names are
case-insensitive and a few aliases exist (`schedule`, `cancel`, `list`…).

Where a time ends (`/schedule-session "Kata" tomorrow 18:00 60m cap 20`): the time runs up to
the first option keyword, or up to the first standalone duration (`45m`, `90`, `1h30m`,
`30 minutes`) that follows a complete time. So `in 2 hours 45m` means "in 2 hours, for 45
minutes"; write `in 2h45m` for one time. A number followed by a month name is a day of the
month, not a duration (`18:00 1 dec`). Whatever is left after the longest time that parses
must be options.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.audit_grammar import AUDIT_PARSERS
from core.catalogue import CATALOGUE, COMMANDS, DURATION_HELP, TIME_HELP
from core.commands import (
    CancelSession,
    Command,
    CreateEvent,
    EndSession,
    Help,
    JoinSession,
    ListSessions,
    RsvpGoing,
    RsvpLeave,
    ScheduleSession,
    ShowAttendance,
    ShowEvent,
    ShowSession,
    StartRecording,
    StartSession,
    StopRecording,
    UpdateSession,
)
from core.errors import InvalidInput
from core.export_grammar import EXPORT_PARSERS
from core.feed_grammar import FEED_PARSERS
from core.i18n import Text, joined, t
from core.ledger_grammar import LEDGER_PARSERS
from core.member_grammar import MEMBER_PARSERS
from core.min_attendance_grammar import MIN_ATTENDANCE_PARSERS
from core.model import SessionStatus, Visibility
from core.no_show_grammar import NO_SHOW_PARSERS
from core.offer_grammar import OFFER_PARSERS
from core.rank_grammar import RANK_PARSERS
from core.series_grammar import SERIES_PARSERS, OptionReader
from core.substitute_grammar import SUBSTITUTE_PARSERS
from core.timeparse import (
    DURATION_HINT,
    is_duration,
    is_month,
    is_time_part,
    is_time_word,
    parse_duration,
    parse_when,
    split_when,
)
from core.training_page_grammar import TRAINING_PAGE_PARSERS

USAGE: dict[str, Text] = {
    name: joined(
        [
            t("Usage: {usage}", usage=info.usage),
            t("Example: {example}", example=info.example_line),
        ]
    )
    for name, info in COMMANDS.items()
}
"""Per command: its usage line and one example, as shown in error hints."""

ALIASES: dict[str, str] = {
    "schedule": "schedule-session",
    "update": "update-session",
    "list": "sessions",
    "show": "session",
    "cancel": "cancel-session",
    "start": "start-session",
    "end": "end-session",
    "record": "recording",
    "going": "rsvp",
    "?": "help",
}


_FLAGS: dict[str, tuple[str, object]] = {
    **dict.fromkeys(("rec", "recording", "record"), ("recording_enabled", True)),
    **dict.fromkeys(("norec", "no-rec", "no-recording"), ("recording_enabled", False)),
    "chat": ("chat_enabled", True),
    **dict.fromkeys(("nochat", "no-chat"), ("chat_enabled", False)),
    "public": ("visibility", Visibility.PUBLIC),
    **dict.fromkeys(
        ("members-only", "members", "private"), ("visibility", Visibility.MEMBERS_ONLY)
    ),
}
_VALUED = frozenset(
    {"cap", "capacity", "unlimited", "duration", "for", "event", "tags", "desc", "description"}
    | {"min", "minimum", "nomin", "no-min", "decide"}
)
_TIME_ENDS = frozenset(_FLAGS) | (_VALUED - {"min"}) | {"title"}
"""Keywords that end a time; `at`/`when` are not among them (`tomorrow at 18:00`), nor
`min` (`in 30 min` is a time)."""

_STATUSES: dict[str, SessionStatus] = {
    "scheduled": SessionStatus.SCHEDULED,
    "upcoming": SessionStatus.SCHEDULED,
    "live": SessionStatus.LIVE,
    "ended": SessionStatus.ENDED,
    "not-held": SessionStatus.NOT_HELD,
    "not_held": SessionStatus.NOT_HELD,
    "canceled": SessionStatus.CANCELED,
    "cancelled": SessionStatus.CANCELED,
}
_RSVP_LEAVE = frozenset({"leave", "no", "out", "cancel", "not-going"})
_RSVP_GOING = frozenset({"going", "yes", "in"})
_UNIT_WORDS = frozenset(
    {"m", "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "d", "day", "days"}
)


# ---------------------------------------------------------------- help


def help_text(topic: str | None = None) -> Text:
    """All commands with a one-line summary, or the detail of one (`topic`, with or without /)."""
    if topic is None:
        lines = [joined([info.usage, joined(["    ", info.summary], "")]) for info in CATALOGUE]
        return joined([t("Commands:"), *lines, t("/help <command> explains one.")])
    name = _command_name(topic)
    parts: list[str] = [COMMANDS[name].summary, USAGE[name]]
    if name in ("schedule-session", "update-session"):
        parts += [TIME_HELP, DURATION_HELP]
    return joined(parts)


def _command_name(word: str) -> str:
    """Canonical command name for `word` (`/Schedule` → `schedule-session`), or InvalidInput."""
    name = word.strip().lstrip("/").lower()
    name = ALIASES.get(name, name)
    if name in COMMANDS:
        return name
    close = difflib.get_close_matches(name, [*COMMANDS, *ALIASES], n=1)
    if not close:
        raise InvalidInput(
            t('Unknown command "/{name}".', name=name), t("Type /help to see all commands.")
        )
    guess = ALIASES.get(close[0], close[0])
    hint = joined(
        [t("Did you mean /{guess}? Type /help to see all commands.", guess=guess), USAGE[guess]]
    )
    raise InvalidInput(t('Unknown command "/{name}".', name=name), hint)


# ---------------------------------------------------------------- tokens


_SMART_QUOTES = str.maketrans("“”‘’", "\"\"''")


def _tokenize(text: str) -> list[str]:
    """Shell-like words; falls back to double quotes only so apostrophes stay text."""
    text = text.translate(_SMART_QUOTES)
    try:
        return shlex.split(text)
    except ValueError:
        pass
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    lexer.quotes = '"'
    try:
        return list(lexer)
    except ValueError:
        raise InvalidInput(
            t("A quote is not closed in: {text}", text=text), _quote_hint(text)
        ) from None


def _quote_hint(text: str) -> str:
    """Close-your-quotes advice plus the usage of the command, if the first word names one."""
    hint = t('Close every quote you open, e.g. "Kata basics".')
    try:
        return joined([hint, USAGE[_command_name(text.split()[0])]])
    except InvalidInput:
        return hint


@dataclass
class _Context:
    """One parse: the command's name, its arguments and the time reference."""

    name: str
    args: list[str]
    now: datetime
    tz: str

    def error(self, message: str, extra_hint: str | None = None) -> InvalidInput:
        """An InvalidInput whose hint is `extra_hint` (if any) then this command's usage."""
        hint = USAGE[self.name] if extra_hint is None else joined([extra_hint, USAGE[self.name]])
        return InvalidInput(message, hint)

    def parses_as_time(self, tokens: list[str]) -> bool:
        try:
            parse_when(" ".join(tokens), self.now, self.tz)
        except InvalidInput:
            return False
        return True


# ---------------------------------------------------------------- times and durations


def _duration_at(tokens: list[str], i: int) -> tuple[int, int] | None:
    """(minutes, tokens used) if a duration starts at `tokens[i]`: `90m`, `90`, `90 minutes`."""
    if i >= len(tokens):
        return None
    token = tokens[i]
    following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
    if re.fullmatch(r"\d+(\.\d+)?", token) and following in _UNIT_WORDS:
        pair = f"{token} {following}"
        return (_minutes(parse_duration(pair)), 2) if is_duration(pair) else None
    if is_duration(token) and not is_month(following):
        return _minutes(parse_duration(token)), 1
    return None


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def _time_end(ctx: _Context, tokens: list[str], start: int) -> int:
    """Index where the time starting at `tokens[start]` ends (see the module rules)."""
    for j in range(start, len(tokens)):
        if tokens[j].lower() in _TIME_ENDS:
            return j
        if j > start and _duration_at(tokens, j) and ctx.parses_as_time(tokens[start:j]):
            return j
    return len(tokens)


def _take_time(ctx: _Context, tokens: list[str], start: int) -> tuple[datetime, int]:
    """Parse the time starting at `tokens[start]`; return it and the index after it."""
    candidate = tokens[start : _time_end(ctx, tokens, start)]
    if not candidate:
        raise ctx.error(t("Missing the start time."), TIME_HELP)
    try:
        when, used = split_when(candidate, ctx.now, ctx.tz)
        if used < len(candidate) and _belongs_to_time(candidate[used]):
            parse_when(" ".join(candidate[: used + 1]), ctx.now, ctx.tz)  # says why not
    except InvalidInput as exc:
        raise ctx.error(exc.message, exc.hint) from None
    return when, start + used


def _durationish(word: str) -> bool:
    """Shaped like a duration, valid or not (`0m`, `-5m`, `1.3m`, `0`); not `6pm`."""
    key = word.lower()
    shaped = re.fullmatch(r"-?\d+(\.\d+)?([a-z]+\d*)*", key) is not None
    return shaped and not key.endswith(("am", "pm"))


def _belongs_to_time(word: str) -> bool:
    """Left over after the longest time: is it a broken part of that time (say why)?"""
    return is_time_part(word) and not _durationish(word)


def _close_keyword(word: str) -> str | None:
    """The option keyword `word` is probably a typo of (`capp` → `cap`), if any."""
    close = difflib.get_close_matches(word.lower(), sorted(_TIME_ENDS), n=1, cutoff=0.75)
    return close[0] if close else None


def _starts_date(word: str) -> bool:
    """A time word that is not a bare clock: today, fri, in, 2026-12-01…"""
    return is_time_word(word) and not re.fullmatch(r"[\d:]+(am|pm)?", word.lower())


# ---------------------------------------------------------------- options


@dataclass
class _Options:
    """Options of schedule/update: `values` holds the command fields the text set, by the
    commands' own field names (see `ScheduleSession`, `UpdateSession`)."""

    values: dict[str, object] = field(default_factory=dict)
    unlimited: bool = False


_LABELS = {
    "duration_minutes": t("duration"),
    "recording_enabled": t("recording"),
    "chat_enabled": t("chat"),
    "event_id": t("event"),
    "start_time": t("time"),
    "title": t("title"),
    "capacity": t("capacity"),
    "description": t("description"),
    "tags": t("tags"),
    "visibility": t("visibility"),
    "min_going": t("minimum"),
    "min_decide_minutes": t("decision time"),
}
"""Each option as a member names it (its field's name when missing here)."""


class _OptionParser:
    """Reads `[option value]…` for schedule/update, refusing repeats and unknown words."""

    def __init__(self, ctx: _Context, tokens: list[str], allow_title_and_time: bool) -> None:
        self.ctx, self.tokens, self.pos = ctx, tokens, 0
        self.allow_title_and_time = allow_title_and_time
        self.options = _Options()
        self.handlers = self._handlers()

    def parse(self) -> _Options:
        while self.pos < len(self.tokens):
            self._step()
        return self.options

    def _set(self, name: str, value: object, word: str) -> None:
        label = _LABELS.get(name, name)
        if name in self.options.values:
            raise self.ctx.error(
                t('The {label} is given twice (again at "{word}").', label=label, word=word)
            )
        self.options.values[name] = value

    def _value(self, keyword: str, example: str) -> str:
        if self.pos >= len(self.tokens):
            raise self.ctx.error(
                t('"{keyword}" needs a value, e.g. {example}.', keyword=keyword, example=example)
            )
        self.pos += 1
        return self.tokens[self.pos - 1]

    def _step(self) -> None:
        word = self.tokens[self.pos]
        key = word.lower()
        if key in _FLAGS:
            self.pos += 1
            self._set(*_FLAGS[key], word)
        elif key in ("at", "when") and self.allow_title_and_time:
            when, self.pos = _take_time(self.ctx, self.tokens, self.pos + 1)
            self._set("start_time", when, word)
        elif duration := _duration_at(self.tokens, self.pos):
            self.pos += duration[1]
            self._set("duration_minutes", duration[0], word)
        elif handler := self.handlers.get(key):
            self.pos += 1
            handler(word)
        elif _durationish(word):
            try:
                parse_duration(word)
            except InvalidInput as exc:
                raise self.ctx.error(exc.message, exc.hint) from None
            raise self.ctx.error(t('I do not understand "{word}".', word=word))
        else:
            raise self.ctx.error(
                t('I do not understand "{word}".', word=word), self._unknown_hint(word)
            )

    def _handlers(self) -> dict[str, Callable[[str], None]]:
        handlers: dict[str, Callable[[str], None]] = {
            "cap": self._capacity,
            "capacity": self._capacity,
            "unlimited": lambda word: self._set_unlimited(word),
            "duration": self._duration,
            "for": self._duration,
            "event": lambda word: self._set("event_id", self._value(word, "event e-7"), word),
            "tags": self._tags,
            "desc": self._description,
            "description": self._description,
            "min": self._minimum,
            "minimum": self._minimum,
            "nomin": self._no_minimum,
            "no-min": self._no_minimum,
            "decide": self._decide,
        }
        if self.allow_title_and_time:
            handlers["title"] = self._title
        return handlers

    def _unknown_hint(self, word: str) -> str | None:
        if self.allow_title_and_time and is_time_word(word):
            return t("To change the time write: at {time}", time=" ".join(self.tokens[self.pos :]))
        if keyword := _close_keyword(word):
            return t("Did you mean {keyword}?", keyword=keyword)
        return None

    def _capacity(self, word: str) -> None:
        value = self._value(word, "cap 20")
        if value.lower() == "unlimited":
            self._set_unlimited(word)
        elif re.fullmatch(r"[+-]?\d+", value):
            self._set("capacity", int(value), word)
        else:
            raise self.ctx.error(
                t('The capacity must be a whole number, not "{value}".', value=value),
                t("Write cap 20 or unlimited."),
            )

    def _minimum(self, word: str) -> None:
        value = self._value(word, "min 5")
        if not re.fullmatch(r"[+-]?\d+", value):
            raise self.ctx.error(
                t('The minimum must be a whole number, not "{value}".', value=value),
                t("Write min 5 (at least 5 going), or nomin for no minimum."),
            )
        if self.options.values.get("no_minimum"):
            raise self.ctx.error(
                t('Give either min N or nomin, not both (at "{word}").', word=word)
            )
        self._set("min_going", int(value), word)

    def _no_minimum(self, word: str) -> None:
        if not self.allow_title_and_time:  # only a change removes a minimum
            raise self.ctx.error(
                t('"{word}" only changes a session; leave the minimum out instead.', word=word)
            )
        if "min_going" in self.options.values:
            raise self.ctx.error(
                t('Give either min N or nomin, not both (at "{word}").', word=word)
            )
        self._set("no_minimum", True, word)

    def _decide(self, word: str) -> None:
        duration = _duration_at(self.tokens, self.pos)
        if duration is None:
            value = self.tokens[self.pos] if self.pos < len(self.tokens) else ""
            raise self.ctx.error(
                t('"decide" needs how long before the start, not "{value}".', value=value),
                t("Write decide 3h (decided 3 hours before the start)."),
            )
        self.pos += duration[1]
        self._set("min_decide_minutes", duration[0], word)

    def _set_unlimited(self, word: str) -> None:
        self._set("capacity", None, word)
        self.options.unlimited = True

    def _duration(self, word: str) -> None:
        duration = _duration_at(self.tokens, self.pos)
        if duration is None:
            value = self.tokens[self.pos] if self.pos < len(self.tokens) else ""
            message = (
                t('"{word}" needs a duration, not "{value}".', word=word, value=value)
                if value
                else t('"{word}" needs a duration.', word=word)
            )
            raise self.ctx.error(message, DURATION_HINT)
        self.pos += duration[1]
        self._set("duration_minutes", duration[0], word)

    def _tags(self, word: str) -> None:
        parts = [self._value(word, "tags kata,beginners")]
        while parts[-1].endswith(",") and self.pos < len(self.tokens):  # tags kata, beginners
            parts.append(self._value(word, ""))
        tags = [tag.strip().lstrip("#") for tag in ",".join(parts).split(",")]
        unique = list(dict.fromkeys(tag for tag in tags if tag))
        if not unique:
            raise self.ctx.error(t('"tags" needs at least one tag, e.g. tags kata,beginners.'))
        self._set("tags", unique, word)

    def _description(self, word: str) -> None:
        self._set("description", self._value(word, 'desc "Bring a belt"'), word)

    def _title(self, word: str) -> None:
        title = self._value(word, 'title "Kata basics"').strip()
        if not title:
            raise self.ctx.error(t("The title cannot be empty."))
        self._set("title", title, word)


# ---------------------------------------------------------------- schedule / update


def _schedule(ctx: _Context) -> ScheduleSession:
    args = ctx.args
    if not args:
        raise ctx.error(t("Missing the title and the start time."))
    title = args[0].strip()
    if not title or is_time_word(title):
        raise ctx.error(
            t('Missing the title: "{title}" is not a title.', title=title),
            t("Put the title first."),
        )
    if len(args) == 1:
        raise ctx.error(t("Missing the start time."), TIME_HELP)
    try:
        start_time, end = _take_time(ctx, args, 1)
    except InvalidInput:
        _refuse_unquoted_title(ctx)
        raise
    options = _OptionParser(ctx, args[end:], allow_title_and_time=False).parse()
    given = {"title": title, "start_time": start_time, **options.values}
    return ScheduleSession.model_validate(given)  # fields not given keep the defaults


def _refuse_unquoted_title(ctx: _Context) -> None:
    """If the time fails only because the title spilled over, say to quote the title."""
    for split in range(2, min(len(ctx.args), 8)):
        if ctx.args[split].lower() in _TIME_ENDS:
            return
        if _starts_date(ctx.args[split]) and ctx.parses_as_time(
            ctx.args[split : _time_end(ctx, ctx.args, split)]
        ):
            title = " ".join(ctx.args[:split])
            raise ctx.error(t('Titles with spaces need quotes: "{title}".', title=title))


def _update(ctx: _Context) -> UpdateSession:
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    options = _OptionParser(ctx, ctx.args[1:], allow_title_and_time=True).parse()
    if not options.values:
        raise ctx.error(t("Nothing to change: give at least one option."))
    given = {"session_id": ctx.args[0], "unlimited": options.unlimited, **options.values}
    return UpdateSession.model_validate(given)


# ---------------------------------------------------------------- the other commands


def _list(ctx: _Context) -> ListSessions:
    statuses: list[SessionStatus] = []
    mine, event_id, args = False, None, iter(ctx.args)
    for word in args:
        key = word.lower()
        if key == "all":
            statuses.extend(SessionStatus)
        elif key in _STATUSES:
            statuses.append(_STATUSES[key])
        elif key == "mine":
            mine = True
        elif key == "event":
            event_id = next(args, None)
            if event_id is None:
                raise ctx.error(t('"event" needs an event id, e.g. /sessions event e-7.'))
        else:
            raise ctx.error(t('I do not understand "{word}".', word=word))
    unique = list(dict.fromkeys(statuses)) or None
    return ListSessions(status=unique, mine=mine, event_id=event_id)


def _one_id(ctx: _Context, what: str = "session id") -> str:
    """The single id argument of `/session <id>` and friends."""
    if not ctx.args:
        raise ctx.error(
            t("Missing the event id.") if what == "event id" else t("Missing the session id.")
        )
    if len(ctx.args) > 1:
        raise ctx.error(
            t('Unexpected "{word}" after the event id.', word=ctx.args[1])
            if what == "event id"
            else t('Unexpected "{word}" after the session id.', word=ctx.args[1])
        )
    return ctx.args[0]


def _cancel(ctx: _Context) -> CancelSession:
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    reason = " ".join(ctx.args[1:]).strip() or None
    return CancelSession(session_id=ctx.args[0], reason=reason)


def _rsvp(ctx: _Context) -> RsvpGoing | RsvpLeave:
    if not ctx.args:
        raise ctx.error(t("Missing the session id."))
    if len(ctx.args) > 2:
        raise ctx.error(t('Unexpected "{word}".', word=ctx.args[2]))
    answer = ctx.args[1].lower() if len(ctx.args) == 2 else "going"
    if answer in _RSVP_LEAVE:
        return RsvpLeave(session_id=ctx.args[0])
    if answer in _RSVP_GOING:
        return RsvpGoing(session_id=ctx.args[0])
    raise ctx.error(
        t('I do not understand "{word}": say nothing (going) or leave.', word=ctx.args[1])
    )


def _recording(ctx: _Context) -> StartRecording | StopRecording:
    """`/recording <id> start|stop`; `/recording start|stop <id>` works too."""
    words = [word.lower() for word in ctx.args]
    actions = [i for i, word in enumerate(words) if word in ("start", "stop")]
    if not actions:
        raise ctx.error(t("Say start or stop."))
    others = [ctx.args[i] for i in range(len(words)) if i != actions[0]]
    if not others:
        raise ctx.error(t("Missing the session id."))
    if len(others) > 1:
        raise ctx.error(t('Unexpected "{word}".', word=others[1]))
    if words[actions[0]] == "start":
        return StartRecording(session_id=others[0])
    return StopRecording(session_id=others[0])


def _create_event(ctx: _Context) -> CreateEvent:
    """Title words run up to `desc`, so quotes are optional here."""
    keys = [word.lower() for word in ctx.args]
    cut = next((i for i, key in enumerate(keys) if key in ("desc", "description")), len(keys))
    title = " ".join(ctx.args[:cut]).strip()
    if not title:
        raise ctx.error(t("Missing the event title."))
    rest = ctx.args[cut:]
    if rest and len(rest) != 2:
        raise ctx.error(
            t('"{word}" needs a value; quote a description with spaces.', word=rest[0])
            if len(rest) == 1
            else t(
                '"{word}" is followed by "{next}"; quote a description with spaces.',
                word=rest[0],
                next=rest[2],
            )
        )
    return CreateEvent(title=title, description=rest[1] if rest else "")


def _help(ctx: _Context) -> Help:
    if len(ctx.args) > 1:
        raise ctx.error(t('Unexpected "{word}": ask about one command.', word=ctx.args[1]))
    return Help(topic=_command_name(ctx.args[0]) if ctx.args else None)


_PARSERS: dict[str, Callable[[_Context], Command]] = {
    "schedule-session": _schedule,
    "update-session": _update,
    "sessions": _list,
    "session": lambda ctx: ShowSession(session_id=_one_id(ctx)),
    "cancel-session": _cancel,
    "start-session": lambda ctx: StartSession(session_id=_one_id(ctx)),
    "end-session": lambda ctx: EndSession(session_id=_one_id(ctx)),
    "join": lambda ctx: JoinSession(session_id=_one_id(ctx)),
    "recording": _recording,
    "rsvp": _rsvp,
    "unrsvp": lambda ctx: RsvpLeave(session_id=_one_id(ctx)),
    "attendance": lambda ctx: ShowAttendance(session_id=_one_id(ctx)),
    "create-event": _create_event,
    "event": lambda ctx: ShowEvent(event_id=_one_id(ctx, "event id")),
    "help": _help,
}


def _options(ctx: _Context) -> OptionReader:
    """The session-option reader the weekly-class parsers use."""

    def read(tokens: list[str], allow_title_and_time: bool) -> tuple[dict[str, object], bool]:
        options = _OptionParser(ctx, tokens, allow_title_and_time).parse()
        if {"min_going", "no_minimum", "min_decide_minutes"} & set(options.values):
            raise ctx.error(
                t("A weekly class has no minimum attendance yet."),
                t("Set it on one class with /update-session <class-session-id> min 5."),
            )
        return options.values, options.unlimited

    return read


def parse_command(text: str, now: datetime, tz: str) -> Command:
    """Parse one command line (`/schedule-session "Kata" tomorrow 18:00 …`) into a Command.

    `now` (aware) and `tz` (the member's IANA zone) resolve times. Raises InvalidInput whose
    message says what was wrong and whose hint gives the usage and an example.
    """
    tokens = _tokenize(text)
    if not tokens:
        raise InvalidInput(
            t("Nothing to do: the command is empty."), t("Type /help to see all commands.")
        )
    name = _command_name(tokens[0])
    ctx = _Context(name, tokens[1:], now, tz)
    if name in SERIES_PARSERS:
        return SERIES_PARSERS[name](ctx, _options(ctx))
    if name in MEMBER_PARSERS:
        return MEMBER_PARSERS[name](ctx)
    if name in MIN_ATTENDANCE_PARSERS:
        return MIN_ATTENDANCE_PARSERS[name](ctx)
    if name in OFFER_PARSERS:
        return OFFER_PARSERS[name](ctx)
    if name in SUBSTITUTE_PARSERS:
        return SUBSTITUTE_PARSERS[name](ctx)
    if name in NO_SHOW_PARSERS:
        return NO_SHOW_PARSERS[name](ctx)
    if name in AUDIT_PARSERS:
        return AUDIT_PARSERS[name](ctx)
    if name in RANK_PARSERS:
        return RANK_PARSERS[name](ctx)
    if name in TRAINING_PAGE_PARSERS:
        return TRAINING_PAGE_PARSERS[name](ctx)
    if name in EXPORT_PARSERS:
        return EXPORT_PARSERS[name](ctx)
    if name in LEDGER_PARSERS:
        return LEDGER_PARSERS[name](ctx)
    if name in FEED_PARSERS:
        return FEED_PARSERS[name](ctx)
    return _PARSERS[name](ctx)
