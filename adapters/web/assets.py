"""The pages' own scripts, style sheets and logo, served from `/assets/<name>` (CSP: 'self');
`brand.css` is written from the branding settings (the accent colour and its shades)."""

from __future__ import annotations

from importlib.resources import files

from aiohttp import web

from adapters.web.branding import IMAGE_ASSETS, branding_of

ASSETS = {
    "page.js": "text/javascript",
    "rtk-join.js": "text/javascript",
    "style.css": "text/css",
    "record.css": "text/css",
    **IMAGE_ASSETS,
}
BRAND_CSS = "brand.css"


def _read(name: str) -> bytes:
    return files("adapters.web").joinpath("assets", name).read_bytes()


async def asset(request: web.Request) -> web.Response:
    """One of the known assets (404 for anything else); cached briefly."""
    name = request.match_info["name"]
    if name == BRAND_CSS:
        body, content_type = branding_of(request).style_sheet().encode(), "text/css"
    elif name in ASSETS:
        body, content_type = _read(name), ASSETS[name]
    else:
        raise web.HTTPNotFound()
    return web.Response(
        body=body,
        content_type=content_type,
        charset="utf-8",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def add_asset_routes(app: web.Application) -> None:
    app.router.add_get("/assets/{name}", asset)
