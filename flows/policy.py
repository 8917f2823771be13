"""The company's rules that the flows apply, taken from configuration."""

from __future__ import annotations

from dataclasses import dataclass, field

from flows.hours import WorkingHours


@dataclass(frozen=True)
class Partner:
    """Another provider a customer may be pointed to, with its name in each language."""

    code: str  # ASCII, stable: it is what the log records
    names: tuple[tuple[str, str], ...]  # (locale, name)

    def name(self, locale: str) -> str:
        """Return the partner's name in `locale`, else in the first language given."""
        return dict(self.names).get(locale) or self.names[0][1]


@dataclass(frozen=True)
class Policy:
    """Limits and catalogues that shape what staff may record."""

    currency: str = "VND"
    staff_compensation_limit: int = 500_000
    max_amount: int = 10_000_000_000
    compensation_catalogue: tuple[str, ...] = (
        "voucher",
        "discount",
        "free_service",
        "gift",
        "refund",
        "none",
    )
    text_limit: int = 1000
    name_limit: int = 120
    default_timezone: str = "Asia/Ho_Chi_Minh"
    default_hour: int = 9
    #: Working hours between a promised fix and the earliest follow-up booked after it.
    follow_up_after_fix_hours: float = 2
    invite_hours: int = 48
    search_results: int = 8
    list_limit: int = 20
    hours: WorkingHours = field(default_factory=WorkingHours)
    overdue_grace_hours: float = 24
    approval_reminder_hours: float = 4
    #: Working days (open days of `hours`) a person's open case may stand untouched, with
    #: nothing to bring it back, before their digest lists it, and supervisors' (0: never).
    untouched_days: int = 3
    long_standing_years: float = 5
    notice_months: int = 3
    partners: tuple[Partner, ...] = ()
    at_risk_complaints: int = 2
    at_risk_days: int = 90

    @property
    def partner_codes(self) -> tuple[str, ...]:
        """The partners' codes, in the order configured."""
        return tuple(p.code for p in self.partners)

    def words_limit(self, kind: str) -> int:
        """How many characters an answer in words may have: a name's (kept on one line),
        or any other text's."""
        return self.name_limit if kind == "name" else self.text_limit

    def limit_for(self, currency: str | None) -> int:
        """The staff compensation limit on amounts kept in `currency`: the one set, on amounts
        in the currency set; none on a case kept in another (opened before the currency
        changed), so every offer on it goes to a supervisor rather than being weighed
        against a number in another currency."""
        return self.staff_compensation_limit if currency in (None, self.currency) else 0

    def partner(self, code: str) -> Partner | None:
        """Find a partner by code."""
        return next((p for p in self.partners if p.code == code), None)
