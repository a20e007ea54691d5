"""How each slash command is typed, for help and for error replies."""

USAGE: dict[str, str] = {
    "schedule-session": (
        "/schedule-session title: when: [duration:] [capacity:] [recording:] [chat:] "
        "[members_only:] [event:] [description:]"
    ),
    "schedule-session-form": (
        "/schedule-session-form [recording:] [chat:] [members_only:] [event:] — opens a form"
    ),
    "sessions": "/sessions [status:] [mine:] [event:]",
    "session": "/session session:",
    "update-session": (
        "/update-session session: [title:] [when:] [duration:] [capacity:] [unlimited:] "
        "[recording:] [chat:] [members_only:] [event:] [description:]"
    ),
    "cancel-session": "/cancel-session session: [reason:]",
    "start-session": "/start-session session:",
    "end-session": "/end-session session:",
    "join": "/join session:",
    "rsvp": "/rsvp session: [answer: going|leave]",
    "attendance": "/attendance session:",
    "create-event": "/create-event title: [description:]",
    "event": "/event event:",
    "help": "/help",
}

SUMMARIES: dict[str, str] = {
    "schedule-session": "Schedule a live session (instructors, admins).",
    "schedule-session-form": "Schedule with a form, for a long description.",
    "sessions": "List sessions (upcoming by default).",
    "session": "Show one session with who is going.",
    "update-session": "Change a session (its instructor or an admin).",
    "cancel-session": "Cancel a session; going members are told (its instructor or an admin).",
    "start-session": "Go live (the session's instructor).",
    "end-session": "End a live session (the session's instructor).",
    "join": "Get your personal room link (from 10 minutes before the start).",
    "rsvp": "Take a seat (or join the waitlist), or leave.",
    "attendance": "Who attended and for how long (its instructor or an admin).",
    "create-event": "Create an event that groups sessions.",
    "event": "Show an event and its sessions.",
    "help": "This list.",
}

TIME_EXAMPLES = "Times: tomorrow 18:00 · fri 7pm · in 2 hours · 2026-12-01 18:00 Europe/Berlin"


def help_text() -> str:
    """Every command with its usage."""
    lines = [f"**{SUMMARIES[name]}**\n`{usage}`" for name, usage in USAGE.items()]
    return "\n".join(lines) + f"\n{TIME_EXAMPLES}"
