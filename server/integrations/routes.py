"""HTTP routes of the integrations (ICS feeds ...), mounted by server/app.py."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from server.integrations.ics import calendar_feed

ROUTES: list[BaseRoute] = [
    # The token is the feed's only credential (calendar clients send no bearer token).
    Route("/calendar/{token}.ics", calendar_feed, methods=["GET", "HEAD"]),
]
