"""What lets go of a contact person before it is deleted, each change recorded in history.

The database would do the same by itself (ON DELETE SET NULL / CASCADE), but then the
history would not know: links lose their contact, appointments their attendee, the
relation its SBR filing contact, and the contact's custom values are deleted.
"""

from __future__ import annotations

from server.models import AppointmentContact, ContactPerson, Relation, RelationLink
from server.services.unit import Unit, row_state


async def release(unit: Unit, contact: ContactPerson) -> None:
    """Detach `contact` from links, appointments, SBR profile and custom values (recorded)."""
    await _links(unit, contact)
    await _appointments(unit, contact)
    await _filing_contact(unit, contact)
    await _custom_values(unit, contact)


async def _links(unit: Unit, contact: ContactPerson) -> None:
    for link in await RelationLink.filter(contact_id=contact.id).select_for_update():
        before = row_state(link)
        link.contact_id = None
        await link.save(update_fields=["contact_id"])
        unit.record(
            "link",
            link.id,
            before,
            row_state(link),
            relation_id=link.from_relation_id,  # type: ignore[attr-defined]
            other_relation_id=link.to_relation_id,  # type: ignore[attr-defined]
        )


async def _appointments(unit: Unit, contact: ContactPerson) -> None:
    rows = await AppointmentContact.filter(contact_id=contact.id).select_related("appointment")
    for row in rows:
        state = row_state(row)
        relation_id = row.appointment.relation_id  # type: ignore[attr-defined]
        await row.delete()
        unit.record("appointment_contact", row.id, state, None, relation_id=relation_id)


async def _filing_contact(unit: Unit, contact: ContactPerson) -> None:
    from server.services.relations import event_data

    relations = Relation.filter(sbr_filing_contact_id=contact.id).select_for_update()
    for relation in await relations:
        before = row_state(relation)
        relation.sbr_filing_contact_id = None
        relation.updated_at = unit.now
        await relation.save()
        after = row_state(relation)
        changes = unit.record("relation", relation.id, before, after, relation_id=relation.id)
        unit.event(
            "relation.updated", relation.id, event_data("relation", relation.id, changes, after)
        )


async def _custom_values(unit: Unit, contact: ContactPerson) -> None:
    try:
        from server.models import CustomFieldValue
        from server.services.custom_field_values import stored_values
    except ImportError:  # pragma: no cover - the custom-fields service is optional here
        return
    for value in await stored_values(contact_id=str(contact.id)):
        await CustomFieldValue.filter(id=value.id).delete()
        unit.record(
            "custom_value",
            value.id,
            value.state(),
            None,
            relation_id=contact.relation_id,  # type: ignore[attr-defined]
        )
