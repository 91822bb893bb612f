"""Root fields of appointments and calendars; picked up by server/schema/__init__.py."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import strawberry

from server.auth.permissions import Actor, Permission
from server.errors import Code, DomainError
from server.integrations import calendar_sync
from server.resolvers.base import Info, actor_of, mutate, to_dict
from server.resolvers.calendar import calendar_window, entry_node
from server.schema.calendar import (
    AppointmentInput,
    AppointmentNode,
    AppointmentPayload,
    CalendarConnectionNode,
    CalendarConnectionPayload,
    CalendarEntry,
    CalendarFeedPayload,
)
from server.schema.staff import EmployeeNode, EmployeePayload
from server.services import appointments, calendar_connections, calendar_feeds, calendars
from server.services.appointment_rows import row_of

From = Annotated[datetime, strawberry.argument(name="from")]


@strawberry.type
class Query:
    @strawberry.field
    async def appointment(self, info: Info, id: strawberry.ID) -> AppointmentNode | None:
        actor = actor_of(info)
        ids = calendars.uuids([id])
        row = await row_of(ids[0]) if ids else None
        if row is None or not await calendars.may_see(actor, row):
            return None
        return AppointmentNode.from_row(row)

    @strawberry.field(
        description="Several employees' calendars side by side; entries the viewer may not "
        "see in detail show as busy."
    )
    async def calendars(
        self, info: Info, employee_ids: list[strawberry.ID], from_: From, to: datetime
    ) -> list[CalendarEntry]:
        actor = actor_of(info)
        start, end = calendar_window(from_, to, len(employee_ids))
        found = await calendars.entries(actor, [str(i) for i in employee_ids], start, end)
        return [entry_node(e) for key in calendars.uuids(employee_ids) for e in found.get(key, [])]


def _appointment(row: dict[str, Any]) -> dict[str, Any]:
    return {"appointment": AppointmentNode.from_row(row)}


def _connection(row: dict[str, Any]) -> dict[str, Any]:
    return {"connection": CalendarConnectionNode.from_row(row)}


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def create_appointment(self, info: Info, input: AppointmentInput) -> AppointmentPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return _appointment(await appointments.create_appointment(actor, to_dict(input)))

        return await mutate(info, AppointmentPayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation
    async def update_appointment(
        self, info: Info, id: strawberry.ID, input: AppointmentInput
    ) -> AppointmentPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await appointments.update_appointment(actor, str(id), to_dict(input))
            return _appointment(row)

        return await mutate(info, AppointmentPayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation
    async def cancel_appointment(self, info: Info, id: strawberry.ID) -> AppointmentPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return _appointment(await appointments.cancel_appointment(actor, str(id)))

        return await mutate(info, AppointmentPayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation
    async def connect_calendar(
        self,
        info: Info,
        employee_id: strawberry.ID,
        url: str,
        username: str | None = None,
        password: str | None = None,
    ) -> CalendarConnectionPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            row = await calendar_connections.connect_calendar(
                actor, str(employee_id), url, username, password
            )
            return _connection(row)

        return await mutate(info, CalendarConnectionPayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation(
        description="Runs one two-way synchronisation now (it also runs by itself in the "
        "background)."
    )
    async def sync_calendar(
        self,
        info: Info,
        connection_id: strawberry.ID,
        force_delete: Annotated[
            bool | None,
            strawberry.argument(description="Accept deletions the empty-calendar guard held back."),
        ] = False,
    ) -> CalendarConnectionPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            key = await calendar_connections.syncable(actor, str(connection_id))
            try:
                await calendar_sync.sync_now(key, force_delete=bool(force_delete))
            except calendar_sync.SyncBusy:
                message = "A synchronisation of this calendar is running; try again shortly."
                raise DomainError(Code.CONFLICT, message, ["connectionId"]) from None
            return _connection(await calendar_connections.connection_row(key))

        return await mutate(info, CalendarConnectionPayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation(description="Let a colleague see the details of your appointments.")
    async def share_calendar(self, info: Info, viewer_id: strawberry.ID) -> EmployeePayload:
        async def action(actor: Actor) -> dict[str, Any]:
            return {
                "employee": EmployeeNode.from_row(await calendars.share_calendar(actor, viewer_id))
            }

        return await mutate(info, EmployeePayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation(description="Stop sharing your calendar's details with a colleague.")
    async def unshare_calendar(self, info: Info, viewer_id: strawberry.ID) -> EmployeePayload:
        async def action(actor: Actor) -> dict[str, Any]:
            viewer = await calendars.unshare_calendar(actor, viewer_id)
            return {"employee": EmployeeNode.from_row(viewer)}

        return await mutate(info, EmployeePayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation(
        description="A new secret ICS feed URL (your own, or any with MANAGE_ANY_CALENDAR); "
        "the previous URL stops working."
    )
    async def create_calendar_feed(
        self, info: Info, employee_id: strawberry.ID | None = None
    ) -> CalendarFeedPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            target = str(employee_id) if employee_id is not None else None
            return {"url": await calendar_feeds.create_feed(actor, target)}

        return await mutate(info, CalendarFeedPayload, Permission.WRITE_APPOINTMENTS, action)

    @strawberry.mutation(description="The ICS feed URL stops working at once.")
    async def revoke_calendar_feed(
        self, info: Info, employee_id: strawberry.ID | None = None
    ) -> CalendarFeedPayload:
        async def action(actor: Actor) -> dict[str, Any]:
            target = str(employee_id) if employee_id is not None else None
            await calendar_feeds.revoke_feed(actor, target)
            return {"url": None}

        return await mutate(info, CalendarFeedPayload, Permission.WRITE_APPOINTMENTS, action)
