"""Training-page links through the terminal front end, on SQLite, with the simulated
clock: `/training-page` prints the link (the terminal's form of a link button) and the web
server serves that page; a member may not open someone else's, nor a class page or the
overview; an admin's `/overview` link opens the overview; once the link is older than a
day it is refused."""

from __future__ import annotations

import re

import httpx

from tests.e2e.conftest import Terminal


async def open_page(terminal: Terminal, printed: list[str]) -> httpx.Response:
    assert terminal.app is not None and terminal.app.web is not None
    found = [m for line in printed if (m := re.search(r"https?://\S+(/record/\S+)", line))]
    assert found, printed
    async with httpx.AsyncClient(base_url=terminal.app.web.base_url) as client:
        return await client.get(found[0].group(1))


async def test_training_page_links_open_the_pages_their_typer_may_see(terminal: Terminal) -> None:
    printed = await terminal.type("/as ana member", "/training-page")
    assert any("[Open your training page] http" in line for line in printed), printed
    page = await open_page(terminal, printed)
    assert page.status_code == 200 and "Training of" in page.text

    printed = await terminal.type("/training-page terminal:ben", "/overview", "/class-page c-1")
    assert sum("Only" in line for line in printed) == 3, printed
    assert not any("/record/" in line for line in printed), printed

    printed = await terminal.type("/as boss admin", "/overview")
    overview = await open_page(terminal, printed)
    assert overview.status_code == 200 and "Busiest classes" in overview.text

    await terminal.type("/advance 25h")
    assert (await open_page(terminal, printed)).status_code == 403
