"""The member operations of the REST API, bound to their handlers."""

from __future__ import annotations

from adapters.web.api import paths
from adapters.web.api.member_handlers import MembersApi
from adapters.web.api.member_schemas import (
    CodeBody,
    CodeOut,
    ForgottenOut,
    ProfileOut,
    RemindersBody,
)
from adapters.web.api.operations import Operation

TAG = "members"


def member_operations(api: MembersApi) -> list[Operation]:
    """Every member operation, in the order of `paths.MEMBER_ROUTES`."""
    return [
        Operation(
            paths.GET_ME,
            "Everything dojobot stores about the caller: name, zone, language, linked "
            "accounts, reminder choices, when last seen.",
            api.me,
            ProfileOut,
            errors=(401, 503),
            tag=TAG,
        ),
        Operation(
            paths.SET_MY_REMINDERS,
            "Replace the caller's reminder choices (left out or null: the association's default).",
            api.set_reminders,
            ProfileOut,
            body=RemindersBody,
            errors=(400, 401, 404, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.CREATE_LINK_CODE,
            "A one-time code to enter on the caller's other account (10 minutes): that "
            "account joins this profile.",
            api.link_code,
            CodeOut,
            status=201,
            errors=(401, 503),
            tag=TAG,
        ),
        Operation(
            paths.LINK_ACCOUNT,
            "Link the caller's account into the profile that made the code: one member, one "
            "RSVP per session.",
            api.link,
            ProfileOut,
            body=CodeBody,
            errors=(400, 401, 409, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.UNLINK_ACCOUNT,
            "Unlink the caller's account (from the profile's own account: every other one); "
            "records stay with the profile.",
            api.unlink,
            ProfileOut,
            errors=(401, 404, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.FORGET_ME,
            "Step one of forgetting the caller: a confirmation code (10 minutes). Refused "
            "while they teach sessions or classes to come.",
            api.forget_me,
            CodeOut,
            status=201,
            errors=(401, 409, 503),
            tag=TAG,
        ),
        Operation(
            paths.CONFIRM_FORGET_ME,
            "Step two: delete the caller's profile and personal data; records stay only as "
            "anonymous counts.",
            api.confirm_forget_me,
            ForgottenOut,
            body=CodeBody,
            errors=(400, 401, 409, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.FORGET_MEMBER,
            "Step one of forgetting a member on their request (admins): a confirmation code "
            "for the admin.",
            api.forget_member,
            CodeOut,
            status=201,
            errors=(401, 403, 404, 409, 503),
            tag=TAG,
        ),
        Operation(
            paths.CONFIRM_FORGET_MEMBER,
            "Step two (the admin who asked): delete the member's profile and personal data.",
            api.confirm_forget_member,
            ForgottenOut,
            body=CodeBody,
            errors=(400, 401, 403, 404, 409, 422, 503),
            tag=TAG,
        ),
    ]
