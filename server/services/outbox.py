"""Fan-out of change events to linked systems, inside the writing transaction.

The webhook dispatcher (server/integrations/webhooks) owns the sending; this module only
creates one Delivery per (event, active system with a webhook URL).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from server.models import ChangeEvent


async def fan_out(events: Sequence[ChangeEvent], now: datetime) -> None:
    """Create the deliveries for freshly saved events (replaced by the webhooks issue)."""
    return None
