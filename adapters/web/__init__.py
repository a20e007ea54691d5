"""The aiohttp server every HTTP-facing part mounts its routes on."""

from adapters.web.server import WebServer
from adapters.web.settings import WebSettings

__all__ = ["WebServer", "WebSettings"]
