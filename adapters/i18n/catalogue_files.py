"""Keeping the catalogues in step with the source: extract the marked texts, merge them into
every language's .po file (`make messages`; see docs/i18n.md)."""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from adapters.i18n.languages import SHIPPED

KEYWORDS = {"t": None, "tn": (1, 2)}
"""The marker functions of `core.i18n`: `t(msgid, ...)`, `tn(singular, plural, n, ...)`."""

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = Path(__file__).resolve().parent / "catalogues"
SOURCES = {
    "core": ("core", ["testing/**"]),
    "discord": ("adapters/discord", []),
    "web": ("adapters/web", ["api/**"]),
    "slack": ("adapters/slack", []),
}
"""Each domain: the folder its texts are marked in, and the paths left out."""


def extract(domain: str, root: Path = ROOT) -> Catalog:
    """Every text marked in the domain's source, as a template catalogue."""
    folder, skipped = SOURCES[domain]
    method_map = [(pattern, "ignore") for pattern in skipped] + [("**.py", "python")]
    template = Catalog(project="dojobot", domain=domain, fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        root / folder, method_map, keywords=KEYWORDS
    ):
        path = f"{folder}/{filename}"
        template.add(message, None, [(path, line)], auto_comments=comments, context=context)
    return template


def read(domain: str, language: str) -> Catalog:
    """The shipped .po file of `domain` in `language`."""
    path = CATALOGUES / domain / f"{language}.po"
    return read_po(BytesIO(path.read_bytes()), locale=language, domain=domain)


def update(domain: str) -> list[str]:
    """Merge the extracted texts into every language's .po file (new ones empty, changed
    ones fuzzy, gone ones dropped); English gets each template as its own translation.
    Returns one line per file written."""
    written = []
    for language in SHIPPED:
        template = extract(domain)  # a fresh one each time: `Catalog.update` shares messages
        path = CATALOGUES / domain / f"{language}.po"
        if path.exists():
            catalog = read(domain, language)
            catalog.update(template, update_header_comment=False)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=language, domain=domain, project="dojobot", fuzzy=False)
            for message in template:
                if message.id:
                    catalog.add(message.id, None, message.locations)
        if language == "en":
            for message in catalog:
                if message.id:
                    message.string = message.id
                    message.flags.discard("fuzzy")
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = BytesIO()
        write_po(buffer, catalog, width=100, omit_header=False, sort_output=False)
        path.write_bytes(buffer.getvalue())
        missing = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
        written.append(f"{path.relative_to(ROOT)}: {len(template)} messages, {missing} to do")
    return written


def main() -> None:
    """`python -m adapters.i18n.catalogue_files [domain…]`: update the catalogues."""
    for domain in sys.argv[1:] or list(SOURCES):
        for line in update(domain):
            print(line)


if __name__ == "__main__":
    main()
