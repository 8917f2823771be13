"""Customers' cards, customers to pick from, and the staff's figures."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from html import escape

from bot import callbacks as cb
from bot.render.base import RenderBase, Rendered
from bot.render.keyboards import Keyboard
from bot.render.sizes import SHOWN_VALUE, button, button_rows
from flows.formats import one_line
from flows.model import OPENS_FOR, Case, Customer, CustomerKind, CustomerStatus, Staff
from flows.outcomes import CustomerCard, StaffOverview
from flows.parsing import search_key
from flows.reports import by_currency

#: What a customer's card may offer: (procedure or flag, button, action), as their status allows.
CARD_ACTIONS = (
    ("complaint", "button.new_case", "complaint"),
    ("problem_review", "button.new_review", "review"),
    ("check_in", "button.new_check_in", "checkin"),
    ("exit_interview", "button.new_exit", "exit"),
    ("at_risk", "button.flag_at_risk", "atrisk"),
    ("rename", "button.rename", "rename"),
)


class CustomerScreens(RenderBase):
    """Draw what supervisors see of customers and staff."""

    def customer_card(self, shown: CustomerCard) -> Rendered:
        """A customer's card with what can be opened for them, or a list to pick from."""
        customer, record = shown.customer, shown.record
        if customer is None or record is None:
            key = "customer.at_risk_heading" if shown.listing == "at_risk" else "customer.pick"
            if not shown.matches:
                return Rendered(self.t(f"customer.{shown.listing}_none"))
            labels = self.customer_labels(shown.matches, self._listed_by(shown.listing))
            rows = [
                [button(label, cb.customer_button(c.id or 0, "card"))]
                for c, label in zip(shown.matches, labels, strict=True)
            ]
            count = len(shown.matches)
            lines = [self.t(key, count=f"{count}+" if shown.more else count)]
            if shown.listing == "at_risk":
                lines += self._at_stake(shown, count)
            if shown.more:
                lines.append(self.t(f"customer.more_{shown.listing}", count=count))
            return Rendered("\n".join(lines), Keyboard(rows))
        cid = customer.id or 0
        since = self.said_day(customer.since, customer.since_precision) if customer.since else ""
        facts = [
            self.option(customer.kind),
            *([self.t("customer.since", since=since)] if since else []),
            *([escape(customer.phone)] if customer.phone else []),
            self.t(f"customer.status.{customer.status}"),
        ]
        lines = [
            self.t("customer.heading", name=customer),
            " · ".join(facts),
            *self.address_line(customer),
            *self.record_section(record)[1:],
        ]
        at_risk = customer.status == "at_risk"
        if at_risk:
            lines += [
                *self.at_risk_lines(customer, shown.flagged_by, shown.flagged_in),
                self.t("customer.check_in_hint"),
            ]
        if shown.left_in is not None:
            lines.append(self.left_line(shown.left_in, shown.left_why))
        if shown.rung:
            lines.append(self.t("customer.rung", rung=self.t(f"step.{shown.rung}.title")))
        opens = (
            set()  # their record takes nothing new
            if customer.forgotten
            else {
                *OPENS_FOR.get(customer.status, ()),
                *(["at_risk"] if customer.status == CustomerStatus.active else []),
                "rename",
            }
        )
        offered = [
            button(self.t(label), cb.customer_button(cid, action))
            for kind, label, action in CARD_ACTIONS
            if kind in opens
        ]
        if at_risk:  # most of all for customers at risk: the check-in comes first
            offered.sort(key=lambda b: b.callback_data != cb.customer_button(cid, "checkin"))
        rows = button_rows(offered)
        rows += [
            [button(f"📂 #{c}", cb.case_button(c, 0, cb.OPEN))]
            for c in self.open_cases_read(record)[0][:6]  # a colleague's opens not for staff
        ]
        return Rendered("\n".join(lines), Keyboard(rows))

    def _at_stake(self, shown: CustomerCard, count: int) -> list[str]:
        """What the customers at risk listed are worth a year, currency by currency, and how
        many have no yearly value on record (not counted in it: never "0 VND")."""
        valued = [(c.currency, c.yearly_value) for c in shown.matches if c.yearly_value]
        stake = "customer.at_stake_listed" if shown.more else "customer.at_stake"
        worth = [self.t(stake, value=self.amounts(by_currency(valued)), count=count)]
        unknown = sum(1 for c in shown.matches if c.yearly_value is None)
        return (worth if valued else []) + (
            [self.t("customer.at_stake_unknown", count=unknown)] if unknown else []
        )

    def _listed_by(self, listing: str) -> Callable[[Customer], str]:
        """What follows a customer's name in a list: in search results their phone, which a
        caller can confirm (customers of one name told apart by it); among those at risk,
        what they are worth a year. Nothing where it is not known — never "0 VND"."""

        def worth(c: Customer) -> str:
            return f" · {self.money(c.yearly_value, c.currency)}" if c.yearly_value else ""

        return worth if listing == "at_risk" else (lambda c: f" · {c.phone}" if c.phone else "")

    def address_line(self, customer: Customer) -> list[str]:
        """How staff address the customer, or a business's contact person if one is known."""
        if customer.forgotten or (
            customer.kind == CustomerKind.business and not customer.given_name
        ):
            return []
        key = "customer.contact" if customer.kind == CustomerKind.business else "customer.address"
        said = self.address(customer)[0]  # none in English for "quý khách"
        return [self.t(key, address=said or self.t("customer.no_name"))]

    def at_risk_lines(
        self, customer: Customer, flagged_by: Staff | None, flagged_in: Case | None
    ) -> list[str]:
        """Since when, why and by whom a customer is flagged at risk; flagged from a
        check-in, where the customer stood there, in the reader's words, and what they
        would have us improve, as typed."""
        since = customer.at_risk_since  # a time is shown in the reader's time zone
        by = flagged_by.name if flagged_by else self.t("value.unknown")
        if flagged_in is not None:
            standing = self.t(f"resolution.{flagged_in.resolution}")
            lines = [
                self.t(
                    "customer.at_risk_after_check_in",
                    since=since,
                    by=by,
                    case=flagged_in.id,
                    standing=standing,
                )
            ]
            if customer.at_risk_reason:
                improve = one_line(customer.at_risk_reason, SHOWN_VALUE)
                lines.append(self.t("customer.at_risk_wished", improve=improve))
            return lines
        if customer.at_risk_reason is None:
            return [self.t("customer.at_risk_automatic", since=since)]
        return [
            self.t("customer.at_risk_by_hand", since=since, by=by, reason=customer.at_risk_reason)
        ]

    def left_line(self, interview: Case, reasons: Sequence[str]) -> str:
        """When a customer left us, in which exit interview, and why, in the reader's words."""
        closed = interview.closed_at
        said = {"day": closed.astimezone(self.tz).date() if closed else None, "case": interview.id}
        if not reasons:
            return self.t("customer.left_us", **said)
        return self.t("customer.left_us_why", **said, reasons=self.options(reasons))

    def staff_overview(self, shown: StaffOverview) -> Rendered:
        """Each person's load and the customers they turned around; someone who has left
        is named as such (their open cases' reminders go to the supervisors). Active people
        of one name say when each joined, and an account the reader may remove (one that
        joined after another of its name) has a 🗑 button."""
        names = Counter(search_key(p.name) for p, _ in shown.rows if p.active)
        lines = [self.t("staff.heading")]
        lines += [
            self.t(
                "staff.joined" if p.active and names[search_key(p.name)] > 1 else "staff.row",
                name=p.name,
                role=self.option(p.role) if p.active else self.t("staff.left"),
                day=p.created_at.astimezone(self.tz).date() if p.created_at else None,
                open=c["open"],
                overdue=c["overdue"],
                turned=c["turned_around"],
            )
            for p, c in shown.rows
        ]
        if not shown.removable:
            return Rendered("\n".join(lines))
        lines += ["", self.t("staff.removable")]
        rows = [[button(self._removal(p), cb.staff_button(p.id or 0))] for p in shown.removable]
        return Rendered("\n".join(lines), Keyboard(rows))

    def _removal(self, person: Staff) -> str:
        """The label of the button that removes an account: its name and when it joined."""
        day = person.created_at.astimezone(self.tz).date() if person.created_at else None
        return self.t("staff.remove", name=person.name, day=day)
