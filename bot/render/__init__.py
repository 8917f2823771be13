"""Draw outcomes as Telegram messages: HTML text (user input escaped) and inline buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.render.sizes import (
    LABEL_BUDGET,
    MESSAGE_LIMIT,
    SHORT_BUDGET,
    SHOWN_VALUE,
    button,
    button_rows,
    cut_short,
    fit,
    fit_label,
    fit_label_after,
    one_line,
    shown_units,
    split_message,
    visible_length,
)
from flows.address import form_of_address, given_name
from flows.case_filter import PAGE
from flows.formats import Formats
from flows.forms import Field
from flows.incidents import INCIDENT_FORM
from flows.model import (
    OPENS_FOR,
    Case,
    CaseEvent,
    CaseKind,
    Customer,
    CustomerKind,
    CustomerStatus,
    Staff,
)
from flows.outcomes import (
    CaseView,
    CustomerCard,
    CustomerRecord,
    Label,
    Notify,
    ShowCases,
    ShowTimeline,
    StaffOverview,
)
from flows.policy import Policy
from flows.procedures import PROCEDURES, VERDICTS_BY_SUBJECT, all_fields, procedure_of
from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from flows.scripts import Scripts

__all__ = [
    "DECISIONS",
    "FILTER_ROWS",
    "LABEL_BUDGET",
    "MESSAGE_LIMIT",
    "SHORT_BUDGET",
    "Rendered",
    "Renderer",
    "Safe",
    "event_key",
    "shown_units",
    "split_message",
    "visible_length",
]

#: The case-list filters, row by row: statuses, then kinds (codes of flows.case_filter).
FILTER_ROWS = (("status", "ocda"), ("kind", "-c"), ("kind", "rek"))
#: How each recorded value is written, by the kind of field that asked for it.
FIELD_KINDS: dict[str, str] = {f.name: f.kind for f in (*all_fields(Policy()), *INCIDENT_FORM)}


#: What a customer's card may offer: (procedure or flag, button, action), as their status allows.
CARD_ACTIONS = (
    ("complaint", "button.new_case", "complaint"),
    ("problem_review", "button.new_review", "review"),
    ("check_in", "button.new_check_in", "checkin"),
    ("exit_interview", "button.new_exit", "exit"),
    ("at_risk", "button.flag_at_risk", "atrisk"),
    ("rename", "button.rename", "rename"),
)

#: Messages that ask a supervisor to decide, and the verdict buttons each offers.
DECISIONS: dict[str, tuple[str, ...]] = {
    "approval_request": ("y", "n"),
    "goodwill_approval_request": ("y", "n"),
    "decision_request": ("y", "n", "l"),
}


class Safe(str):
    """Text that is already HTML: scripts, and values escaped on the way in."""

    __slots__ = ()


@dataclass
class Rendered:
    """A message ready to send."""

    text: str
    markup: InlineKeyboardMarkup | None = None


class Renderer:
    """Turn outcomes into messages in one reader's language and time zone."""

    def __init__(self, scripts: Scripts, policy: Policy, locale: str, tz: ZoneInfo) -> None:
        self.scripts = scripts
        self.policy = policy
        self.locale = locale
        self.tz = tz
        self.fmt = Formats(locale, tz, policy.currency)

    # ------------------------------------------------------------ primitives

    def t(self, key: str, /, **params: Any) -> str:
        """Look up wording, escaping every value that came from people."""
        safe = {k: self._param(v) for k, v in params.items()}
        return Safe(self.scripts.get(self.locale, key, **safe))

    def say(self, key: str, /, **params: Any) -> str:
        """Fill words read to a customer, leaving out a sentence whose placeholder is empty."""
        safe = {k: self._param(v) for k, v in params.items()}
        return Safe(self.scripts.say(self.locale, key, **safe))

    def _param(self, value: Any) -> Any:
        if value is None:
            return self.scripts.get(self.locale, "value.unknown")
        if isinstance(value, Label):
            return self.option(value)
        if isinstance(value, datetime):
            return self.when(value)
        if isinstance(value, date):
            return self.day(value)
        if isinstance(value, str) and not isinstance(value, Safe):
            return escape(value)
        return value

    def money(self, amount: int | None) -> str:
        """Format an amount the reader's way: 1.500.000 VND or 1,500,000 VND."""
        return self.fmt.money(amount)

    def number(self, value: int) -> str:
        """Group thousands the reader's way: 1.234.567 (vi) or 1,234,567 (en)."""
        return self.fmt.number(value)

    def when(self, moment: datetime | str | None) -> str:
        """Format a moment in the reader's time zone."""
        return self.t("value.unknown") if moment is None else self.fmt.moment(moment)

    def day(self, value: date | str | None) -> str:
        """Format a calendar date."""
        return self.t("value.unknown") if value is None else self.fmt.day(value)

    def option(self, value: str) -> str:
        """Label a choice; a partner by its name; an unknown code as words, never raw."""
        if self.scripts.has(self.locale, f"option.{value}"):
            return self.t(f"option.{value}")
        partner = self.policy.partner(value)
        if partner is not None:
            return Safe(escape(partner.name(self.locale)))
        return Safe(escape(value.replace("_", " ")))

    def options(self, values: Sequence[str], last: str = "list.and") -> str:
        """Label several choices as a list: "A, B và C"."""
        return Safe(self.fmt.join([self.option(str(v)) for v in values], self.t(last)))

    def customer_line(self, customer: Customer | None) -> Safe:
        """Name the customer, with what they are worth a year if known."""
        if customer is None:
            return Safe(self.t("case.no_customer"))
        line = escape(customer.name)
        if customer.phone:
            line += f" · {escape(customer.phone)}"
        if customer.yearly_value:
            line += " · " + self.t("case.yearly_value", value=self.money(customer.yearly_value))
        return Safe(line)

    def value_of(
        self, name: str, value: Any, customer: Customer | None = None, limit: int | None = None
    ) -> Safe:
        """Format one recorded value for reading; typed text cut to `limit` if given."""
        if limit is not None and isinstance(value, str) and len(value) > limit:
            value = one_line(value, limit)
        return Safe(self._value(name, value, customer))

    def _value(self, name: str, value: Any, customer: Customer | None) -> str:
        kind = FIELD_KINDS.get(name)
        if value is None:
            return self.t("record.skipped")
        if kind == "customer":
            return escape(customer.name) if customer else self.t("option.new")
        if isinstance(value, list):
            return self.options(value)
        if kind == "money":
            return self.money(int(value))
        if kind == "when":
            return self.when(value)
        if kind in ("past_date", "future_date"):
            return self.day(value)
        if kind in ("choice", "approval"):
            return self.option(str(value))
        return escape(str(value))

    def record_lines(
        self, record: dict[str, Any], customer: Customer | None = None, limit: int | None = None
    ) -> list[str]:
        """List what was recorded, one `label: value` line each; long text cut to `limit`."""
        return [
            f"• {self.t(f'field.{name}.label')}: {self.value_of(name, value, customer, limit)}"
            for name, value in record.items()
            if self.scripts.has(self.locale, f"field.{name}.label")
        ]

    # ------------------------------------------------------------ case card

    def heading(self, case: Case, state: str) -> str:
        """Name the step: "Step 2 of 5 — Fix it at once", or a review's rung."""
        spec = procedure_of(case)
        number = spec.number(state)
        title = self.t(f"step.{state}.title")
        if not number:
            return title
        key = "case.rung_of" if case.kind == CaseKind.problem_review else "case.step_of"
        return f"{self.t(key, k=number, n=spec.steps)} — {title}"

    def card(self, view: CaseView) -> Rendered:
        """Draw a case at its current step, with the buttons that step allows."""
        case, field = view.case, view.field
        state = case.state
        lines = [
            self.t("case.header", case=case.id, customer=self.customer_line(view.customer)),
            self.heading(case, state),
            f"<i>{self.t(f'step.{state}.purpose')}</i>",
        ]
        if view.record is not None and state == Rung.reassess:
            lines += ["", *self.record_section(view.record)]
        advice = self.advice(view)
        if advice:
            lines += ["", self.t("case.advice_heading"), f"<i>{advice}</i>"]
        script = self.script(view)
        if script:
            lines += ["", self.t("case.script_heading"), f"<blockquote>{script}</blockquote>"]
        lines += self._state_details(case)
        recorded = self.record_lines(case.draft, view.customer, SHOWN_VALUE)
        if recorded:
            lines += ["", self.t("case.recorded_so_far"), *recorded]
        if cut_short(case.draft.values()):
            lines.append(self.t("case.shortened", case=case.id))
        now = case.updated_at or case.opened_at
        prompt = ["", "➡️ " + self.prompt(field, now)] if field is not None else []
        return Rendered(fit(lines, prompt), self.card_buttons(view))

    def script(self, view: CaseView) -> str | None:
        """The suggested words for this moment: the question's own, else the step's."""
        return self._wording(view, "script")

    def advice(self, view: CaseView) -> str | None:
        """Advice to staff for this moment (not words for the customer), if there is any."""
        return self._wording(view, "advice")

    def _wording(self, view: CaseView, kind: str) -> str | None:
        """Find `field.<name>.<kind>`, else `step.<state>.<kind>`, and fill it.

        None while the customer is still to be chosen: the words are about them. A
        business customer gets the business variant (`…_business`) where there is one.
        """
        if view.field is not None and view.field.kind == "customer":
            return None
        business = view.customer is not None and view.customer.kind == CustomerKind.business
        for key in (
            f"field.{view.field.name}.{kind}" if view.field else "",
            f"step.{view.case.state}.{kind}",
        ):
            if key and self.scripts.has(self.locale, key):
                variant = f"{key}_business"
                if business and self.scripts.has(self.locale, variant):
                    key = variant
                return self.say(key, **self.script_params(view))
        return None

    def script_params(self, view: CaseView) -> dict[str, str]:
        """What scripts may name: the form of address, the people, incidents, partners."""
        address, you = self.address(view.customer)
        return {
            "address": address,
            "Address": Safe(address[:1].upper() + address[1:]),
            "you": you,
            "You": Safe(you[:1].upper() + you[1:]),
            "customer": view.customer.name if view.customer else "",
            "staff": view.owner.name,
            "incidents": self.incidents_summary(view.record),
            "partners": self.options(self.policy.partner_codes, "list.or"),
        }

    def address(self, customer: Customer | None) -> tuple[Safe, Safe]:
        """How staff address the customer (chị Mai), and the word for "you" after that (chị)."""
        form = form_of_address(customer) if customer else "unnamed"
        name = given_name(customer) if customer else ""
        return Safe(self.t(f"address.{form}", name=name)), Safe(self.t(f"address.you.{form}"))

    def record_section(self, record: CustomerRecord) -> list[str]:
        """The customer's record from the log, shown before a review climbs the ladder."""
        lines = [self.t("record.heading")]
        if record.tenure_years is not None:
            lines.append(self.t("record.tenure", years=self.fmt.decimal(record.tenure_years)))
        if record.yearly_value:
            yearly = self.money(record.yearly_value)
            lines.append(
                self.t("record.value", yearly=yearly, lifetime=self.money(record.lifetime_value))
                if record.lifetime_value
                else self.t("record.value_yearly", yearly=yearly)
            )
        lines += [
            self.t(
                "record.complaints",
                complaints=record.complaints,
                reopens=record.reopens,
                compensation=self.money(record.compensation),
            ),
            self.t("record.open_cases", cases=", ".join(f"#{c}" for c in record.open_cases))
            if record.open_cases
            else self.t("record.no_open_cases"),
            self.t("record.incidents", count=len(record.incidents)),
        ]
        lines += [
            f"• {self.day(i.happened_on)} · {self.option(i.kind)} · "
            f"{escape(one_line(i.note, SHOWN_VALUE))}"
            for i in record.incidents[-10:]
        ]
        return lines

    def incidents_summary(self, record: CustomerRecord | None) -> str:
        """Remind of the documented occasions in the customer's terms: how many, since when.

        What kind each incident was stays on the staff side; empty when there is none, so
        the script leaves the sentence out.
        """
        if record is None or not record.incidents:
            return ""
        first, last = record.incidents[0].happened_on, record.incidents[-1].happened_on
        if len(record.incidents) == 1:
            return self.t("record.incident_framed", day=self.day(first))
        return self.t(
            "record.incidents_framed",
            count=len(record.incidents),
            first=self.day(first),
            last=self.day(last),
        )

    def _state_details(self, case: Case) -> list[str]:
        if case.state == Step.compensate and case.compensation_total:
            given = self.money(case.compensation_total)
            limit = self.money(self.policy.staff_compensation_limit)
            return ["", self.t("case.given_so_far", given=given, limit=limit)]
        if case.state == Step.awaiting_approval:
            return [
                "",
                self.t(
                    "case.waiting_approval",
                    value=self.money(case.compensation_value),
                    type=self.option(case.compensation_type or "none"),
                ),
            ]
        if case.state == Step.awaiting_follow_up:
            return ["", self.t("case.follow_up_due", when=self.when(case.follow_up_due_at))]
        if case.state in (Step.closed, Step.cancelled):
            return ["", self.t(f"case.ended.{case.state}", when=self.when(case.closed_at))]
        return []

    def prompt(self, field: Field, now: datetime) -> str:
        """Say what to enter for `field`; date examples are near `now`, on the right side of it."""
        local = now.astimezone(self.tz)
        text = self.t(
            f"field.{field.name}.prompt",
            currency=self.policy.currency,
            soon=f"{local + timedelta(days=2):%d/%m}",
            recently=f"{local - timedelta(days=3):%d/%m}",
            later=f"{local + timedelta(days=180):%d/%m/%Y}",
        )
        if field.kind in ("text", "phone", "money", "when", "past_date") and field.optional:
            text += " " + self.t("case.or_skip")
        if field.kind == "text":
            text += " " + self.t("case.limit", limit=self.policy.text_limit)
        return text

    def card_buttons(self, view: CaseView) -> InlineKeyboardMarkup | None:
        """Buttons for the current question, then the actions every step has."""
        case, field = view.case, view.field
        cid, ver = case.id or 0, case.version
        rows = self.field_buttons(view, field) if field is not None else []
        if procedure_of(case).flow.is_final(case.state):
            return InlineKeyboardMarkup(rows) if rows else None
        rows += [
            [
                button(self.t(f"button.{name}"), cb.case_button(cid, ver, cb.ACT, name))
                for name in names
            ]
            for names in procedure_of(case).offered(case)
        ]
        return InlineKeyboardMarkup(rows)

    def field_buttons(self, view: CaseView, field: Field) -> list[list[InlineKeyboardButton]]:
        """Buttons that answer the current question."""
        case = view.case
        cid, ver = case.id or 0, case.version

        def choose(label: str, value: str) -> InlineKeyboardButton:
            return button(label, cb.case_button(cid, ver, cb.CHOOSE, value))

        rows: list[list[InlineKeyboardButton]] = []
        if field.kind == "customer":
            rows += [
                [choose(fit_label(f"👤 {c.name}", f" · {c.phone}" if c.phone else ""), str(c.id))]
                for c in view.matches
            ]
            rows.append([choose(self.t("button.new_customer"), "new")])
        if field.kind == "multi":  # long reasons: one to a row
            picked = case.draft.get(f"_pick_{field.name}", [])
            rows += [
                [choose(("✅ " if o in picked else "▫️ ") + self.option(o), o)]
                for o in field.options
            ]
            rows.append([choose(self.t("button.done"), "done")])
        elif field.kind != "approval":
            rows += button_rows([choose(fit_label(self.option(o)), o) for o in field.options])
        if field.optional and field.kind != "multi":
            rows.append([button(self.t("button.skip"), cb.case_button(cid, ver, cb.SKIP))])
        return rows

    def done(self, view: CaseView, step: str, record: dict[str, Any]) -> str:
        """Draw a finished step compactly, for the card it replaces."""
        head = f"✅ #{view.case.id} · {self.heading(view.case, step)}"
        return fit([head, *self.record_lines(record, view.customer, SHOWN_VALUE)], [])

    # ------------------------------------------------------------ other views

    def notify(self, note: Notify) -> Rendered:
        """Draw a message for someone other than the actor."""
        view, case = note.view, note.view.case
        cid = case.id or 0
        summary = self.case_summary(view)
        if note.kind in DECISIONS:
            text = self.decision_text(note)
            verdicts = DECISIONS[note.kind]
            buttons = [
                [
                    button(
                        self.t(f"button.verdict_{v}"),
                        cb.case_button(cid, case.version, cb.DECIDE, v),
                    )
                    for v in verdicts
                ],
                [button(self.t("button.timeline"), cb.case_button(cid, 0, cb.TIMELINE))],
            ]
            return Rendered(f"{text}\n\n{summary}", InlineKeyboardMarkup(buttons))
        params = dict(note.params)
        key = f"notify.{note.kind}"
        if note.kind == "decision":
            key = f"notify.decision.{params.pop('subject')}.{params.pop('verdict')}"
        text = self.t(key, case=cid, **params)
        buttons = [
            [
                button(self.t("button.open_case"), cb.case_button(cid, 0, cb.OPEN)),
                button(self.t("button.timeline"), cb.case_button(cid, 0, cb.TIMELINE)),
            ]
        ]
        return Rendered(f"{text}\n\n{summary}", InlineKeyboardMarkup(buttons))

    def decision_text(self, note: Notify) -> str:
        """What a supervisor reads before deciding."""
        view, params = note.view, note.params
        cid = view.case.id or 0
        limit = self.money(self.policy.staff_compensation_limit)
        asked_by = params.get("asked_by") or view.owner.name
        if note.kind in ("approval_request", "goodwill_approval_request"):
            key = "approval.goodwill_request" if "goodwill" in note.kind else "approval.request"
            text = self.t(
                key,
                case=cid,
                staff=asked_by,
                limit=limit,
                value=self.money(params.get("value")),
                type=self.option(str(params.get("type"))),
            )
            if params.get("given"):
                text += "\n" + self.t("approval.given_so_far", given=self.money(params["given"]))
            return text
        lines = [self.t("review.decision_request", case=cid, staff=asked_by)]
        if view.record is not None:
            lines += ["", *self.record_section(view.record)]
        lines += ["", self.t("review.reasons_heading")]
        lines += [
            f"• {self.option(r)}" + (f": {escape(one_line(n, SHOWN_VALUE))}" if n else "")
            for r, n in params.get("reasons", {}).items()
        ]
        if params.get("types"):
            lines.append(
                self.t("review.types", types=", ".join(self.option(t) for t in params["types"]))
            )
        lines += ["", self.t("review.ladder_heading")]
        lines += [
            f"• {self.t(f'step.{step}.title')} — {self.t(f'event.{kind}')}"
            + (f": {escape(one_line(str(what), SHOWN_VALUE))}" if what else "")
            for step, kind, what in params.get("ladder", [])
        ] or [f"• {self.t('review.no_ladder')}"]
        typed = [*params.get("reasons", {}).values(), *(w for *_, w in params.get("ladder", []))]
        if cut_short(typed):
            lines.append(self.t("case.shortened", case=cid))
        return "\n".join(lines)

    def case_summary(self, view: CaseView) -> str:
        """A few lines that tell what a case is about."""
        case = view.case
        lines = [
            self.t("case.header", case=case.id, customer=self.customer_line(view.customer)),
            self.t("summary.owner", staff=view.owner.name),
            self.t("summary.state", state=self.t(f"step.{case.state}.title")),
        ]
        if case.summary:
            lines.append(
                self.t(
                    "summary.complaint",
                    text=case.summary,
                    category=self.option(case.category or "other"),
                    severity=self.option(case.severity or "low"),
                )
            )
        return "\n".join(lines)

    def timeline(self, shown: ShowTimeline) -> list[str]:
        """Draw a case's history, split to fit Telegram's message size."""
        lines = [self.case_summary(shown.view), "", self.t("timeline.heading")]
        for event in shown.events:
            lines.append(
                self.event_line(shown.view.case.kind, event, shown.people, shown.view.customer)
            )
        return split_message("\n".join(lines))

    def timeline_buttons(self, shown: ShowTimeline) -> InlineKeyboardMarkup | None:
        """Offer to send the case's photos and documents again, if it has any."""
        if not any(e.kind == "evidence" for e in shown.events):
            return None
        data = cb.case_button(shown.view.case.id or 0, 0, cb.EVIDENCE)
        return InlineKeyboardMarkup([[button(self.t("button.resend_evidence"), data)]])

    def event_line(
        self,
        case_kind: str,
        event: CaseEvent,
        people: dict[int, Staff],
        customer: Customer | None,
    ) -> str:
        """One timeline entry: when, who, which step, what was recorded."""
        who = people[event.actor_id].name if event.actor_id in people else self.t("timeline.bot")
        head = self.t(
            "timeline.entry",
            when=self.when(event.at),
            who=who,
            step=self.t(f"step.{event.step}.title"),
            what=self.t(event_key(case_kind, event)),
        )
        details = self.record_lines(event.data, customer)
        if event.kind == "evidence":
            details = [
                f"• {self.t('option.' + str(event.data.get('kind')))}: "
                f"{escape(str(event.data.get('name') or event.data.get('file_id') or ''))}"
            ]
        elif "terminated_by" in event.data:
            details = [self.t("timeline.closed_by_termination", case=event.data["terminated_by"])]
        elif "text" in event.data or "reason" in event.data:
            details = [f"• {escape(str(event.data.get('text') or event.data.get('reason')))}"]
        return "\n".join([head, *details])

    def cases(self, shown: ShowCases) -> Rendered:
        """List cases with a button to open each, and filter and page buttons."""
        controls = self.filter_buttons(shown) if shown.filter else []
        if not shown.cases:
            rows = [*controls, [button(self.t("button.new_case"), cb.MENU_NEW)]]
            return Rendered(self.t(f"{shown.listing}.none"), InlineKeyboardMarkup(rows))
        scope = "all" if shown.everyone else "own"
        lines, rows = [self.t(f"{shown.listing}.heading_{scope}", count=len(shown.cases))], []
        if shown.filter and shown.filter.offset:
            lines[0] += " " + self.t("cases.from", first=shown.filter.offset + 1)
        for case, customer in shown.cases:
            name = customer.name if customer else self.t("case.no_customer")
            due = case.follow_up_due_at
            status = (
                self.fmt.moment(due, brief=True)
                if shown.listing == "followups" and due
                else self.t(f"step.{case.state}.short")
            )
            lines.append(f"• {escape(f'#{case.id} · {name} · {status}')}")
            label = fit_label_after(f"#{case.id} · ", name, f" · {status}")
            rows.append([button(label, cb.case_button(case.id or 0, 0, cb.OPEN))])
        return Rendered("\n".join(lines), InlineKeyboardMarkup([*rows, *controls]))

    def filter_buttons(self, shown: ShowCases) -> list[list[InlineKeyboardButton]]:
        """Status and kind filters (the current one ticked), then previous and next."""
        page = shown.filter
        assert page is not None

        def pick(what: str, code: str) -> InlineKeyboardButton:
            chosen = getattr(page, what) == code
            wanted = (
                replace(page, offset=0, status=code)
                if what == "status"
                else replace(page, offset=0, kind=code)
            )
            return button(
                ("✓" if chosen else "") + self.t(f"cases.{what}_{code}"), cb.page_button(wanted)
            )

        filters = [[pick(what, code) for code in codes] for what, codes in FILTER_ROWS]
        paging = []
        if page.offset:
            paging.append(
                button(self.t("button.previous"), cb.page_button(page.page(page.offset - PAGE)))
            )
        if shown.more:
            paging.append(
                button(self.t("button.next"), cb.page_button(page.page(page.offset + PAGE)))
            )
        return [*filters, *([paging] if paging else [])]

    # ------------------------------------------------------------ reminders

    def reminder(
        self,
        kind: str,
        view: CaseView,
        facts: dict[str, Any],
        request: tuple[str, dict[str, Any]] | None = None,
    ) -> Rendered:
        """Draw a case reminder with the buttons that answer it."""
        case, cid = view.case, view.case.id or 0
        compensation = facts.get("compensation")
        unknown = self.t("value.unknown")
        params = {
            "case": cid,
            "customer": view.customer.name if view.customer else unknown,
            "staff": view.owner.name,
            "complaint": one_line(case.summary) if case.summary else unknown,
            "action": facts.get("action") or unknown,
            "compensation": (
                f"{self.option(compensation[0])} {self.money(compensation[1])}"
                if compensation and compensation[0] != "none"
                else self.option("none")
            ),
            "due": self.when(case.follow_up_due_at),
            "promised": self.when(case.promised_fix_at),
        }
        text = self.t(f"reminder.{kind}", **params)
        if kind == "approval_pending" and request is not None:
            asked = self.notify(Notify(view.owner, request[0], view, request[1]))
            return Rendered(fit(f"{text}\n\n{asked.text}".split("\n"), []), asked.markup)
        ver = case.version
        open_row = [
            button(self.t("button.open_case"), cb.case_button(cid, 0, cb.OPEN)),
            button(self.t("button.timeline"), cb.case_button(cid, 0, cb.TIMELINE)),
        ]
        rows: list[list[InlineKeyboardButton]] = []
        if kind in ("follow_up_due", "follow_up_overdue"):
            rows = button_rows(
                [
                    button(
                        self.t(f"button.follow_up.{a}"), cb.case_button(cid, ver, cb.FOLLOW_UP, a)
                    )
                    for a in ("satisfied", "still_unhappy", "later_1h", "later_tomorrow")
                ]
            )
            script = self.script(view)
            if script:
                text += f"\n\n{self.t('case.script_heading')}\n<blockquote>{script}</blockquote>"
        elif kind == "fix_due":
            done, *later = (
                button(self.t(f"button.fix.{a}"), cb.case_button(cid, ver, cb.FIX, a))
                for a in ("done", "in_2h", "tomorrow")
            )
            rows = [[done], *button_rows(later)]
        return Rendered(
            fit(f"{text}\n\n{self.case_summary(view)}".split("\n"), []),
            InlineKeyboardMarkup([*rows, open_row]),
        )

    def problem(self, payload: dict[str, Any]) -> Rendered:
        """Tell supervisors that a reminder could not be delivered, and why, in words."""
        code = str(payload.get("reason", "")).split(":")[0]
        reason = code if self.scripts.has(self.locale, f"reminder.reason.{code}") else "other"
        text = self.t(
            "reminder.delivery_problem",
            who=str(payload.get("who") or self.t("value.unknown")),
            what=self.t(f"reminder.kind.{payload.get('about', 'digest')}"),
            reason=self.t(f"reminder.reason.{reason}"),
        )
        return Rendered(text)

    def digest(self, digest: Any, person: Staff) -> Rendered:
        """Draw one person's daily digest."""
        lines = [self.t("digest.heading", name=person.name)]
        if digest.by_state:
            lines += ["", self.t("digest.open_by_step")]
            lines += [
                f"• {self.t(f'step.{state}.short')}: {count}"
                for state, count in sorted(digest.by_state.items())
            ]
        for key, cases in (
            ("due_today", digest.due_today),
            ("overdue", digest.overdue),
            ("approvals", digest.approvals),
        ):
            if cases:
                lines += ["", self.t(f"digest.{key}", count=len(cases))]
                lines += [
                    f"• #{c.id} · {escape(name)} · {self.when(c.follow_up_due_at)}"
                    if key != "approvals"
                    else f"• #{c.id} · {escape(name)}"
                    for c, name in cases
                ]
        rows = [
            [button(fit_label_after(f"#{c.id} · ", name), cb.case_button(c.id or 0, 0, cb.OPEN))]
            for c, name in [*digest.overdue, *digest.due_today][:8]
        ]
        return Rendered("\n".join(lines), InlineKeyboardMarkup(rows) if rows else None)

    # ------------------------------------------------------------ customers

    def customer_card(self, shown: CustomerCard) -> Rendered:
        """A customer's card with what can be opened for them, or a list to pick from."""
        customer, record = shown.customer, shown.record
        if customer is None or record is None:
            key = "customer.at_risk_heading" if shown.listing == "at_risk" else "customer.pick"
            if not shown.matches:
                return Rendered(self.t(f"customer.{shown.listing}_none"))
            rows = [
                [
                    button(
                        fit_label(f"👤 {c.name}", f" · {self.money(c.yearly_value)}"),
                        cb.customer_button(c.id or 0, "card"),
                    )
                ]
                for c in shown.matches
            ]
            lines = [self.t(key, count=len(shown.matches))]
            if shown.listing == "at_risk":
                at_stake = sum(c.yearly_value or 0 for c in shown.matches)
                lines.append(self.t("customer.at_stake", value=self.money(at_stake)))
            return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))
        cid = customer.id or 0
        facts = [
            self.option(customer.kind),
            *([self.t("customer.since", since=customer.since)] if customer.since else []),
            *([escape(customer.phone)] if customer.phone else []),
            self.t(f"customer.status.{customer.status}"),
        ]
        lines = [
            self.t("customer.heading", name=customer.name),
            " · ".join(facts),
            *self.address_line(customer),
            *self.record_section(record)[1:],
        ]
        at_risk = customer.status == "at_risk"
        if at_risk:
            lines += [
                self.at_risk_line(customer, shown.flagged_by),
                self.t("customer.check_in_hint"),
            ]
        if shown.rung:
            lines.append(self.t("customer.rung", rung=self.t(f"step.{shown.rung}.title")))
        opens = {
            *OPENS_FOR.get(customer.status, ()),
            *(["at_risk"] if customer.status == CustomerStatus.active else []),
            "rename",
        }
        offered = [
            button(self.t(label), cb.customer_button(cid, action))
            for kind, label, action in CARD_ACTIONS
            if kind in opens
        ]
        if at_risk:  # most of all for customers at risk: the check-in comes first
            offered.sort(key=lambda b: b.callback_data != cb.customer_button(cid, "checkin"))
        rows = button_rows(offered)
        rows += [
            [button(f"📂 #{c}", cb.case_button(c, 0, cb.OPEN))] for c in record.open_cases[:6]
        ]
        return Rendered("\n".join(lines), InlineKeyboardMarkup(rows))

    def address_line(self, customer: Customer) -> list[str]:
        """How staff address the customer, or a business's contact person if one is known."""
        if customer.kind == CustomerKind.business and not customer.given_name:
            return []
        key = "customer.contact" if customer.kind == CustomerKind.business else "customer.address"
        return [self.t(key, address=self.address(customer)[0])]

    def at_risk_line(self, customer: Customer, flagged_by: Staff | None) -> str:
        """Since when, why and by whom a customer is flagged at risk."""
        since = customer.at_risk_since  # a time is shown in the reader's time zone
        if customer.at_risk_reason is None:
            return self.t("customer.at_risk_automatic", since=since)
        by = flagged_by.name if flagged_by else self.t("value.unknown")
        return self.t(
            "customer.at_risk_by_hand", since=since, by=by, reason=customer.at_risk_reason
        )

    def staff_overview(self, shown: StaffOverview) -> Rendered:
        """Each person's load and the customers they turned around."""
        lines = [self.t("staff.heading")]
        lines += [
            self.t(
                "staff.row",
                name=p.name,
                role=self.option(p.role),
                open=c["open"],
                overdue=c["overdue"],
                turned=c["turned_around"],
            )
            for p, c in shown.rows
        ]
        return Rendered("\n".join(lines))

    def menu(self, person: Staff) -> Rendered:
        """The start menu."""
        text = self.t("menu.text", name=person.name, role=self.option(person.role))
        rows = [
            [
                button(self.t("button.new_case"), cb.MENU_NEW),
                button(self.t("button.new_review"), cb.MENU_PROBLEM),
            ],
            [
                button(self.t("button.my_cases"), cb.MENU_CASES),
                button(self.t("button.language"), cb.MENU_LANGUAGE),
            ],
        ]
        return Rendered(text, InlineKeyboardMarkup(rows))

    def languages(self) -> Rendered:
        """Ask which language to use."""
        rows = [
            [
                button("Tiếng Việt", cb.language_button("vi")),
                button("English", cb.language_button("en")),
            ]
        ]
        return Rendered(self.t("language.ask"), InlineKeyboardMarkup(rows))

    def comment_prompt(self, text: str) -> Rendered:
        """Offer to add a comment to a decision, or to skip it."""
        rows = [[button(self.t("button.no_comment"), cb.NO_COMMENT)]]
        return Rendered(f"{text}\n{self.t('approval.ask_comment')}", InlineKeyboardMarkup(rows))


def event_key(case_kind: str, event: CaseEvent) -> str:
    """The timeline label of an event; a decision is named by what was decided."""
    subject = PROCEDURES[case_kind].subject(event.step)
    if subject is not None and event.kind in VERDICTS_BY_SUBJECT[subject]:
        return f"event.decision.{event.kind}_{subject}"
    return f"event.{event.kind}"
