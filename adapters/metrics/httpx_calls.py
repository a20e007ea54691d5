"""Vendor calls made with httpx (RealtimeKit, ZeroDB), seen through the client's event hooks.

Event hooks are httpx's public extension point and can be added to a client already built
by its adapter. A network error reaches no response hook: it is counted (outcome "error")
when the same task's next call of that method starts, and that call as a retry.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from adapters.metrics.vendor_calls import VendorCalls

MethodOf = Callable[[str, str], str]
"""(HTTP method, URL path) → the method label."""
_METHOD = "dojobot_method"


def watch_client(
    client: httpx.AsyncClient, calls: VendorCalls, vendor: str, method_of: MethodOf
) -> None:
    """Count every request `client` sends as a call of `vendor`."""

    async def on_request(request: httpx.Request) -> None:
        method = method_of(request.method, request.url.path)
        request.extensions[_METHOD] = method
        calls.started(vendor, method)

    async def on_response(response: httpx.Response) -> None:
        method = response.request.extensions.get(_METHOD)
        if isinstance(method, str):
            calls.ended(vendor, method, response.status_code)

    hooks = client.event_hooks
    client.event_hooks = {
        "request": [*hooks.get("request", []), on_request],
        "response": [*hooks.get("response", []), on_response],
    }
