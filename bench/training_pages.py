"""The training pages rendered directly, as one visit renders them (PAGES' render functions
in `adapters.web.training_views`: the page's HTML and every chart's SVG).

`Pages.find(service, viewer, now)` gives, for each page, an async call rendering it for
`viewer` (an admin), or a "not available" reason when the tree has no such function.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from core.model import Member

MODULE = "adapters.web.training_views"

Call = Callable[[], Awaitable[Any]] | str


class Pages:
    """Render calls of the member, class and overview pages."""

    def __init__(self, module: Any, service: Any, viewer: Member, now: datetime) -> None:
        self.module = module
        self.service = service
        self.viewer = viewer
        self.now = now

    @classmethod
    def find(cls, service: Any, viewer: Member, now: datetime) -> Pages:
        try:
            module = importlib.import_module(MODULE)
        except ImportError:
            module = None
        return cls(module, service, viewer, now)

    def _render(self, name: str, *subject: str) -> Call:
        if self.module is None:
            return f"not available (no {MODULE})"
        render = getattr(self.module, name, None)
        if render is None:
            return f"not available (no {MODULE}.{name})"

        async def call() -> Any:
            return await render(self.service, self.viewer, *subject, self.now)

        return call

    def member(self, member_id: str) -> Call:
        return self._render("render_member_page", member_id)

    def class_page(self, class_id: str) -> Call:
        return self._render("render_class_page", class_id)

    def overview(self) -> Call:
        return self._render("render_overview_page")
