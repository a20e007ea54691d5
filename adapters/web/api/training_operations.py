"""The training-record operations of the REST API, bound to their handlers."""

from __future__ import annotations

from adapters.web.api import paths
from adapters.web.api.operations import Operation
from adapters.web.api.training_handlers import TrainingApi
from adapters.web.api.training_schemas import (
    AttendanceBody,
    AttendanceOut,
    FeedOut,
    ProgressOut,
    PromotionBody,
    PromotionOut,
    TrainingPageOut,
    TrainingQuery,
)

TAG = "training record"
_OWN = (403, "A member's token asked for someone else's record.")
_NO_MEMBER = (404, "No such member.")


def training_operations(api: TrainingApi) -> list[Operation]:
    """Every training-record operation, in the order of `paths.TRAINING_ROUTES`."""
    return [
        Operation(
            paths.MEMBER_TRAINING,
            "The member's training ledger, oldest first: one entry per ended session with "
            "minutes present, whether it counts as attended and the instructor's verdict. "
            "Members: their own. Continue with after=<next>.",
            api.training,
            TrainingPageOut,
            query=TrainingQuery,
            errors=(400, 401, 403, 404, 422, 503),
            tag=TAG,
            error_texts=(
                (400, "A filter that can't be read (error.hint says what to send)."),
                _OWN,
                _NO_MEMBER,
                (422, "The range ends before it starts, or after= is no page's next."),
            ),
        ),
        Operation(
            paths.MEMBER_PROGRESS,
            "The member's progress toward their next rank, from the verified ledger. "
            "Members: their own.",
            api.progress,
            ProgressOut,
            errors=(401, 403, 404, 503),
            tag=TAG,
            error_texts=(_OWN, _NO_MEMBER),
        ),
        Operation(
            paths.RECORD_PROMOTION,
            "Record that the member reached a rank (instructors and admins; as /promote: "
            "audited, the member congratulated once).",
            api.add_promotion,
            PromotionOut,
            status=201,
            body=PromotionBody,
            errors=(400, 401, 403, 404, 409, 422, 503),
            tag=TAG,
            error_texts=(
                (403, "The token is a member's: instructors and admins record promotions."),
                _NO_MEMBER,
                (409, "Ranks are off: the association has no rank ladder configured."),
                (
                    422,
                    "Invalid fields (error.details), a rank not on the ladder (error.hint "
                    "lists the ranks) or a date in the future.",
                ),
            ),
        ),
        Operation(
            paths.SET_ATTENDANCE,
            "Mark a member present or absent in an ended session (its instructor or an "
            "admin; as the summary's buttons: audited).",
            api.set_attendance,
            AttendanceOut,
            body=AttendanceBody,
            errors=(400, 401, 403, 404, 409, 422, 503),
            tag=TAG,
            error_texts=(
                (403, "The token is neither the session's instructor's nor an admin's."),
                (404, "No such session, or no such member in it."),
                (409, "The session has not ended yet."),
            ),
        ),
        Operation(
            paths.NEW_CALENDAR_FEED,
            "A new personal calendar feed URL (a secret); the previous one stops working.",
            api.new_feed,
            FeedOut,
            status=201,
            errors=(401, 409, 503),
            tag=TAG,
            error_texts=((409, "Calendar feeds need dojobot's web pages, which are not served."),),
        ),
        Operation(
            paths.REVOKE_CALENDAR_FEED,
            "Stop the caller's calendar feed: its URL stops working (also when there was none).",
            api.revoke_feed,
            None,
            status=204,
            errors=(401, 503),
            tag=TAG,
        ),
    ]
