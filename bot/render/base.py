"""What every screen is drawn with: one reader's words and values, and what screens share.

The base of every family of screens: wording, values, recorded answers, and what several
families show alike (a customer's record, the words of a script, a case's summary).
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from html import escape
from typing import Any, Self
from zoneinfo import ZoneInfo

from bot import callbacks as cb
from bot.render.keyboards import Button, Markup
from bot.render.sizes import SHOWN_VALUE, button, fit_label
from flows.address import form_of_address, given_name
from flows.formats import Count, Formats, Money, Weekday, one_line
from flows.forms import ASKED_ON, WORDED
from flows.incidents import INCIDENT_FORM
from flows.model import Case, Customer, CustomerKind, CustomerStatus, Precision, Staff, day_said
from flows.outcomes import CaseView, CustomerRecord, Label, Local, Phrase
from flows.parsing import sight_key
from flows.policy import Policy
from flows.privacy import is_forgotten
from flows.procedures import all_fields, procedure_of, step_question
from flows.procedures.complaint import ENDED_EARLY
from flows.procedures.review import OWN_ALTERNATIVE
from flows.reminders import approval_due
from flows.scripts import Scripts, plain

#: How each recorded value is written, by the kind of field that asked for it.
FIELD_KINDS: dict[str, str] = {f.name: f.kind for f in (*all_fields(Policy()), *INCIDENT_FORM)}
#: The questions of the incident form, asked beside a step's own.
INCIDENT_FIELDS = frozenset(f.name for f in INCIDENT_FORM)
#: How many of a customer's incidents their record shows, the latest.
SHOWN_INCIDENTS = 10
#: Questions whose card says again the words of an earlier question, now naming what was
#: chosen there: the card that records move 5 repeats its offer with the option picked or typed.
SAID_AGAIN = {"alternatives": "alternative"}
#: The variant of words that point at the partners' buttons, said where no partner is
#: configured and the card has none ("…_unlisted": move 5's advice).
UNLISTED = "_unlisted"
#: Answers whose value says something by itself (who, a number, typed words), unlike a
#: choice, an amount or a date, which mean what their label says.
SAYING_KINDS = ("customer", *WORDED, "phone")


def variant_of(
    scripts: Scripts, locale: str, key: str, standing: str | None, business: bool
) -> str:
    """The variant of the words `key` said for an offer standing so (`…_given`,
    `…_approved`, `…_promised`), to a business (`…_business`), or both; else `key`."""
    kinds = [f"_{standing}"] if standing else []
    suffixes = [f"{k}_business" for k in kinds] if business else []
    suffixes += kinds + (["_business"] if business else [])
    return next((key + s for s in suffixes if scripts.has(locale, key + s)), key)


class Safe(str):
    """Text that is already HTML: scripts, and values escaped on the way in."""

    __slots__ = ()


@dataclass
class Rendered:
    """A message ready to send."""

    text: str
    markup: Markup | None = None


class RenderBase:
    """Draw in one reader's language and time zone; every family of screens derives from this."""

    def __init__(
        self,
        scripts: Scripts,
        policy: Policy,
        locale: str,
        tz: ZoneInfo,
        reader: Staff | None = None,
    ) -> None:
        self.scripts = scripts
        self.policy = policy
        self.locale = locale
        self.tz = tz
        self.reader = reader  # who reads (and says) what is drawn, if a known person
        self.fmt = Formats(locale, tz, policy.currency)

    # ------------------------------------------------------------ primitives

    def t(self, key: str, /, **params: Any) -> str:
        """Look up wording, escaping every value that came from people."""
        safe = {k: self._param(v) for k, v in params.items()}
        return Safe(self.scripts.get(self.locale, key, **safe))

    def status(self, state: str, resolution: str | None = None) -> str:
        """A case's status word in a list: its step's, or "ended early" for a case ended
        before its last step for another reason than a mistake (cancelled, as a mistake's)."""
        if resolution == ENDED_EARLY:
            return self.t("step.ended_early.short")
        return self.t(f"step.{state}.short")

    def say(self, key: str, /, **params: Any) -> str:
        """Fill words read to a customer, leaving out a sentence whose placeholder is empty."""
        safe = {k: self._param(v) for k, v in params.items()}
        return Safe(self.scripts.say(self.locale, key, **safe))

    def _param(self, value: Any) -> Any:
        if value is None:
            return self.scripts.get(self.locale, "value.unknown")
        if isinstance(value, Label):
            return self.option(value)
        if isinstance(value, Phrase):
            return self.t(value.key, **value.params)
        if isinstance(value, Customer):
            return escape(self.customer_name(value.name, value.id))
        if isinstance(value, Local):
            return self.local(value)
        if isinstance(value, ZoneInfo):
            return self.zone(value)
        if isinstance(value, Money):
            return self.money(value)
        if isinstance(value, Count):
            return self.number(value)
        if isinstance(value, Weekday):
            return self.t(value.key)
        if isinstance(value, datetime):
            return self.when(value)
        if isinstance(value, date):
            return self.day(value)
        if isinstance(value, str) and not isinstance(value, Safe):
            return escape(value)
        return value

    def money(self, amount: int | None, currency: str | None = None) -> str:
        """Format an amount the reader's way, in the currency it was recorded in (else the
        one set): 1.500.000 VND or 1,500,000 VND."""
        return self.fmt.money(amount, currency)

    def limit(self, amount: int) -> str:
        """The staff compensation limit, in the currency it is set in, whatever the case's."""
        return self.money(amount, self.policy.currency)

    def amounts(self, by_currency: Mapping[str | None, int]) -> str:
        """Amounts in several currencies, each in its own: 200.000 VND + 50 USD (none: 0)."""
        given: Counter[str] = Counter()
        for currency, total in by_currency.items():
            given[currency or self.fmt.currency] += total  # none kept: the one set
        written = [self.money(total, currency) for currency, total in sorted(given.items())]
        return " + ".join(written) or self.money(0)

    def in_currency(self, currency: str | None) -> Self:
        """This renderer, drawing amounts in `currency`: a case's, in which every amount on
        it was given or offered (itself when none was recorded, or it is the one set)."""
        if not currency or currency == self.fmt.currency:
            return self
        drawn = copy.copy(self)
        drawn.fmt = replace(self.fmt, currency=currency)
        return drawn

    def number(self, value: int) -> str:
        """Group thousands the reader's way: 1.234.567 (vi) or 1,234,567 (en)."""
        return self.fmt.number(value)

    def when(self, moment: datetime | str | None) -> str:
        """Format a moment in the reader's time zone."""
        return self.t("value.unknown") if moment is None else self.fmt.moment(moment)

    def zone(self, tz: ZoneInfo) -> str:
        """Name a time zone in the reader's words (`Scripts.zone`)."""
        return Safe(escape(self.scripts.zone(self.locale, tz.key)))

    def local(self, value: Local) -> str:
        """Write a moment on its owner's calendar, naming the zone in the reader's words
        where it is not the reader's own: 24/11/2026 22:00 (giờ Berlin)."""
        written, zone = self.fmt.local(value.at, value.zone), self.zone(value.zone)
        return written if zone == self.zone(self.tz) else f"{written} ({zone})"

    def day(self, value: date | str | None) -> str:
        """Format a calendar date."""
        return self.t("value.unknown") if value is None else self.fmt.day(value)

    def said_day(self, value: date | str | None, precision: str | None = None) -> str:
        """Write a day with only as much as was said: the year ("năm 2019", "2019"), the
        month ("tháng 3/2019", "March 2019") or the date — a customer's start wherever it
        is shown. `value` is a date with its `Precision` (None: the day), or a day kept as
        said ("2019", "2019-03", "2019-03-15")."""
        if value is None:
            return self.t("value.unknown")
        if isinstance(value, str):
            value, precision = day_said(value)
        if precision == Precision.year:
            return self.t("value.year_said", year=str(value.year))
        if precision == Precision.month:
            return self.t("value.month_said", month=self.fmt.month(value))
        return self.day(value)

    def option(self, value: str) -> str:
        """Label a choice; a partner by its name; an unknown code as words, never raw."""
        if self.scripts.has(self.locale, f"option.{value}"):
            return self.t(f"option.{value}")
        partner = self.policy.partner(value)
        if partner is not None:
            return Safe(escape(partner.name(self.locale)))
        return Safe(escape(value.replace("_", " ")))

    def button_label(self, value: str) -> str:
        """Label a choice on a button: plain text, as Telegram shows a button's label (a
        partner named "J&T Express" would otherwise read "J&amp;T Express")."""
        return plain(self.option(value))

    def options(self, values: Sequence[str], last: str = "list.and") -> str:
        """Label several choices as a list: "A, b và c" — a label written to stand alone on a
        button goes on in lower case inside the sentence ("Kêu ca chuyện vặt và không
        mang lại lợi nhuận"); a partner's name, an acronym or a quotation keeps its case."""
        labels = [
            self.option(str(v)) if i == 0 else self._within_a_list(str(v))
            for i, v in enumerate(values)
        ]
        return Safe(self.fmt.join(labels, self.t(last)))

    def _within_a_list(self, value: str) -> str:
        label = self.option(value)
        if not self.scripts.has(self.locale, f"option.{value}"):
            return label  # a partner, by its name
        first, rest = label[:1], label[1:2]
        if first.isupper() and not rest.isupper() and not label.startswith("I "):
            return Safe(first.lower() + label[1:])
        return label

    def staff_name(self, name: str, *, left: bool = False) -> str:
        """Name a case's owner to a reader: one who has `left` (deactivated) is said to have,
        as `/staff` says it — their reminders go to the supervisors."""
        return f"{name} ({plain(self.t('staff.left'))})" if left else name

    def owner_name(self, view: CaseView) -> str:
        """Name the case's owner (`staff_name`)."""
        return self.staff_name(view.owner.name, left=not view.owner.active)

    def customer_name(self, name: str | None, customer_id: int | None) -> str:
        """Name a customer for reading, as plain text: as recorded, or — one forgotten at
        their request, whose record keeps "forgotten #123" — in the reader's words; a case's
        customer not chosen yet (`name` None) is said so. Every screen, notice and page that
        names a customer names them through this: on one line, even a name kept with line
        breaks before names were kept on one line."""
        if name is None:
            return plain(self.t("case.no_customer"))
        if is_forgotten(customer_id, name):
            return plain(self.t("customer.forgotten_name", number=customer_id))
        return " ".join(name.split())  # on one line, as names are kept (`clean_name`)

    def customer_labels(
        self, customers: Sequence[Customer], tail: Callable[[Customer], str]
    ) -> list[str]:
        """Label each customer to pick from: their name, with `tail`. Customers whose labels
        would read alike (one name and tail, long names cut alike, or names that only look
        the same: an invisible mark, a Cyrillic "А" for a Latin "A", `sight_key`) are told
        apart by their phone where it is theirs alone, else by their customer number."""

        def label(customer: Customer, tail: str) -> str:
            return fit_label(f"👤 {self.customer_name(customer.name, customer.id)}", tail)

        labels = [label(c, tail(c)) for c in customers]
        seen = [sight_key(shown) for shown in labels]
        alike = [c for c, shown in zip(customers, seen, strict=True) if seen.count(shown) > 1]
        phones = [c.phone for c in alike]

        def told_apart(customer: Customer) -> str:
            if customer.phone and phones.count(customer.phone) == 1:
                return f" · {customer.phone}"
            return f" · {self.t('customer.number_tag', number=customer.id)}"

        return [
            label(c, told_apart(c)) if c in alike else shown
            for c, shown in zip(customers, labels, strict=True)
        ]

    def customer_line(self, customer: Customer | None, lifetime: int | None = None) -> Safe:
        """Name the customer, flagged if at risk of leaving (whoever handles their case then
        knows it), with what they are worth a year if known, and the `lifetime` value (what
        they have been worth so far) where it is known too."""
        if customer is None:
            return Safe(self.t("case.no_customer"))
        line = escape(self.customer_name(customer.name, customer.id))
        if customer.phone:
            line += f" · {escape(customer.phone)}"
        if customer.status == CustomerStatus.at_risk:
            line += f" · {self.t('customer.status.at_risk')}"
        if customer.yearly_value:
            yearly = self.money(customer.yearly_value, customer.currency)
            line += " · " + (
                self.t(
                    "case.lifetime_value",
                    value=yearly,
                    lifetime=self.money(lifetime, customer.currency),
                )
                if lifetime
                else self.t("case.yearly_value", value=yearly)
            )
        return Safe(line)

    def case_header(self, view: CaseView) -> str:
        """A case's first line: its number and its customer, with what they are worth."""
        customer = self.customer_line(view.customer, view.lifetime_value)
        return self.t("case.header", case=view.case.id, customer=customer)

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
            return self._param(customer) if customer else self.t("option.new")
        if isinstance(value, list):
            return self.options(value) if value else self.t("record.none_picked")
        if kind == "money":
            return self.money(int(value))
        if kind == "when":
            return self.when(value)
        if kind == "past_date":
            return self.said_day(str(value))
        if kind == "future_date":
            return self.day(value)
        if kind in ("choice", "approval"):
            return self.option(str(value))
        return escape(str(value))

    def record_lines(
        self, record: dict[str, Any], customer: Customer | None = None, limit: int | None = None
    ) -> list[str]:
        """List what was recorded, one `label: value` line each; long text cut to `limit`.

        A line is never said twice: an answer that repeats the words of one above joins it —
        dropped where that one names the customer (a new customer's name), else its label
        put with that one's (one note typed for two reasons)."""
        names: list[list[str]] = []  # each line's fields: one, or those saying the same
        values: list[str] = []
        said: dict[str, int] = {}  # the words each saying line says, to its index
        for name, value in record.items():
            if not self.scripts.has(self.locale, f"field.{name}.label"):
                continue
            shown = self.value_of(name, value, customer, limit)
            if value is None or FIELD_KINDS.get(name, "text") not in SAYING_KINDS:
                names.append([name])
                values.append(shown)
                continue
            words = " ".join(shown.split()).casefold()
            if words in said:  # said already, above
                first = names[said[words]]
                if FIELD_KINDS.get(first[0]) != "customer":
                    first.append(name)
                continue
            said[words] = len(values)
            names.append([name])
            values.append(shown)
        return [
            f"• {' · '.join(self.t(f'field.{n}.label') for n in line)}: {shown}"
            for line, shown in zip(names, values, strict=True)
        ]

    # ------------------------------------------------------------ shared by the families

    def hand_over_rows(self, case: Case, label: str = "button.hand_over") -> list[list[Button]]:
        """The button that hands an open case over to someone else, for a supervisor who
        reads it (staff never see it); drawn for the case's version, a press after the case
        changed changes nothing."""
        reader = self.reader
        if reader is None or not reader.oversees or procedure_of(case).flow.is_final(case.state):
            return []
        data = cb.case_button(case.id or 0, case.version, cb.HAND_OVER, "o")
        return [[button(self.t(label, case=case.id), data)]]

    def script(self, view: CaseView) -> str | None:
        """The suggested words for this moment: the question's own, else the step's."""
        return self._wording(view, "script")

    def _wording(self, view: CaseView, kind: str) -> str | None:
        """Find `field.<name>.<kind>`, else `step.<state>.<kind>`, and fill it.

        None while the customer is still to be chosen, and a script until they are known
        (a new one's details still being typed): the words are about them. A script is said
        in its most fitting variant (`variant`).
        """
        field = view.field
        if field is not None and field.name in INCIDENT_FIELDS:  # written beside the step:
            field = step_question(view.case, self.policy)  # its question's words still hold
        if field is not None and field.kind == "customer":
            return None
        if kind == "script" and view.customer is None:
            return None
        name = field.name if field else ""
        if kind == "script":
            name = SAID_AGAIN.get(name, name)
        for key in (
            f"field.{name}.{kind}" if name else "",
            f"step.{view.case.state}.{kind}",
        ):
            if key and self.scripts.has(self.locale, key):
                return self.say(self.variant(view, key), **self.script_params(view))
        return None

    def variant(self, view: CaseView, key: str) -> str:
        """The variant of the words `key` that fits where the case stands: for an offer given
        or approved (`…_given`, `…_approved`: `Hooks.offer_standing`), for a business
        (`…_business`), or both (`…_approved_business`); else `key` itself. So an offer is
        promised only once it may be given, and a business hears the company's voice. Words
        that point at the partners' buttons have their own where none is configured
        (`UNLISTED`)."""
        case = view.case
        business = view.customer is not None and view.customer.kind == CustomerKind.business
        standing = procedure_of(case).hooks.offer_standing(case, self.policy)
        if not self.policy.partner_codes and self.scripts.has(self.locale, key + UNLISTED):
            key += UNLISTED  # words about the partners on the card, where none is configured
        return variant_of(self.scripts, self.locale, key, standing, business)

    def script_params(self, view: CaseView) -> dict[str, str]:
        """What scripts may name: the form of address, the people, incidents, the options.

        The staff member named is whoever reads the words to say them: a supervisor given a
        follow-up of someone who left, or working a case of someone else's, makes the call
        in their own name, not the owner's."""
        address, you = self.address(view.customer)
        return {
            "address": address,
            "Address": Safe(address[:1].upper() + address[1:]),
            "you": you,
            "You": Safe(you[:1].upper() + you[1:]),
            "customer": self.customer_name(view.customer.name, view.customer.id)
            if view.customer
            else "",
            "staff": (self.reader or view.owner).name,
            "incidents": self.incidents_summary(view.record),
            "complaints": self.complaints_summary(view.record, view.customer),
            "partners": self.alternatives(view.case.draft),
            "offer": self.offer(view.case),
            "callback": self.callback(view),
        }

    def callback(self, view: CaseView) -> str:
        """When staff promise to call the customer back while a decision waits: when the
        bot reminds the supervisors if they have not decided by then (`approval_reminder_hours`
        after it was asked, moved into working hours), said from today: "15:30 hôm nay",
        "9:00 tomorrow", "9:00 on 7 December 2026"."""
        case = view.case
        asked = case.draft.get(ASKED_ON)
        since = (
            datetime.fromisoformat(asked)
            if asked
            else view.now or case.updated_at or case.opened_at
        )
        delay = timedelta(hours=self.policy.approval_reminder_hours)
        due = approval_due(since, delay, self.policy.hours, self.tz).astimezone(self.tz)
        today = (view.now or since).astimezone(self.tz).date()
        time = f"{due.hour}:{due.minute:02d}"
        days = (due.date() - today).days
        if days in (0, 1):
            return self.t(("callback.today", "callback.tomorrow")[days], time=time)
        return self.t("callback.on", time=time, day=self.fmt.spoken_day(due.date()))

    def offer(self, case: Case) -> str:
        """What the words offer the customer, as recorded ("phiếu quà tặng trị giá 200.000
        VND", "a refund of 200,000 VND"); "…" for staff to fill while nothing is. A type of
        the company's own is named by its label."""
        offered = procedure_of(case).hooks.offered(case)
        if offered is None:
            return Safe("…")
        kind, value = offered
        key = (
            f"offer.{kind}"
            if self.scripts.has(self.locale, f"offer.{kind}")
            else "offer.of_its_own"
        )
        return self.t(key, type=self._within_a_list(kind), value=self.money(value))

    def alternatives(self, draft: dict[str, Any]) -> str:
        """The options move 5 names: the one staff chose (a partner, or their own, typed),
        else every partner configured ("Công ty Sao Mai hoặc Bưu điện Hà Nội"); with none
        configured, "…" for staff to say the one they suggest — an alternative is always
        offered, never left out of the goodbye."""
        chosen, typed = draft.get("alternative"), draft.get("own_alternative")
        if chosen == OWN_ALTERNATIVE and typed:
            return str(typed)
        if chosen in self.policy.partner_codes:
            return self.option(str(chosen))
        if not self.policy.partner_codes:
            return Safe("…")
        return self.options(self.policy.partner_codes, "list.or")

    def address(self, customer: Customer | None) -> tuple[Safe, Safe]:
        """How staff address the customer (chị Mai), and the word for "you" after that (chị)."""
        form = form_of_address(customer) if customer else "unnamed"
        name = given_name(customer) if customer else ""
        return Safe(self.t(f"address.{form}", name=name)), Safe(self.t(f"address.you.{form}"))

    def record_section(
        self, record: CustomerRecord, shown: int = SHOWN_VALUE, valued: bool = True
    ) -> list[str]:
        """The customer's record from the log, shown before a review climbs the ladder;
        each incident's note cut to `shown` characters. What they are worth is left out
        where the case's first line says it already (`valued` False)."""
        lines = [self.t("record.heading")]
        if record.tenure_years is not None:  # never "0 năm", nor "1 years"
            lines.append(
                self.t("record.tenure", years=self.fmt.decimal(record.tenure_years))
                if record.tenure_years >= 1
                else self.t("record.tenure_under_a_year")
            )
        if record.yearly_value and valued:
            yearly = self.money(record.yearly_value, record.currency)
            lifetime = self.money(record.lifetime_value, record.currency)
            lines.append(
                self.t("record.value", yearly=yearly, lifetime=lifetime)
                if record.lifetime_value
                else self.t("record.value_yearly", yearly=yearly)
            )
        lines += [
            self.t(
                "record.complaints",
                complaints=record.complaints,
                reopens=record.reopens,
                compensation=self.amounts(record.compensation),
            ),
            *self.open_cases_lines(record),
            self.t("record.incidents", count=len(record.incidents)),
        ]
        lines += [
            f"• {self.day(i.happened_on)} · {self.option(i.kind)} · "
            f"{escape(one_line(i.note, shown))}"
            for i in record.incidents[-SHOWN_INCIDENTS:]
        ]
        return lines

    def open_cases_read(self, record: CustomerRecord) -> tuple[list[int], list[int]]:
        """The customer's open cases the reader may read (every one for a supervisor, their
        own for staff), and a colleague's, which staff are told by number only."""
        reader = self.reader
        if reader is None or reader.oversees:
            return list(record.open_cases), []
        mine = [c for c in record.open_cases if record.open_owners.get(c) == reader.id]
        return mine, [c for c in record.open_cases if c not in mine]

    def open_cases_lines(self, record: CustomerRecord) -> list[str]:
        """The record's open cases: the reader's own, then colleagues' by number only; on a
        case's card, the customer's other ones."""
        mine, colleagues = self.open_cases_read(record)
        other = "other_" if record.shown_on is not None else ""

        def numbers(cases: list[int]) -> str:
            return ", ".join(f"#{c}" for c in cases)

        lines = [self.t(f"record.{other}open_cases", cases=numbers(mine))] if mine else []
        if colleagues:
            lines.append(self.t("record.open_with_colleagues", cases=numbers(colleagues)))
        return lines or [self.t(f"record.no_{other}open_cases")]

    def incidents_summary(self, record: CustomerRecord | None) -> str:
        """Remind of the documented occasions in the customer's terms: how many, since when.

        What kind each incident was stays on the staff side; empty when there is none, so
        the script leaves the sentence out.
        """
        if record is None or not record.incidents:
            return ""
        first, last = record.incidents[0].happened_on, record.incidents[-1].happened_on
        count = Count(len(record.incidents))
        first_said, last_said = self.fmt.spoken_day(first), self.fmt.spoken_day(last)
        if count == 1:
            return self.t("record.incident_framed", day=first_said)
        if first == last:
            return self.t("record.incidents_framed_one_day", count=count, day=first_said)
        return self.t("record.incidents_framed", count=count, first=first_said, last=last_said)

    def complaints_summary(self, record: CustomerRecord | None, customer: Customer | None) -> str:
        """Remind of the customer's complaints in their own terms: how many times they told
        us they were not happy, and when (days on the reader's calendar, as said aloud).

        What each complaint was about stays in its case; empty when there is none, so the
        script leaves the sentence out. A business hears it in the company's voice.
        """
        if record is None or record.complaints_between is None or not record.complaints:
            return ""
        first, last = (moment.astimezone(self.tz).date() for moment in record.complaints_between)
        if record.complaints == 1:
            said = "complaint_framed"
        else:
            said = "complaints_framed_one_day" if first == last else "complaints_framed"
        business = customer is not None and customer.kind == CustomerKind.business
        return self.t(
            f"record.{said}_business" if business else f"record.{said}",
            count=Count(record.complaints),
            first=self.fmt.spoken_day(first),
            last=self.fmt.spoken_day(last),
            day=self.fmt.spoken_day(last),
            you=self.address(customer)[1],
        )

    def carry_on(self, case_id: int) -> Button:
        """▶ Carry on with this case: back to the case where it stands."""
        return button(self.t("button.carry_on"), cb.case_button(case_id, 0, cb.OPEN, cb.CARRY_ON))

    def case_summary(self, view: CaseView) -> str:
        """A few lines that tell what a case is about."""
        case = view.case
        lines = [
            self.case_header(view),
            self.t("summary.owner", staff=self.owner_name(view)),
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
