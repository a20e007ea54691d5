"""The association's name, logo and accent colour on the pages (`DOJOBOT_BRANDING__*`).

Every value is checked strictly where it is read, so nothing from the settings can reach
the pages' CSS, markup or CSP header other than as the one thing it claims to be: the accent
is `#rgb`/`#rrggbb` only; the logo is an https URL of plain characters (its origin, and only
it, is added to the pages' `img-src`) or one of our own image assets under `/assets/`.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import urlsplit

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, field_validator

DEFAULT_ACCENT: Final = "#1d4ed8"
IMAGE_ASSETS: Final = {"dojobot.svg": "image/svg+xml"}
"""Logos we ship (served from `/assets/<name>` like the pages' script and style)."""

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_URL_TAIL = re.compile(r"[A-Za-z0-9._~%/+=&?-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

LIGHT_BACKGROUND: Final = "#ffffff"
DARK_BACKGROUND: Final = "#14171c"
"""The pages' backgrounds (assets/style.css): the accent's text shades are computed against
them."""
MIN_TEXT_CONTRAST: Final = 4.6
"""WCAG AA asks 4.5:1 for body text; a little margin for rounding."""


class Branding(BaseModel):
    """What the pages show of the association: its name (the header and every page title),
    an optional logo next to it, and the accent colour of buttons and links."""

    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    name: str = Field(default="dojobot", min_length=1, max_length=60)
    """The association's name, as the pages' header and titles show it."""
    logo_url: str | None = None
    """An https URL of the logo (its origin is allowed in the pages' CSP `img-src`), or
    `/assets/dojobot.svg`; unset: no logo."""
    accent: str = DEFAULT_ACCENT
    """The accent colour, `#rgb` or `#rrggbb` (nothing else: it goes into a style sheet)."""

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        value = value.strip()
        if not value or _CONTROL.search(value):
            raise ValueError("the name must be plain text on one line (1 to 60 characters)")
        return value

    @field_validator("accent")
    @classmethod
    def _hex_colour(cls, value: str) -> str:
        value = value.strip()
        if not _HEX_COLOUR.fullmatch(value):
            raise ValueError("the accent must be a colour like #1d4ed8 or #36c")
        digits = value[1:].lower()
        return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)

    @field_validator("logo_url")
    @classmethod
    def _logo(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if value.startswith("/assets/") and value.removeprefix("/assets/") in IMAGE_ASSETS:
            return value
        message = (
            "the logo must be an https URL (https://example.org/logo.png) or one of "
            + ", ".join(f"/assets/{name}" for name in IMAGE_ASSETS)
        )
        parts = urlsplit(value)
        tail = value[len(f"{parts.scheme}://{parts.netloc}") :]
        if (
            parts.scheme != "https"
            or parts.username is not None
            or parts.password is not None
            or not _HOST.fullmatch(parts.hostname or "")
            or parts.fragment
            or not _URL_TAIL.fullmatch(tail)
        ):
            raise ValueError(message)
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number in range
        except ValueError:
            raise ValueError(message) from None
        return value

    def logo_origin(self) -> str | None:
        """The https origin the logo is loaded from (None: no logo, or one of ours)."""
        if self.logo_url is None or not self.logo_url.startswith("https://"):
            return None
        parts = urlsplit(self.logo_url)
        return f"https://{parts.netloc.lower()}"

    def csp(self) -> str:
        """The pages' CSP: our own script and style, images from us and the logo's origin
        only, talking only to us, never framed."""
        origin = self.logo_origin()
        images = f"'self' data: {origin}" if origin else "'self' data:"
        return (
            f"default-src 'none'; script-src 'self'; style-src 'self'; img-src {images}; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )

    def style_sheet(self) -> str:
        """`/assets/brand.css`: the accent and its shades that keep text readable on it and
        on both backgrounds (WCAG AA contrast, whatever the accent)."""
        accent = self.accent
        on_accent = max(("#ffffff", "#000000"), key=lambda ink: contrast(ink, accent))
        return (
            ":root {\n"
            f"  --accent: {accent};\n"
            f"  --on-accent: {on_accent};\n"
            f"  --accent-text: {readable_on(accent, LIGHT_BACKGROUND, '#000000')};\n"
            "}\n"
            "@media (prefers-color-scheme: dark) {\n"
            "  :root {\n"
            f"    --accent-text: {readable_on(accent, DARK_BACKGROUND, '#ffffff')};\n"
            "  }\n"
            "}\n"
        )


DEFAULT_BRANDING: Final = Branding()

BRANDING: web.AppKey[Branding] = web.AppKey("branding", Branding)
"""The branding, on the application (set by the pages): the 500 page and `/assets/brand.css`
read it there; the defaults when unset."""


def branding_of(request: web.Request) -> Branding:
    """The branding of the application serving `request`."""
    return request.config_dict.get(BRANDING) or DEFAULT_BRANDING


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two `#rrggbb` colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _mix(colour: str, toward: str, share: float) -> str:
    pairs = zip(_channels(colour), _channels(toward), strict=True)
    mixed = (round(c + (t - c) * share) for c, t in pairs)
    return "#" + "".join(f"{c:02x}" for c in mixed)


def readable_on(colour: str, background: str, toward: str) -> str:
    """`colour`, mixed toward `toward` (black or white) just enough to read on `background`."""
    for step in range(21):
        shade = _mix(colour, toward, step / 20)
        if contrast(shade, background) >= MIN_TEXT_CONTRAST:
            return shade
    return toward
