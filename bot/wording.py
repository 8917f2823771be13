"""The script keys the bot asks for by name, derived from the declarations: checked at start.

Most wording is looked up from data (a state's title, a field's prompt, a side action's
button), so a key missing from a locale would otherwise surface only when someone reaches
that state — as "technical problem" in front of a member of staff. `missing_keys` lists
every such key that a locale lacks; the application refuses to start with any missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, Settings, toml_file
from bot.render import event_key
from flows.forms import Field
from flows.incidents import INCIDENT_FORM
from flows.model import OPENS_FOR, CaseEvent, CustomerStatus, Expecting
from flows.policy import Policy
from flows.procedures import PROCEDURES, VERDICTS_BY_SUBJECT
from flows.procedures.base import PROMPTS, TEXT_ACTIONS
from flows.procedures.review import MOVES, UNDONE
from flows.scripts import LOCALES, Scripts

#: Events logged outside any machine transition.
LOGGED_EVENTS = (
    "opened",
    "customer_chosen",
    "note",
    "paused",
    "resumed",
    "escalated",
    "cancel",
    "back",
    "evidence",
    "incident",
    "approval_comment",
    "fix_done",
    "fix_rescheduled",
    "overdue",
    "at_risk",
    "at_risk_lifted",
    "handed_over",
    "forgotten",
    "address_changed",
    "to_rung",
)


def _fields(policy: Policy) -> Iterable[Field]:
    for procedure in PROCEDURES.values():
        for state in procedure.flow.all_states():
            yield from procedure.form(state, policy)
    yield from INCIDENT_FORM


def required_keys(policy: Policy | None = None) -> set[str]:
    """Every key the bot builds from its declarations: states, events, fields, buttons."""
    policy = policy or Policy(partners=())
    keys: set[str] = set()
    for kind, procedure in PROCEDURES.items():
        flow = procedure.flow
        for state in flow.all_states():
            keys |= {f"step.{state}.{part}" for part in ("title", "purpose", "short")}
            keys |= {event_key(kind, _event(state, t)) for t in flow.triggers_from(state)}
        for subject in procedure.subjects.values():
            for verdict in VERDICTS_BY_SUBJECT[subject]:
                keys.add(f"approval.recorded.{subject}.{verdict}")
                keys.add(f"notify.decision.{subject}.{verdict}")
                keys.add(f"event.decision.{verdict}_{subject}")
    keys |= {f"event.{kind}" for kind in LOGGED_EVENTS}
    keys |= {f"event.move_{name}" for name, _ in MOVES}
    keys |= {f"review.ladder_{kind}" for kind in UNDONE}  # an earlier request, on the next
    keys |= {
        f"customer.refused.{kind}"
        for kind in PROCEDURES
        if any(kind not in opens for opens in OPENS_FOR.values())
    }
    keys |= {f"customer.status.{status}" for status in CustomerStatus}
    for field in _fields(policy):
        keys |= {f"field.{field.name}.prompt", f"field.{field.name}.label"}
        if field.kind in ("choice", "multi", "when"):
            keys |= {f"option.{o}" for o in field.options if o not in policy.partner_codes}
    for procedure in PROCEDURES.values():
        keys |= {f"button.{name}" for row in procedure.side_actions for name in row}
    keys |= {f"ask.{verb}" for verb in (*TEXT_ACTIONS, Expecting.evidence)}
    keys |= {f"aside.{waiting}" for waiting in Expecting}
    keys |= {f"left.{what}" for what in (*PROMPTS, "incident")}
    return keys


def optional_keys(policy: Policy) -> set[str]:
    """Keys an override may add without being asked to: how the words offer a compensation
    type of the company's own (`offer.<type>`: "a spa day worth {value}"); without one, the
    type is offered by its label."""
    return {f"offer.{kind}" for kind in policy.compensation_catalogue}


def _event(step: str, kind: str) -> CaseEvent:
    return CaseEvent(case_id=0, seq=0, at=datetime.now(UTC), actor_id=None, step=step, kind=kind)


def load_scripts(settings: Settings) -> Scripts:
    """The bot's wording with the company's own file (`scripts.override`), checked as the
    settings are: a file that cannot be read, an unknown key, a placeholder the bot does not
    fill, or wording the settings call for and nobody wrote is a ConfigError saying which."""
    name = settings.scripts.override
    policy = settings.policy()
    try:
        with toml_file(f"scripts.override: {name}"):
            added = required_keys(policy) | optional_keys(policy)
            scripts = Scripts.load(Path(name) if name else None, added)
    except ValueError as err:  # an unknown key, or a placeholder the bot does not fill
        raise ConfigError(f"scripts.override: {err}") from None
    missing = [(loc, key) for loc, keys in missing_keys(scripts, policy).items() for key in keys]
    if missing:
        lines = "\n".join(
            f'  [{loc}.{key.rpartition(".")[0]}] {key.rpartition(".")[2]} = "…"'
            for loc, key in missing
        )
        raise ConfigError(
            "the settings call for wording that is not written (a compensation type of your "
            "own needs its label in each language); add it to the file named by "
            f"scripts.override:\n{lines}"
        )
    return scripts


def missing_keys(scripts: Scripts, policy: Policy | None = None) -> dict[str, list[str]]:
    """List, per locale, the required keys that the scripts lack (empty when all is well)."""
    needed = required_keys(policy)
    found = {loc: sorted(k for k in needed if not scripts.has(loc, k)) for loc in LOCALES}
    return {loc: keys for loc, keys in found.items() if keys}
