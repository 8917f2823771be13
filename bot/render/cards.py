"""A case's card: its step, the words for the moment, the question and the buttons."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot import callbacks as cb
from bot.render.base import RenderBase, Rendered
from bot.render.keyboards import Button, Keyboard
from bot.render.sizes import (
    SHOWN_VALUE,
    button,
    button_rows,
    cut_short,
    fit,
    fit_label,
    shrunk,
)
from flows.formats import Count
from flows.forms import WORDED, Field
from flows.lifecycle import CUSTOMER_LIFE
from flows.model import Case, CaseKind
from flows.outcomes import CaseView, Notify
from flows.procedures import procedure_of
from flows.procedures.check_in import heard_wavering
from flows.procedures.complaint import ENDED_EARLY, Step
from flows.procedures.review import Rung, waiting_until

#: What starts the question at the foot of a card (`bot.delivery` folds notices above it).
PROMPT = "➡️ "


class CardScreens(RenderBase):
    """Draw a case at its step, and a step once it is done."""

    def heading(self, case: Case, state: str) -> str:
        """Name the step: "Step 2 of 5 — Fix it at once", or a review's rung."""
        spec = procedure_of(case)
        number = spec.number(state)
        title = self.t(f"step.{state}.title")
        if not number:
            return title
        key = "case.rung_of" if case.kind == CaseKind.problem_review else "case.step_of"
        return f"{self.t(key, k=number, n=spec.steps)} — {title}"

    def handed_to_you(self, note: Notify) -> Rendered:
        """A case handed over to its new owner, at its step, to carry on with at once; to one
        in the middle of something else (`busy`: the case their typing goes to, 0 for a
        question about a customer), said so, with the way to this case first."""
        view, params = note.view, dict(note.params)
        cid, busy = view.case.id or 0, params.pop("busy", None)
        said = self.t(f"notify.{note.kind}", case=cid, **params)
        card = self.card(view)
        if busy is None:
            return Rendered(f"{said}\n\n{card.text}", card.markup)
        said += "\n" + self.t(
            "notify.handed_busy_case" if busy else "notify.handed_busy", current=busy
        )
        rows = [[self.carry_on(cid)], *(card.markup.inline_keyboard if card.markup else ())]
        return Rendered(f"{said}\n\n{card.text}", Keyboard(rows))

    def card(self, view: CaseView) -> Rendered:
        """Draw a case at its current step, with the buttons that step allows.

        Typed entries (the customer's incidents, what was recorded so far) are cut shorter
        and shorter until the card fits one message with every line; only then do lines go.
        Its amounts are in the case's currency (`in_currency`).
        """
        drawn = self.in_currency(view.case.currency)
        if drawn is not self:
            return drawn.card(view)
        lines, prompt = shrunk(
            lambda shown: self._card_lines(view, shown), lambda d: "\n".join([*d[0], *d[1]])
        )
        return Rendered(fit(lines, prompt), self.card_buttons(view))

    def _card_lines(self, view: CaseView, shown: int) -> tuple[list[str], list[str]]:
        """The card's lines, typed values cut to `shown`, and its question."""
        case, field = view.case, view.field
        state = case.state
        lines = [
            self.case_header(view),
            self.heading(case, state),
            f"<i>{self.t(f'step.{state}.purpose')}</i>",
        ]
        if view.record is not None and state == Rung.reassess:
            lines += ["", *self.record_section(view.record, shown, valued=False)]
        advice = self.advice(view)
        if advice:
            lines += ["", self.t("case.advice_heading"), f"<i>{advice}</i>"]
        script = self.script(view)
        if script:
            lines += ["", self.t("case.script_heading"), f"<blockquote>{script}</blockquote>"]
        lines += self._state_details(case, view.now)
        if self.offers_flag(view):
            lines += ["", self.t("case.flag_after_check_in")]
        recorded = self.record_lines(case.draft, view.customer, shown)
        if recorded:
            lines += ["", self.t("case.recorded_so_far"), *recorded]
        if cut_short(case.draft.values(), shown):
            lines.append(self.t("case.shortened", case=case.id))
        now = view.now or case.updated_at or case.opened_at
        waiting = waiting_until(case) is not None
        prompt = ["", PROMPT + self.prompt(field, now, waiting)] if field is not None else []
        return lines, prompt

    def advice(self, view: CaseView) -> str | None:
        """Advice to staff for this moment (not words for the customer), if there is any."""
        return self._wording(view, "advice")

    @staticmethod
    def offers_flag(view: CaseView) -> bool:
        """Whether a check-in that heard a customer undecided or thinking of leaving offers to
        flag them at risk (an active customer: not one flagged already, nor gone)."""
        case, customer = view.case, view.customer
        flaggable = customer is not None and CUSTOMER_LIFE.may(customer, "flag_at_risk")
        return heard_wavering(case) and flaggable

    def _state_details(self, case: Case, now: datetime | None) -> list[str]:
        """What the case waits for, if anything; a date it states that has come by `now` is
        said to have passed (a card opened after it)."""
        if case.state == Step.compensate and case.compensation_total:
            given = self.money(case.compensation_total)
            limit = self.limit(self.policy.staff_compensation_limit)
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
        if case.state == Step.follow_up and case.promised_fix_at:
            fix = case.promised_fix_at
            key = "case.follow_up_after_fix" + _passed(fix, now)
            return ["", self.t(key, fix=self.when(fix))]
        if case.state == Step.awaiting_follow_up:
            due = case.follow_up_due_at
            return ["", self.t("case.follow_up_due" + _passed(due, now), when=self.when(due))]
        if case.state in (Step.closed, Step.cancelled):
            how = ENDED_EARLY if case.resolution == ENDED_EARLY else case.state
            return ["", self.t(f"case.ended.{how}", when=self.when(case.closed_at))]
        until = waiting_until(case)
        if until is not None:
            return ["", self.t("case.waiting_until" + _passed(until, now), when=self.when(until))]
        return []

    def prompt(self, field: Field, now: datetime, waiting: bool = False) -> str:
        """Say what to enter for `field`; date examples are near `now`, on the right side of it.

        While the case waits and sees, a question that has its own words for that
        (`prompt_waiting`) asks for the news rather than for the step afresh."""
        local = now.astimezone(self.tz)
        key = f"field.{field.name}.prompt"
        if waiting and self.scripts.has(self.locale, f"{key}_waiting"):
            key += "_waiting"
        text = self.t(
            key,
            currency=self.policy.currency,
            soon=f"{local + timedelta(days=2):%d/%m}",
            recently=f"{local - timedelta(days=3):%d/%m}",
            later=f"{local + timedelta(days=180):%d/%m/%Y}",
        )
        limit = Count(self.policy.words_limit(field.kind))
        worded = field.kind in WORDED
        if worded and field.optional:  # one aside, not two in a row
            return text + " " + self.t("case.limit_or_skip", limit=limit)
        if field.kind in ("phone", "money", "when", "past_date") and field.optional:
            text += " " + self.t("case.or_skip")
        if worded:
            text += " " + self.t("case.limit", limit=limit)
        return text

    def card_buttons(self, view: CaseView) -> Keyboard | None:
        """Buttons for the current question, then the actions every step has."""
        case, field = view.case, view.field
        cid, ver = case.id or 0, case.version
        rows = self.field_buttons(view, field) if field is not None else []
        if procedure_of(case).flow.is_final(case.state):
            if self.offers_flag(view):
                rows.append(
                    [button(self.t("button.flag_at_risk"), cb.case_button(cid, ver, cb.FLAG))]
                )
            return Keyboard(rows) if rows else None
        for names in procedure_of(case).offered(case):  # a group wraps where labels are long
            rows += button_rows(
                [
                    button(self.t(f"button.{name}"), cb.case_button(cid, ver, cb.ACT, name))
                    for name in names
                ],
                most=3,
            )
        rows += self.hand_over_rows(case)
        return Keyboard(rows)

    def field_buttons(self, view: CaseView, field: Field) -> list[list[Button]]:
        """Buttons that answer the current question."""
        case = view.case
        cid, ver = case.id or 0, case.version

        def choose(label: str, value: str) -> Button:
            return button(label, cb.case_button(cid, ver, cb.CHOOSE, value))

        labels = self.customer_labels(view.matches, lambda c: f" · {c.phone}" if c.phone else "")
        rows = [  # customers found by the name typed, or sharing the phone typed
            [choose(shown, str(c.id))] for c, shown in zip(view.matches, labels, strict=True)
        ]
        if field.kind == "customer":
            rows.append([choose(self.t("button.new_customer"), "new")])
        if field.kind == "multi":  # long reasons: one to a row
            picked = case.draft.get(f"_pick_{field.name}", [])
            rows += [
                [choose(("✅ " if o in picked else "▫️ ") + self.button_label(o), o)]
                for o in field.options
            ]
            rows.append([choose(self.t("button.done"), "done")])
        elif field.kind != "approval":
            rows += button_rows(
                [choose(fit_label(self.button_label(o)), o) for o in field.options]
            )
        if field.optional and field.kind != "multi":
            rows.append([button(self.t("button.skip"), cb.case_button(cid, ver, cb.SKIP))])
        return rows

    def done(
        self,
        view: CaseView,
        step: str,
        record: dict[str, Any],
        *,
        redone: bool = False,
        taken_back: bool = False,
    ) -> str:
        """Draw a finished step compactly, for the card it replaces: done again after the
        case stepped back to it (`redone`), or as it reads once stepped back to (`taken_back`:
        it no longer stands, what it recorded struck through)."""
        heading = self.heading(view.case, step)
        lines = self.record_lines(record, view.customer, SHOWN_VALUE)
        if taken_back:
            head = f"↩ #{view.case.id} · {heading} · <i>{self.t('case.taken_back')}</i>"
            lines = [f"<s>{line}</s>" for line in lines]
        else:
            mark = f" · <i>{self.t('case.redone')}</i>" if redone else ""
            head = f"✅ #{view.case.id} · {heading}{mark}"
        return fit([head, *lines], [])


def _passed(moment: datetime | str | None, now: datetime | None) -> str:
    """The ending of the words for a moment a card states: "_passed" once it has come by
    `now`, else none."""
    if moment is None or now is None:
        return ""
    at = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return "_passed" if at <= now else ""
