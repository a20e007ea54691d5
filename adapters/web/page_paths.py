"""The pages' route patterns, in a module of their own: `WebPages` mounts every route at
start without importing the pages that serve them (`adapters.web.lazy_pages`)."""

from __future__ import annotations

SESSION_ID = r"{session_id:[A-Za-z0-9_-]{1,64}}"
SERIES_ID = r"{series_id:[A-Za-z0-9_-]{1,64}}"
TOKEN = r"{token:[A-Za-z0-9_-]{1,1500}\.[A-Za-z0-9_-]{1,100}}"
"""A training page's signed pass."""
CHART = r"{chart:[a-z]{1,20}}"
FEED_ROUTE = "/calendar/feed/{token:[A-Za-z0-9_-]{1,128}}.ics"
"""The route of a feed (the metrics label it by this pattern, never by the token)."""
