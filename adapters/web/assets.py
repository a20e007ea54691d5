"""The pages' own script and style sheet, served from `/assets/<name>` (CSP: 'self')."""

from __future__ import annotations

from importlib.resources import files

from aiohttp import web

ASSETS = {
    "page.js": "text/javascript",
    "rtk-join.js": "text/javascript",
    "style.css": "text/css",
}


def _read(name: str) -> bytes:
    return files("adapters.web").joinpath("assets", name).read_bytes()


async def asset(request: web.Request) -> web.Response:
    """One of the known assets (404 for anything else); cached briefly."""
    name = request.match_info["name"]
    if name not in ASSETS:
        raise web.HTTPNotFound()
    return web.Response(
        body=_read(name),
        content_type=ASSETS[name],
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def add_asset_routes(app: web.Application) -> None:
    app.router.add_get("/assets/{name}", asset)
