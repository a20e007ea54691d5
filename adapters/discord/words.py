"""The markers of the texts the Discord front end words itself (domain `discord`).

`t` and `tn` are `core.i18n`'s, with this front end's catalogue: Babel's extractor finds
them by name (see docs/i18n.md), and each reader gets them in their language through
`localize(text, translator)`.
"""

from __future__ import annotations

from core.i18n import Domain

DOMAIN = "discord"
t, tn = Domain(DOMAIN).t, Domain(DOMAIN).tn
