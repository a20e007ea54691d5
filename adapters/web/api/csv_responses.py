"""What the REST API's CSV downloads share: their filters read from the query string (a
400 saying what to send) and the text streamed as it is made.

The rules are checked before the response starts, so a refusal is still a JSON error; a
failure after the first bytes can only cut the stream short (the chunked encoding then ends
without its last chunk, which clients report as an error)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from core.errors import DojoError
from core.failures import report_failure

log = logging.getLogger(__name__)
Q = TypeVar("Q", bound=BaseModel)


class BadFilter(DojoError):
    """A filter of a download that can't be read (400, with what to send instead)."""

    code = "bad_filter"


def read_filters(request: web.Request, model: type[Q], hint: str) -> Q:
    """The query string as `model`; anything unreadable is a BadFilter with `hint`."""
    data: dict[str, object] = {}
    for key in dict.fromkeys(request.query.keys()):
        values = request.query.getall(key)
        data[key] = values if len(values) > 1 else values[0]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False, include_context=False, include_input=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "query"
        raise BadFilter(f"Bad filter {where}: {first['msg']}.", hint) from None


async def stream_csv(
    request: web.Request,
    chunks: AsyncIterator[str],
    filename: str,
    content_type: str,
    what: str,
) -> web.StreamResponse:
    """`chunks` streamed as the attachment `filename` (`what` names it in the failure log)."""
    response = web.StreamResponse(
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        }
    )
    response.enable_chunked_encoding()
    await response.prepare(request)
    try:
        async for chunk in chunks:
            await response.write(chunk.encode())
    except (ConnectionResetError, OSError):
        raise  # the client went away: nothing to tell it
    except Exception:
        report_failure(log, what)
        response.force_close()
        return response  # no last chunk: the client sees the export as cut short
    await response.write_eof()
    return response
