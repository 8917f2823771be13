"""A case's history and the lists of cases, with their filters and pages."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from html import escape
from typing import Any

from bot import callbacks as cb
from bot.render.base import RenderBase, Rendered
from bot.render.keyboards import Button, Keyboard
from bot.render.sizes import button, fit_label_after, split_message
from flows.case_filter import PAGE
from flows.forms import asked_on
from flows.handover import HANDED_OVER, PARTIES
from flows.model import FILE_KINDS, CaseEvent, CaseKind, Customer, Staff
from flows.outcomes import ShowCases, ShowTimeline
from flows.parsing import shown_file_name
from flows.procedures import PROCEDURES, UNFINISHED, VERDICTS_BY_SUBJECT, procedure_of
from flows.procedures.complaint import ENDED_EARLY
from flows.procedures.exit_interview import COPIED, RESULTS

#: The case-list filters, row by row: statuses, then kinds (codes of flows.case_filter).
FILTER_ROWS = (("status", "ocda"), ("kind", "-c"), ("kind", "rek"))
#: A case closed because its customer's standing changed in another case: the data naming
#: that case (`end_other_cases`), and the line that says why.
CLOSED_BY = {
    "terminated_by": "timeline.closed_by_termination",
    "defected_in": "timeline.closed_by_defection",
}
#: What a side action records in words (a note's text, a cancel's or an escalation's
#: reason): said alone, when nothing else was recorded with them.
WORDS = ("text", "reason")


def event_key(case_kind: str, event: CaseEvent) -> str:
    """The timeline label of an event; a decision is named by what was decided, a file
    attached by its kind (`FILE_KINDS`)."""
    subject = PROCEDURES[case_kind].subject(event.step)
    if subject is not None and event.kind in VERDICTS_BY_SUBJECT[subject]:
        return f"event.decision.{event.kind}_{subject}"
    if event.kind == "cancel" and event.data.get(ENDED_EARLY):
        return f"event.{ENDED_EARLY}"
    if event.kind == "evidence" and event.data.get("kind") in FILE_KINDS:
        return f"event.evidence_{event.data['kind']}"
    return f"event.{event.kind}"


class ListScreens(RenderBase):
    """Draw timelines and case lists."""

    def timeline(self, shown: ShowTimeline) -> list[str]:
        """Draw a case's history, split to fit Telegram's message size; its amounts in the
        case's currency."""
        drawn = self.in_currency(shown.view.case.currency)
        if drawn is not self:
            return drawn.timeline(shown)
        lines = [self.case_summary(shown.view), "", self.t("timeline.heading")]
        for event in shown.events:
            lines.append(
                self.event_line(shown.view.case.kind, event, shown.people, shown.view.customer)
            )
        return split_message("\n".join(lines))

    def timeline_buttons(self, shown: ShowTimeline) -> Keyboard | None:
        """Offer to carry on with the case where it stands, if it is still open, and to send
        its photos and documents again, if it has any."""
        case_id, rows = shown.view.case.id or 0, []
        if not procedure_of(shown.view.case).flow.is_final(shown.view.case.state):
            rows.append([self.carry_on(case_id)])
        if any(e.kind == "evidence" and e.data.get("file_id") for e in shown.events):
            data = cb.case_button(case_id, 0, cb.EVIDENCE)
            rows.append([button(self.t("button.resend_evidence"), data)])
        rows += self.hand_over_rows(shown.view.case)
        return Keyboard(rows) if rows else None

    def event_line(
        self,
        case_kind: str,
        event: CaseEvent,
        people: dict[int, Staff],
        customer: Customer | None,
    ) -> str:
        """One timeline entry: when, who, which step, what was recorded."""
        head = self.t(
            "timeline.entry",
            when=self.when(event.at),
            who=self.actor_name(event, people),
            step=self.t(f"step.{event.step}.title"),
            what=self.t(event_key(case_kind, event)),
        )
        details = self.record_lines(self._own_record(case_kind, event), customer)
        if event.kind == "evidence":
            # a name kept before names were cleaned shows as a new one is kept
            named = shown_file_name(event.data.get("name"))
            kind = str(event.data.get("kind"))
            file = f"{self.option(kind)}: {escape(named)}" if named else None
            details = [f"• {file or self.file_unnamed(kind, event.at)}"]
            if event.data.get("caption"):
                details.append(f"  “{escape(str(event.data['caption']))}”")
        elif event.kind == HANDED_OVER:
            names = {
                party: self.staff_named(event.data, people, *keys)
                for party, keys in PARTIES.items()
            }
            details = [self.t("timeline.handed_over", **names)]
        elif closer := next((k for k in CLOSED_BY if k in event.data), None):
            details = [self.t(CLOSED_BY[closer], case=event.data[closer])]
        elif words := self.words_alone(event.data, customer):
            details = [f"• {escape(words)}"]
        left = event.data.get(UNFINISHED)
        if isinstance(left, dict) and left:  # entered at a step left before it completed
            details += [self.t("timeline.unfinished"), *self.record_lines(left, customer)]
        offer = event.data.get("withdrawn")
        if isinstance(offer, dict):  # going back, or a cancel, withdrew an offer
            type_, value = self.option(str(offer.get("type"))), self.money(offer.get("value"))
            details.append(self.t("timeline.withdrawn", type=type_, value=value))
        return "\n".join([head, *details])

    @staticmethod
    def _own_record(case_kind: str, event: CaseEvent) -> dict[str, Any]:
        """What an event recorded at its step: an exit interview's closing event without
        what it keeps again of the interview's answers (`exit_interview.COPIED`)."""
        if case_kind == CaseKind.exit_interview and event.kind in RESULTS:
            return {k: v for k, v in event.data.items() if k not in COPIED}
        return event.data

    def file_unnamed(self, kind: str, at: datetime | None) -> str:
        """A case's file that has no name (a photo; a document whose name went with a
        forgotten customer), as people know it: its kind and when it was sent — never the
        id Telegram keeps it by."""
        return self.t("evidence.unnamed", kind=self.option(kind), when=self.when(at))

    def actor_name(self, event: CaseEvent, people: dict[int, Staff]) -> str:
        """Who did what an event records: a person by name, else the bot ("automatic")."""
        who = people.get(event.actor_id or 0)
        return who.name if who else self.t("timeline.bot")

    @staticmethod
    def staff_named(
        data: dict[str, Any], people: dict[int, Staff], id_key: str, name_key: str
    ) -> str | None:
        """A person an event's data names: by their id while they are on record (a forgotten
        customer's events lose the names), else by the name it kept."""
        person = people.get(data.get(id_key) or 0)
        return person.name if person else data.get(name_key)

    def words_alone(self, data: dict[str, Any], customer: Customer | None) -> str:
        """The words an event recorded (`WORDS`) when nothing else it recorded is listed;
        else nothing: they are listed with the rest, under their label (no compensation,
        and why; a rung skipped, why, and the caution)."""
        said = next((str(data[k]) for k in WORDS if data.get(k)), "")
        others = {k: v for k, v in data.items() if k not in WORDS}
        return "" if self.record_lines(others, customer) else said

    def cases(self, shown: ShowCases) -> Rendered:
        """List cases with a button to open each, and filter and page buttons."""
        controls = self.filter_buttons(shown) if shown.filter else []
        others = shown.elsewhere  # requests the reader may not decide: not lost, elsewhere
        elsewhere = [self.t("approvals.elsewhere", count=others)] if others else []
        if not shown.cases:
            rows = [*controls, [button(self.t("button.new_case"), cb.MENU_NEW)]]
            said = "\n".join([self.t(f"{shown.listing}.none"), *elsewhere])
            return Rendered(said, Keyboard(rows))
        scope = "all" if shown.everyone else "own"
        # A list without pages (follow-ups, approvals) that had more than it lists says so.
        beyond = shown.more and not shown.filter
        count: str | int = f"{len(shown.cases)}+" if beyond else len(shown.cases)
        if shown.filter and shown.filter.offset:  # a later page: where it starts, by its count
            first = self.number(shown.filter.offset + 1)
            count = self.t("cases.from", count=count, first=first)
        lines, rows = [self.t(f"{shown.listing}.heading_{scope}", count=count)], []
        for case, customer in shown.cases:
            name = (
                self.customer_name(customer.name, customer.id)
                if customer
                else self.t("case.no_customer")
            )
            due = case.follow_up_due_at
            if shown.listing == "followups" and due:
                status = self.fmt.moment(due, brief=True)
            else:
                status = self.status(case.state, case.resolution)
            if case.overdue_since:  # marked in every list, as the digest lists it apart
                status = self.t("followups.overdue", due=status)
            label = fit_label_after(f"#{case.id} · ", name, f" · {status}")  # short: a phone
            asked = asked_on(case) if shown.listing == "approvals" else None
            if asked is not None:  # waiting since it was asked, whatever was added since
                status = self.t("approvals.since", step=status, when=self.fmt.moment(asked, True))
            if case.id in shown.left:  # nobody active is on it: someone must take it on
                said = self.scripts.get(self.locale, "cases.owner_left", name=shown.left[case.id])
                status += f" · {said}"  # plain: the row is escaped as a whole
            lines.append(f"• {escape(f'#{case.id} · {name} · {status}')}")
            rows.append([button(label, cb.case_button(case.id or 0, 0, cb.OPEN))])
        if beyond:
            lines.append(self.t("cases.more_not_listed", count=len(shown.cases)))
        lines += elsewhere
        return Rendered("\n".join(lines), Keyboard([*rows, *controls]))

    def filter_buttons(self, shown: ShowCases) -> list[list[Button]]:
        """Status and kind filters (the current one ticked), then previous and next."""
        page = shown.filter
        assert page is not None

        def pick(what: str, code: str) -> Button:
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
