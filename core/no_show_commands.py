"""The no-show commands of the shared grammar (`core.no_show_grammar`).

/my-record [member]              your no-shows, late cancels, present marks, any restriction
/appeal <id>                     appeal your no-show or late cancel in that session
/waive <id> <member>             admins: waive that member's mark in that session
/mark-present <id> <member>      the session's instructor (or an admin): they were there
"""

from __future__ import annotations

from core.model import Model


class ShowRecord(Model):
    member_id: str | None = None
    """None: the member asking."""


class AppealMark(Model):
    session_id: str


class WaiveMark(Model):
    session_id: str
    member_id: str


class MarkPresent(Model):
    session_id: str
    member_id: str


NoShowCommand = ShowRecord | AppealMark | WaiveMark | MarkPresent
