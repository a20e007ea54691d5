"""Server-rendered HTML with every value escaped: `string.Template` plus `html.escape`.

Values are escaped unless wrapped in `Html` (markup we built ourselves from escaped parts).
Templates use `$name` placeholders inside element text and double-quoted attributes.
"""

from __future__ import annotations

import html
from string import Template
from typing import Final

from aiohttp import web

from adapters.web.branding import DEFAULT_BRANDING, Branding
from core.i18n import DEFAULT_LOCALE, Message, Translator, localize


class Html(str):
    """Markup that is already safe to insert as is."""

    __slots__ = ()


def escape(value: object) -> Html:
    """`value` as text safe in element content and in double-quoted attributes."""
    return value if isinstance(value, Html) else Html(html.escape(str(value), quote=True))


def render(template: str, **values: object) -> Html:
    """Fill `template`'s `$placeholders`, escaping every value that is not `Html`."""
    return Html(Template(template).substitute({k: escape(v) for k, v in values.items()}))


EMPTY: Final = Html("")


def join(parts: list[Html]) -> Html:
    return Html("".join(parts))


def sentence(text: Message, tr: Translator, **parts: Html) -> Html:
    """`text` in `tr`'s language, escaped, with markup `parts` (e.g. a `<time>` element)
    where its `{placeholders}` of the same names are: translators move the placeholders,
    never the markup."""
    marks = {name: f"\ue000{name}\ue001" for name in parts}
    with_marks = Message(
        text.msgid,
        {**text.params, **marks},
        plural=text.plural,
        n=text.n,
        domain=text.domain,
    )
    filled = str(escape(localize(with_marks, tr)))
    for name, part in parts.items():
        filled = filled.replace(marks[name], part)
    return Html(filled)


LAYOUT: Final = """<!doctype html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>$title · $brand</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="stylesheet" href="/assets/brand.css">
$head
</head>
<body$body_attrs>
<header class="site"><p class="brand">$logo<span class="brand-name">$brand</span></p></header>
<main>
$body
</main>
$scripts
</body>
</html>
"""


def page(
    title: str,
    body: Html,
    *,
    body_attrs: dict[str, str] | None = None,
    scripts: list[str] | None = None,
    head: Html = EMPTY,
    lang: str = DEFAULT_LOCALE,
    brand: Branding = DEFAULT_BRANDING,
) -> Html:
    """A whole page in the common layout, in language `lang` (`<html lang>`), under the
    association's name and logo (`brand`); `scripts` are same-origin script URLs (and the
    RealtimeKit kit the meeting page's CSP allows)."""
    attrs = join([render(' $k="$v"', k=k, v=v) for k, v in (body_attrs or {}).items()])
    tags = join([render('<script src="$src" defer></script>', src=s) for s in scripts or []])
    logo = (
        render('<img class="logo" src="$src" alt="">', src=brand.logo_url)
        if brand.logo_url
        else EMPTY
    )
    return render(
        LAYOUT,
        lang=lang,
        title=title,
        body=body,
        body_attrs=attrs,
        scripts=tags,
        head=head,
        brand=brand.name,
        logo=logo,
    )


PAGE_CSP: Final = DEFAULT_BRANDING.csp()
"""Our pages run only our own script and style, talk only to us, and are never framed (a
configured logo's origin is added to `img-src`: `Branding.csp`)."""


def harden(response: web.StreamResponse, csp: str = PAGE_CSP) -> web.StreamResponse:
    """Headers every page of ours carries: no caching, no Referer, a strict CSP."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def html_response(markup: Html, status: int = 200, csp: str = PAGE_CSP) -> web.Response:
    """An HTML page response with the hardening headers."""
    response = web.Response(text=markup, status=status, content_type="text/html", charset="utf-8")
    harden(response, csp)
    return response
