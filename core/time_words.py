"""The words of time input, one table per shipped language (read by `core.timeparse`).

Each table spells words naturally (accents, umlauts, kana); `fold` gives the lookup key, so
`März`, `marz` and `Maerz`, or `mañana` and `manana`, are one word. `build` merges the tables
into `WORDS` and refuses (at import) a key that would mean two different things. A word may be
two words (`heute abend`); the parser joins such pairs first. Japanese, written without spaces,
is cut into table words by `split_japanese`.

Collision rules, so one word never has two meanings:
- English wins: `mar` is March (also es `marzo`, fr `mars`), never the es/fr Tuesday; the
  Tuesday is written out (`martes`, `mardi`).
- Abbreviations that are another language's weekday are left out: es Sunday is `dom`, not
  `do` (de Thursday).
- `morgen` is tomorrow (not "morning"); `mañana` is tomorrow (not "morning"). "heute Morgen"
  and "esta mañana" are refused rather than read as tomorrow.
- Abbreviations are parsed in a time but are not "time words" to the grammar's classifiers
  (`Sam`, `Do`, `dim` are also names and words); English ones always were.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import cache


class Kind(Enum):
    """What a word means in a time."""

    WEEKDAY = "weekday"  # value: 0 (Monday) … 6
    MONTH = "month"  # value: 1 … 12
    TODAY = "today"
    TONIGHT = "tonight"
    TOMORROW = "tomorrow"
    NEXT = "next"  # before a weekday: next/this friday, nächsten Freitag, próximo viernes
    NEXT_AFTER = "next after"  # after a weekday: vendredi prochain
    ON = "on"  # before a date: on, am, el, le
    AT = "at"  # before a time of day: at, um, a (las), à
    FILLER = "filler"  # between day, month and year: 5 de marzo de 2027
    PARTICLE = "particle"  # ignored: Japanese の, に
    AND = "and"  # between weekdays in a list
    OCLOCK = "o'clock"  # after an hour: 18 Uhr


@dataclass(frozen=True)
class Language:
    """The time words of one language. Weekdays start on Monday; months on January."""

    code: str
    weekdays: tuple[tuple[str, ...], ...]
    weekday_abbreviations: tuple[tuple[str, ...], ...]
    months: tuple[tuple[str, ...], ...]
    month_abbreviations: tuple[tuple[str, ...], ...]
    today: tuple[str, ...]
    tomorrow: tuple[str, ...]
    tonight: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    next_after: tuple[str, ...] = ()
    on: tuple[str, ...] = ()
    at: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()
    particles: tuple[str, ...] = ()
    and_words: tuple[str, ...] = ()
    oclock: tuple[str, ...] = ()
    umlauts: bool = field(default=False)
    """German: also accept ä → ae, ö → oe, ü → ue typed on an English keyboard."""


ENGLISH = Language(
    code="en",
    weekdays=(
        ("monday",),
        ("tuesday",),
        ("wednesday",),
        ("thursday",),
        ("friday",),
        ("saturday",),
        ("sunday",),
    ),
    weekday_abbreviations=(
        ("mon",),
        ("tue", "tues"),
        ("wed",),
        ("thu", "thur", "thurs"),
        ("fri",),
        ("sat",),
        ("sun",),
    ),
    months=(
        ("january",),
        ("february",),
        ("march",),
        ("april",),
        ("may",),
        ("june",),
        ("july",),
        ("august",),
        ("september",),
        ("october",),
        ("november",),
        ("december",),
    ),
    month_abbreviations=(
        ("jan",),
        ("feb",),
        ("mar",),
        ("apr",),
        (),
        ("jun",),
        ("jul",),
        ("aug",),
        ("sep", "sept"),
        ("oct",),
        ("nov",),
        ("dec",),
    ),
    today=("today",),
    tonight=("tonight",),
    tomorrow=("tomorrow", "tmrw"),
    next=("next", "this"),
    on=("on",),
    at=("at",),
    and_words=("and",),
)

JAPANESE = Language(
    code="ja",
    weekdays=tuple((f"{d}曜日", f"{d}曜") for d in "月火水木金土日"),
    weekday_abbreviations=tuple((d,) for d in "月火水木金土日"),
    months=tuple((f"{n}月",) for n in range(1, 13)),
    month_abbreviations=((),) * 12,
    today=("今日", "きょう", "本日"),
    tonight=("今夜", "今晩"),
    tomorrow=("明日", "あした", "あす"),
    next=("次の", "今度の"),
    particles=("の", "に"),
    and_words=("と",),
)

GERMAN = Language(
    code="de",
    weekdays=(
        ("montag",),
        ("dienstag",),
        ("mittwoch",),
        ("donnerstag",),
        ("freitag",),
        ("samstag", "sonnabend"),
        ("sonntag",),
    ),
    weekday_abbreviations=(("mo",), ("di",), ("mi",), ("do",), ("fr",), ("sa",), ("so",)),
    months=(
        ("januar", "jänner"),
        ("februar", "feber"),
        ("märz",),
        ("april",),
        ("mai",),
        ("juni",),
        ("juli",),
        ("august",),
        ("september",),
        ("oktober",),
        ("november",),
        ("dezember",),
    ),
    month_abbreviations=(
        ("jan", "jän"),
        ("feb",),
        ("mär", "mrz"),
        ("apr",),
        (),
        ("jun",),
        ("jul",),
        ("aug",),
        ("sep", "sept"),
        ("okt",),
        ("nov",),
        ("dez",),
    ),
    today=("heute",),
    tonight=("heute abend",),
    tomorrow=("morgen",),
    next=("nächsten", "nächster", "nächste", "kommenden", "kommender", "diesen", "dieser"),
    on=("am",),
    at=("um",),
    and_words=("und",),
    oclock=("uhr",),
    umlauts=True,
)

SPANISH = Language(
    code="es",
    weekdays=(
        ("lunes",),
        ("martes",),
        ("miércoles",),
        ("jueves",),
        ("viernes",),
        ("sábado",),
        ("domingo",),
    ),
    weekday_abbreviations=(
        ("lun",),
        (),  # not `mar`: that is March
        ("mié", "miérc"),
        ("jue",),
        ("vie",),
        ("sáb",),
        ("dom",),  # not `do`: that is the German Thursday
    ),
    months=(
        ("enero",),
        ("febrero",),
        ("marzo",),
        ("abril",),
        ("mayo",),
        ("junio",),
        ("julio",),
        ("agosto",),
        ("septiembre", "setiembre"),
        ("octubre",),
        ("noviembre",),
        ("diciembre",),
    ),
    month_abbreviations=(
        ("ene",),
        ("feb",),
        ("mar",),
        ("abr",),
        ("may",),
        ("jun",),
        ("jul",),
        ("ago",),
        ("sep", "sept"),
        ("oct",),
        ("nov",),
        ("dic",),
    ),
    today=("hoy",),
    tonight=("esta noche",),
    tomorrow=("mañana",),
    next=("próximo", "próxima", "este"),
    next_after=("próximo", "próxima"),
    on=("el",),
    at=("a", "las", "la"),  # a las 18:00, a la 1:00
    fillers=("de", "del"),
    and_words=("y",),
)

FRENCH = Language(
    code="fr",
    weekdays=(
        ("lundi",),
        ("mardi",),
        ("mercredi",),
        ("jeudi",),
        ("vendredi",),
        ("samedi",),
        ("dimanche",),
    ),
    weekday_abbreviations=(
        ("lun",),
        (),  # not `mar`: that is March
        ("mer",),
        ("jeu",),
        ("ven",),
        ("sam",),
        ("dim",),
    ),
    months=(
        ("janvier",),
        ("février",),
        ("mars",),
        ("avril",),
        ("mai",),
        ("juin",),
        ("juillet",),
        ("août",),
        ("septembre",),
        ("octobre",),
        ("novembre",),
        ("décembre",),
    ),
    month_abbreviations=(
        ("janv", "jan"),
        ("févr", "fév"),
        ("mar",),
        ("avr",),
        (),
        (),
        ("juil",),
        ("aoû",),
        ("sept", "sep"),
        ("oct",),
        ("nov",),
        ("déc",),
    ),
    today=("aujourd'hui", "aujourdhui"),
    tonight=("ce soir",),
    tomorrow=("demain",),
    next=("ce",),
    next_after=("prochain", "prochaine"),
    on=("le",),
    at=("à",),
    and_words=("et",),
)

LANGUAGES: tuple[Language, ...] = (ENGLISH, JAPANESE, GERMAN, SPANISH, FRENCH)
"""The shipped languages; English first, so its reading of a word wins."""

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(word: str) -> str:
    """The lookup key of `word`: NFKC (full-width → ASCII), case-folded, Latin accents off."""
    text = unicodedata.normalize("NFKC", word).casefold().translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    return unicodedata.normalize("NFC", bare)


def _spellings(language: Language, word: str) -> set[str]:
    keys = {fold(word)}
    if language.umlauts:
        keys.add(fold(word.casefold().translate(_UMLAUTS)))
    return keys


Meaning = tuple[Kind, int]
"""A word's kind and its number (weekday 0–6, month 1–12, else 0)."""


def _entries(language: Language) -> list[tuple[str, Meaning, bool]]:
    """(word, meaning, full form) for every word of `language`."""
    entries: list[tuple[str, Meaning, bool]] = []
    for number, (full, short) in enumerate(
        zip(language.weekdays, language.weekday_abbreviations, strict=True)
    ):
        entries += [(word, (Kind.WEEKDAY, number), True) for word in full]
        entries += [(word, (Kind.WEEKDAY, number), False) for word in short]
    for number, (full, short) in enumerate(
        zip(language.months, language.month_abbreviations, strict=True), 1
    ):
        entries += [(word, (Kind.MONTH, number), True) for word in full]
        entries += [(word, (Kind.MONTH, number), False) for word in short]
    simple = (
        (Kind.TODAY, language.today),
        (Kind.TONIGHT, language.tonight),
        (Kind.TOMORROW, language.tomorrow),
        (Kind.NEXT, language.next),
        (Kind.NEXT_AFTER, language.next_after),
        (Kind.ON, language.on),
        (Kind.AT, language.at),
        (Kind.FILLER, language.fillers),
        (Kind.PARTICLE, language.particles),
        (Kind.AND, language.and_words),
        (Kind.OCLOCK, language.oclock),
    )
    for kind, words in simple:
        entries += [(word, (kind, 0), True) for word in words]
    return entries


@dataclass(frozen=True)
class Lookup:
    """Every language's words by folded key; `full` holds the keys of unabbreviated words."""

    meanings: dict[str, frozenset[Meaning]]
    full: frozenset[str]

    def get(self, key: str, kind: Kind) -> int | None:
        """The number of `key` (already folded) as a `kind`, or None if it is not one."""
        for meaning_kind, number in self.meanings.get(key, ()):
            if meaning_kind is kind:
                return number
        return None

    def is_a(self, key: str, *kinds: Kind) -> bool:
        """Whether `key` (already folded) is a word of any of `kinds`."""
        return any(self.get(key, kind) is not None for kind in kinds)


# A word may be both of these (es `próximo` before or after the weekday); all other pairs of
# kinds must not share a key.
_COMPATIBLE = frozenset({frozenset({Kind.NEXT, Kind.NEXT_AFTER})})


def build(languages: tuple[Language, ...] = LANGUAGES) -> Lookup:
    """Merge `languages`; raise ValueError if one key would mean two things."""
    meanings: dict[str, set[Meaning]] = {}
    full: set[str] = set()
    for language in languages:
        for word, meaning, is_full in _entries(language):
            for key in _spellings(language, word):
                known = meanings.setdefault(key, set())
                for other in known - {meaning}:
                    if frozenset({other[0], meaning[0]}) not in _COMPATIBLE:
                        raise ValueError(
                            f"{language.code} {word!r} ({key!r}) would mean both "
                            f"{other[0].value} {other[1]} and {meaning[0].value} {meaning[1]}"
                        )
                known.add(meaning)
                if is_full or language is ENGLISH:
                    full.add(key)
    return Lookup({key: frozenset(value) for key, value in meanings.items()}, frozenset(full))


WORDS = build()
"""The merged lookup the parser uses."""


# ---------------------------------------------------------------- Japanese, written without spaces

_CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_JA_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_JA_CLOCK = re.compile(r"(午前|午後)?(\d{1,2})時(?:(\d{1,2})分|(半))?")
_JA_NUMBERED = re.compile(r"(\d{1,2}[月日])")
_DIGIT_THEN_WORD = re.compile(rf"(\d)(?=[{_CJK}])(?![月日])")
_JA_RUN = re.compile(rf"(?<!\d)[{_CJK}]+")
_HAS_CJK = re.compile(rf"[{_CJK}]")


def has_japanese(token: str) -> bool:
    """Whether `token` holds kana or kanji (and so needs `split_japanese`)."""
    return _HAS_CJK.search(token) is not None


def _ja_clock(match: re.Match[str]) -> str:
    """`19時30分` → `19:30`, `午後7時半` → `7:30pm` (the clock the English parser reads)."""
    minute = "30" if match[4] else f"{int(match[3]):02d}" if match[3] else "00"
    meridiem = {"午前": "am", "午後": "pm"}.get(match[1] or "", "")
    return f" {match[2]}:{minute}{meridiem} "


@cache
def _japanese_words() -> tuple[frozenset[str], int]:
    words = frozenset(fold(word) for word, _, _ in _entries(JAPANESE))
    return words, max(map(len, words))


def _segment(run: str) -> list[str]:
    """Cut a run of kana/kanji into table words, longest first; unknown stretches stay whole."""
    words, longest = _japanese_words()
    pieces: list[str] = []
    unknown, i = "", 0
    while i < len(run):
        size = next(
            (n for n in range(min(longest, len(run) - i), 0, -1) if run[i : i + n] in words), 0
        )
        if size == 0:
            unknown, i = unknown + run[i], i + 1
            continue
        if unknown:
            pieces.append(unknown)
            unknown = ""
        pieces.append(run[i : i + size])
        i += size
    return [*pieces, unknown] if unknown else pieces


def split_japanese(token: str) -> list[str]:
    """Cut a folded token such as `明日19:00`, `3月5日(木)` or `2027年3月5日` into the words
    the parser reads (`明日`, `19:00` · `3月`, `5日`, `木` · `2027-3-5`); particles are dropped.
    """
    text = _JA_DATE.sub(lambda m: f" {m[1]}-{m[2]}-{m[3]} ", token)
    text = _JA_CLOCK.sub(_ja_clock, text)
    text = _JA_NUMBERED.sub(r" \1 ", text)
    text = _DIGIT_THEN_WORD.sub(r"\1 ", text)  # 19:00明日 → 19:00 明日
    text = _JA_RUN.sub(lambda m: " " + " ".join(_segment(m[0])) + " ", text)
    for mark in "()、":
        text = text.replace(mark, " ")
    return [piece for piece in text.split() if not WORDS.is_a(piece, Kind.PARTICLE)]
