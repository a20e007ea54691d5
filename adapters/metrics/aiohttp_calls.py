"""Vendor calls made with aiohttp (discord.py), seen through an aiohttp `TraceConfig`."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import aiohttp

from adapters.metrics.vendor_calls import VendorCalls

MethodOf = Callable[[str, str], str]
"""(HTTP method, URL path) → the method label."""


def trace_config(calls: VendorCalls, vendor: str, method_of: MethodOf) -> aiohttp.TraceConfig:
    """A TraceConfig counting every request of a client session as a call of `vendor`."""
    config = aiohttp.TraceConfig()

    async def on_start(
        _session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        context.dojobot_method = method_of(params.method, params.url.path)
        calls.started(vendor, context.dojobot_method)

    async def on_end(
        _session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        calls.ended(vendor, context.dojobot_method, params.response.status)

    async def on_exception(
        _session: aiohttp.ClientSession,
        context: SimpleNamespace,
        _params: aiohttp.TraceRequestExceptionParams,
    ) -> None:
        calls.ended(vendor, context.dojobot_method, None)

    config.on_request_start.append(on_start)
    config.on_request_end.append(on_end)
    config.on_request_exception.append(on_exception)
    return config
