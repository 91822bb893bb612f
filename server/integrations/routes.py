"""HTTP routes of the integrations (ICS feeds ...), mounted by server/app.py."""

from __future__ import annotations

from starlette.routing import BaseRoute

ROUTES: list[BaseRoute] = []
