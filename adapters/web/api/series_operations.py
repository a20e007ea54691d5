"""The weekly-class operations of the REST API, bound to their handlers."""

from __future__ import annotations

from adapters.web.api import paths
from adapters.web.api.operations import Operation
from adapters.web.api.series_handlers import SeriesApi
from adapters.web.api.series_schemas import (
    EndQuery,
    EndResult,
    SeriesCreate,
    SeriesDetailOut,
    SeriesList,
    SeriesPlanOut,
    SeriesUpdate,
    SkipCreate,
    SkipResult,
    StandingOut,
)

TAG = "weekly classes"


def series_operations(api: SeriesApi) -> list[Operation]:
    """Every weekly-class operation, in the order of `paths.SERIES_ROUTES`."""
    return [
        Operation(
            paths.PREVIEW_SERIES,
            "What creating this weekly class would give: its next classes and DST notes "
            "(nothing is stored).",
            api.preview,
            SeriesPlanOut,
            body=SeriesCreate,
            errors=(400, 401, 403, 404, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.CREATE_SERIES,
            "Create a weekly class (instructor or admin); its classes are ordinary sessions, "
            "listed a few weeks ahead as time goes by.",
            api.create,
            SeriesPlanOut,
            status=201,
            body=SeriesCreate,
            errors=(400, 401, 403, 404, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.LIST_SERIES,
            "The weekly classes still running that the caller may see.",
            api.list_series,
            SeriesList,
            errors=(401, 503),
            tag=TAG,
        ),
        Operation(
            paths.GET_SERIES,
            "One weekly class: segments, listed classes to come, skipped days, standing RSVPs.",
            api.get,
            SeriesDetailOut,
            errors=(401, 404, 503),
            tag=TAG,
        ),
        Operation(
            paths.UPDATE_SERIES,
            "Change a weekly class (its instructor or an admin): all classes from today, or "
            "the following ones from a day on; members going are told once.",
            api.update,
            SeriesDetailOut,
            body=SeriesUpdate,
            errors=(400, 401, 403, 404, 409, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.END_SERIES,
            "End a weekly class (its instructor or an admin): its listed classes are canceled.",
            api.end,
            EndResult,
            query=EndQuery,
            errors=(401, 403, 404, 409, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.SKIP_SERIES_DAY,
            "Skip one class day (a holiday) with a reason; its class, if listed, is canceled.",
            api.skip,
            SkipResult,
            status=201,
            body=SkipCreate,
            errors=(400, 401, 403, 404, 409, 422, 503),
            tag=TAG,
        ),
        Operation(
            paths.STAND_SERIES,
            'The caller goes "every week": to each listed class now (waitlisted where '
            "full) and to each one as it is listed.",
            api.stand,
            StandingOut,
            errors=(401, 403, 404, 409, 503),
            tag=TAG,
        ),
        Operation(
            paths.DROP_STANDING_SERIES,
            'The caller no longer goes "every week" (RSVPs to listed classes stay).',
            api.drop_standing,
            StandingOut,
            errors=(401, 403, 404, 503),
            tag=TAG,
        ),
    ]
