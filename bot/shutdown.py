"""Clean stops: what SIGTERM (a platform's deploy) and Ctrl-C do to a dojobot process.

The first SIGTERM or SIGINT starts a clean stop, bounded by `Settings.shutdown_seconds`
(default 10 s):

1. Stop taking new work: the web server stops listening, the clock starts no new wake-up
   and no new group of reminder sends, and a process that does not run the clock stops
   campaigning for it.
2. In-flight work gets half the time to finish: HTTP requests being answered, the group of
   reminders being sent. What still runs then is cut short and handed back: its delivery
   claims are released in the store, so the process that runs the clock next sends them at
   once instead of after the claim's lease (looking each up on the platform first, as it
   may have gone out).
3. Leadership of the clock is let go (another process takes over at its next try), then
   the front ends (Slack, the Discord gateway), the video rooms and the store are closed.

Exit codes: 0 after a clean stop on SIGTERM, 130 after one on Ctrl-C (SIGINT: what shells
expect of an interrupted command). A second SIGTERM or Ctrl-C exits at once with 128 + the
signal's number (143, 130); what was claimed and not sent then waits for its lease, as after
a crash. A stop still running when the time is up logs the tasks still running and exits
with 1 (`EXIT_OVERDUE`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.bootstrap import App

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGTERM, signal.SIGINT)
EXIT_OVERDUE = 1
"""Exit code of a stop that did not finish in time."""
BLOCKED_MARGIN = 1.0
"""Seconds past the deadline after which a watchdog thread exits even if the event loop is
blocked (the loop's own deadline could not run)."""


class Stopper:
    """Turns the first SIGTERM/SIGINT into a bounded clean stop, a second into an exit."""

    def __init__(self, within: float) -> None:
        self.within = within
        self.requested = asyncio.Event()
        """Set by the first signal: stop taking work and stop (`stop_app`)."""
        self.signum: int | None = None
        self._loop = asyncio.get_running_loop()
        self._armed = False
        self.deadline: asyncio.TimerHandle | None = None
        """The loop's deadline of the stop (`_overdue`), once armed."""
        self.watchdog: threading.Timer | None = None
        """The thread that exits if the loop is blocked past the deadline, once armed."""

    @property
    def exit_code(self) -> int:
        """The code of a clean stop: 130 after Ctrl-C, else 0."""
        return 128 + signal.SIGINT if self.signum == signal.SIGINT else 0

    def install(self) -> None:
        """Handle SIGTERM and SIGINT on the running loop."""
        for signum in SIGNALS:
            self._loop.add_signal_handler(signum, self._signalled, signum)

    def arm(self) -> None:
        """Start the stop's clock: past `within` seconds the process exits anyway."""
        if self._armed:
            return
        self._armed = True
        self.deadline = self._loop.call_later(self.within, self._overdue)
        self.watchdog = threading.Timer(self.within + BLOCKED_MARGIN, _blocked, (self.within,))
        self.watchdog.daemon = True  # the process ending in time ends it too
        self.watchdog.start()

    def disarm(self) -> None:
        """The stop returned: cancel its deadline and watchdog (the caller of `main()`, or
        a slow interpreter exit, must not be killed later), and give the signals back."""
        if self.deadline is not None:
            self.deadline.cancel()
        if self.watchdog is not None:
            self.watchdog.cancel()
        for signum in SIGNALS:
            self._loop.remove_signal_handler(signum)

    def _signalled(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum
            log.info(
                "%s received: stopping within %.1f s (send it again to exit at once)",
                signal.Signals(signum).name,
                self.within,
            )
            self.arm()
            self.requested.set()
            return
        name = signal.Signals(signum).name
        log.warning("%s received again: exiting at once, without finishing the stop", name)
        _exit(128 + signum)

    def _overdue(self) -> None:
        running = [
            _describe(task)
            for task in asyncio.all_tasks(self._loop)
            if task is not asyncio.current_task(self._loop)
        ]
        log.error(
            "still stopping after %.1f s (DOJOBOT_SHUTDOWN_SECONDS); exiting with %d task(s) "
            "still running: %s",
            self.within,
            len(running),
            "; ".join(running) or "none",
        )
        _exit(EXIT_OVERDUE)

    async def until_requested(self, work: Awaitable[object]) -> None:
        """Run `work` until it ends or a stop is requested (then it is cancelled)."""
        task = asyncio.ensure_future(work)
        waiter = asyncio.ensure_future(self.requested.wait())
        try:
            await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            if not task.done():
                task.cancel()
            with suppress(asyncio.CancelledError):
                await task


@asynccontextmanager
async def stopping(app: App, within: float) -> AsyncIterator[Stopper]:
    """Handle SIGTERM/SIGINT while the body runs; on the way out (body done, failed or
    interrupted by a signal) stop the app cleanly within `within` seconds."""
    stopper = Stopper(within)
    stopper.install()
    failed = False
    try:
        yield stopper
    except BaseException:
        failed = True  # e.g. a part refused the start: stopped, but not "cleanly"
        raise
    finally:
        stopper.arm()  # the body may have ended by itself: the same bounded stop
        try:
            # a task of its own, so that an overdue stop names where it waits
            clean = await asyncio.create_task(stop_app(app, within), name="dojobot-stop")
        finally:
            stopper.disarm()
        if failed:
            log.info("stopped after a failure")
        elif clean:
            log.info("stopped cleanly")
        else:
            log.warning("stopped, but a step of the stop failed (logged above)")


async def stop_app(app: App, within: float) -> bool:
    """Stop taking work, give in-flight work half of `within` to finish, hand back what
    still runs, let go of the clock, then close everything (see the module doc). Whether
    every step succeeded."""
    grace = within / 2
    steps: list[Awaitable[object]] = [app.clock.hand_over(grace)]
    if app.web is not None:
        steps.append(app.web.stop())  # stops listening; in-flight requests get `grace`
    clean = True
    for result in await asyncio.gather(*steps, return_exceptions=True):
        if isinstance(result, BaseException):
            log.error("stopping failed", exc_info=result)
            clean = False
    await app.close()
    return clean


def _describe(task: asyncio.Task[object]) -> str:
    """A task's name and where it waits: the chain of coroutines it awaits, innermost last."""
    chain: list[str] = []
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is not None:
            chain.append(f"{frame.f_code.co_qualname}:{frame.f_lineno}")
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    return f"{task.get_name()} waiting in {' > '.join(chain[-4:]) or '?'}"


def _blocked(within: float) -> None:
    """The watchdog thread's last word: the event loop could not even exit in time."""
    log.error("still stopping %.1f s after the deadline of %.1f s: exiting", BLOCKED_MARGIN, within)
    _exit(EXIT_OVERDUE)


def _exit(code: int) -> None:
    """Exit now: flush what was written, skip every cleanup."""
    for handler in logging.getLogger().handlers:
        with suppress(Exception):
            handler.flush()
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):
            stream.flush()
    os._exit(code)
