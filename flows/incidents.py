"""Documenting an incident with a customer, from any case about them: a side form.

An incident (abuse of staff, late payment, an unethical proposal…) is a fact a later
termination may be framed by; it is asked in a small form beside the case's own question
and returns to that question once recorded.
"""

from __future__ import annotations

from datetime import date

from flows.errors import Refused
from flows.forms import SIDE_FORM, Field, without_side_form
from flows.model import Case, Incident, IncidentKind, Staff
from flows.outcomes import Outcome, Say
from flows.procedures.base import Steps

#: The side form that documents an incident, from any case with a customer.
INCIDENT_FORM: tuple[Field, ...] = (
    Field("incident_kind", "choice", tuple(IncidentKind)),
    Field("incident_date", "past_date", ("today",)),
    Field("incident_note", "text", customers_words=True),  # what they said is what happened
)


async def open_incident(steps: Steps, actor: Staff, case: Case) -> list[Outcome]:
    """Start documenting an incident about the case's customer."""
    if case.customer_id is None:
        raise Refused("incident.no_customer", case=case.id)
    if case.draft.get(SIDE_FORM):  # pressed again, on an older card: the form stands as it is
        return [await steps.show(actor, case)]
    case.draft = {**case.draft, SIDE_FORM: "incident"}
    steps.touch(case)
    return [await steps.show(actor, case)]


async def drop_incident(steps: Steps, actor: Staff, case: Case) -> list[Outcome]:
    """Leave the incident being documented (begun by mistake): nothing of it is kept, and
    the case's own question is asked again."""
    case.draft = without_side_form(case.draft)
    steps.touch(case)
    return [await steps.show(actor, case)]


def incident_complete(case: Case) -> bool:
    """Tell whether an open incident form has all its answers."""
    return case.draft.get(SIDE_FORM) == "incident" and all(
        f.name in case.draft for f in INCIDENT_FORM
    )


async def record_incident(steps: Steps, actor: Staff, case: Case) -> list[Outcome]:
    """Store the documented incident and return to the step."""
    draft = case.draft
    assert case.customer_id is not None
    incident = Incident(
        customer_id=case.customer_id,
        kind=draft["incident_kind"],
        happened_on=date.fromisoformat(draft["incident_date"]),
        note=draft["incident_note"],
        created_by=actor.id,
        created_at=steps.now(),
        case_id=case.id,
    )
    steps.uow.incidents.add(incident)
    steps.log(
        case,
        actor,
        "incident",
        {
            "incident_kind": incident.kind,
            "incident_date": draft["incident_date"],
            "incident_note": incident.note,
        },
    )
    case.draft = without_side_form(draft)
    return [Say("incident.saved", {"case": case.id}), await steps.show(actor, case)]
