"""Lines typed into the terminal, read on the event loop so Ctrl-C stops at once.

A read in a worker thread (`asyncio.to_thread(stream.readline)`) cannot be interrupted:
after Ctrl-C the loop's shutdown waits for that thread, i.e. for the next Enter. Here the
loop watches the descriptor and reads only what is already there, so cancelling the wait
(which is what Ctrl-C does to `asyncio.run`) ends the prompt immediately. Streams the loop
cannot watch (regular files: `--script`, `< file`) never block, and are read directly.
"""

from __future__ import annotations

import asyncio
import codecs
import os
import select
from collections.abc import AsyncIterator, Callable
from typing import TextIO

CHUNK = 65536


async def read_lines(
    stream: TextIO, prompt: Callable[[], None] | None = None
) -> AsyncIterator[str]:
    """Yield the lines of `stream` (with their newline) until end of input; `prompt` is
    called before waiting for each line."""
    loop = asyncio.get_running_loop()
    readable = asyncio.Event()
    try:
        fd = stream.fileno()
        loop.add_reader(fd, readable.set)
    except (OSError, ValueError, AttributeError):  # a regular file or no descriptor
        while line := stream.readline():
            yield line
        return
    decoder = codecs.getincrementaldecoder(stream.encoding or "utf-8")(errors="replace")
    buffer = ""
    try:
        while True:
            if "\n" not in buffer:
                if prompt is not None:
                    prompt()
                while "\n" not in buffer:
                    readable.clear()
                    await readable.wait()
                    if not select.select([fd], [], [], 0)[0]:
                        continue  # a stale wake-up: reading now would block
                    chunk = os.read(fd, CHUNK)
                    if not chunk:
                        if buffer + decoder.decode(b"", final=True):
                            yield buffer
                        return
                    buffer += decoder.decode(chunk)
            line, buffer = buffer.split("\n", 1)
            yield line + "\n"
    finally:
        loop.remove_reader(fd)
