"""The page's JSON: the chat's own renderings of the same outcomes, as plain text and data.

Every sentence comes from the scripts through `bot.render.Renderer` (or `ReportView`), in the
reader's language and time zone, exactly as the chat words it; `plain` turns Telegram's HTML
into text, which the page shows as text (never as HTML). The page's own words are the
scripts' `miniapp.*` keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.miniapp import svg_charts as charts
from bot.render import DECISIONS, Renderer, event_key
from bot.render.reports import ReportView
from flows.case_filter import KINDS, STATUSES
from flows.case_log import Approvals, CaseFile, CustomerFile, LogPage, LogRow
from flows.compliance import Compliance
from flows.forms import asked_on, asked_version
from flows.model import Case, CaseEvent, Customer, Staff
from flows.outcomes import Notify
from flows.policy import Policy
from flows.procedures import procedure_of
from flows.reports import Figures
from flows.scripts import plain

JSON = dict[str, Any]
WORDS = "miniapp."
ALL = "-"  # the filter code for "any status" or "any kind"


def words(r: Renderer) -> dict[str, str]:
    """The page's own wording (`miniapp.*`), placeholders left for the page to fill."""
    return {
        key.removeprefix(WORDS): plain(r.scripts.get(r.locale, key))
        for key in r.scripts.keys(r.locale)
        if key.startswith(WORDS)
    }


def _w(r: Renderer, key: str, **params: Any) -> str:
    return plain(r.t(WORDS + key, **params))


def me(r: Renderer, actor: Staff, people: Sequence[Staff], policy: Policy) -> JSON:
    """Who is reading, in which language, what the filters offer them, and how long each
    text box may be: the limits the server holds what is typed to, shown under the boxes."""
    return {
        "name": actor.name,
        "role": plain(r.option(actor.role)),
        "oversees": actor.oversees,
        "locale": r.locale,
        "words": words(r),
        "limits": {"comment": policy.text_limit, "search": policy.name_limit},
        "statuses": [
            {"code": ALL, "label": _w(r, "status_all")},
            *({"code": code, "label": plain(r.t(f"cases.status_{code}"))} for code in STATUSES),
        ],
        "kinds": [
            {"code": code, "label": plain(r.t(f"cases.kind_{code}"))} for code in (ALL, *KINDS)
        ],
        "staff": [  # who left after everyone still here: /staff lists the cases they left
            {"id": p.id, "name": r.staff_name(p.name, left=not p.active)}
            for p in sorted(people, key=lambda p: not p.active)
        ]
        if actor.oversees
        else [],
    }


def kind_label(r: Renderer, kind: str) -> str:
    """Name a case's kind in the singular: a complaint, a problem review, an exit interview."""
    return _w(r, f"kind_{kind}")


def _row(r: Renderer, row: LogRow) -> JSON:
    return {
        "id": row.case_id,
        "kind": kind_label(r, row.kind),
        "state": plain(r.status(row.state, row.resolution)),
        "owner": r.staff_name(row.owner, left=not row.owner_active),
        "customer": plain(r.t("case.no_customer"))  # at intake: as /cases says it
        if row.customer is None
        else r.customer_name(row.customer, row.customer_id),
        "phone": row.phone,
        "opened": r.when(row.opened_at),
        "updated": r.when(row.updated_at),
        "overdue": row.overdue_since is not None,
    }


def log_page(r: Renderer, page: LogPage) -> JSON:
    """A page of the log, which of the cases listed it shows ("Cases 51–100"), whether
    another follows, and where it starts (`next`, to send back as `after`, with the rows
    shown up to it; `offset` for clients that page by offset)."""
    after, shown = page.next, page.query.shown
    return {
        "rows": [_row(r, row) for row in page.rows],
        "range": _w(r, "rows", first=r.number(shown + 1), last=r.number(shown + len(page.rows)))
        if page.rows
        else "",
        "offset": page.query.filter.offset,
        "more": page.more,
        "next": None
        if after is None
        else {
            "at": after[0].isoformat() if after[0] else None,
            "id": after[1],
            "shown": shown + len(page.rows),
        },
    }


def _head_lines(r: Renderer) -> int:
    """How many lines the chat's timeline entry gives the when/who/step/what of an event."""
    return r.t("timeline.entry", when="", who="", step="", what="").count("\n") + 1


def event(
    r: Renderer,
    case_kind: str,
    shown: CaseEvent,
    people: dict[int, Staff],
    customer: Customer | None,
) -> JSON:
    """One timeline entry: when, who, which step, what, and what was recorded (as in chat)."""
    lines = plain(r.event_line(case_kind, shown, people, customer)).split("\n")
    return {
        "case": shown.case_id,
        "seq": shown.seq,
        "when": r.when(shown.at),
        "who": r.actor_name(shown, people),  # "automatic" for the bot's own, as in chat
        "step": plain(r.t(f"step.{shown.step}.title")),
        "what": plain(r.t(event_key(case_kind, shown))),
        "details": [line.removeprefix("• ") for line in lines[_head_lines(r) :]],
    }


def _compliance(r: Renderer, marks: Compliance) -> JSON:
    """The five steps, each said as recorded or not, and the verdict on their order."""
    verdict = (
        _w(r, "compliance_in_order")
        if marks.in_order
        else _w(r, "compliance_not_in_order", recorded=marks.recorded)
    )
    return {
        "in_order": marks.in_order,
        "recorded": marks.recorded,
        "said": verdict,
        "steps": [
            {
                "title": (title := plain(r.t(f"step.{mark.step}.title"))),
                "said": title if mark.recorded else f"{title} — {_w(r, 'compliance_missing')}",
                "done": mark.recorded,
                "when": r.when(mark.at) if mark.at else None,
            }
            for mark in marks.steps
        ],
    }


def request(r: Renderer, note: Notify, may_decide: bool) -> JSON:
    """A decision a case waits for: the chat's request text and its verdict buttons, or,
    when the reader may not decide it, the line saying who does: another supervisor (the
    reader's own case or request), or, to staff, a supervisor, whose decision the chat tells
    them (amounts in the case's currency)."""
    case = note.view.case
    r = r.in_currency(case.currency)
    customer = (_customer_ref(r, note.view.customer) or {}).get("name")
    kind, owner = kind_label(r, case.kind), r.owner_name(note.view)
    since = r.when(asked_on(case))  # when it was asked, not when last touched
    return {
        "case": case.id,
        "version": asked_version(case),  # the request's, as the chat's buttons carry it
        "kind": kind,
        "owner": owner,
        "customer": customer,
        "since": since,
        "heading": " · ".join((f"#{case.id}", kind, customer or "—", owner, since)),
        "text": plain(r.decision_text(note)),
        "verdicts": [
            {"code": v, "label": plain(r.t(f"button.verdict_{v}"))} for v in DECISIONS[note.kind]
        ],
        "may_decide": may_decide,
        "not_yours_said": None
        if may_decide
        else _w(r, "own_case" if note.recipient.oversees else "for_a_supervisor"),
    }


def approvals(r: Renderer, found: Approvals) -> JSON:
    """What waits for the reader's decision (each listed is theirs to decide), whether more
    waits than listed, and the chat's line on how many wait for another supervisor."""
    others, listed = found.elsewhere, len(found.requests)
    return {
        "requests": [request(r, note, True) for note in found.requests],
        "more": found.more,
        "more_said": _w(r, "more_approvals", count=listed) if found.more else None,
        "elsewhere": others,
        "elsewhere_said": plain(r.t("approvals.elsewhere", count=others)) if others else None,
    }


def case_file(r: Renderer, shown: CaseFile) -> JSON:
    """One case in full: summary, the five steps, the pending decision, timeline, evidence;
    its amounts in the case's currency."""
    timeline = shown.timeline
    r = r.in_currency(timeline.view.case.currency)
    view, events = timeline.view, timeline.events
    case, customer = view.case, view.customer
    entries = [event(r, case.kind, e, timeline.people, customer) for e in events]
    evidence = [
        {
            "when": entry["when"],
            "who": entry["who"],
            "what": " · ".join(line.strip() for line in entry["details"]),  # caption indented
        }
        for entry, e in zip(entries, events, strict=True)
        if e.kind == "evidence"
    ]
    return {
        "id": case.id,
        "version": case.version,
        "kind": kind_label(r, case.kind),
        "state": plain(r.t(f"step.{case.state}.title")),
        "ended": procedure_of(case).flow.is_final(case.state),
        "owner": r.owner_name(view),
        "customer": _customer_ref(r, customer),
        "summary": plain(r.case_summary(view)).split("\n"),
        "compliance": _compliance(r, shown.compliance) if shown.compliance else None,
        "request": request(r, shown.request, shown.may_decide) if shown.request else None,
        "events": entries,
        "evidence": evidence,
        "evidence_said": (
            _w(r, "evidence_hint", case=case.id) if evidence else _w(r, "evidence_none")
        ),
    }


def _customer_ref(r: Renderer, customer: Customer | None) -> JSON | None:
    if customer is None:
        return None
    name = r.customer_name(customer.name, customer.id)
    link = f"👤 {_w(r, 'customer_link')}: {name}"
    return {"id": customer.id, "name": name, "phone": customer.phone, "link": link}


def _case_line(r: Renderer, case: Case) -> JSON:
    return {
        "id": case.id,
        "kind": kind_label(r, case.kind),
        "state": plain(r.status(case.state, case.resolution)),
        "opened": r.when(case.opened_at),
        "closed": r.when(case.closed_at) if case.closed_at else None,
    }


def customer_file(r: Renderer, shown: CustomerFile) -> JSON:
    """A customer's card as the chat shows it, their cases (the newest, and a line saying so
    when there are more), ladder and exit interviews."""
    card = shown.card
    assert card.customer is not None
    return {
        **(_customer_ref(r, card.customer) or {}),
        "at_risk": card.customer.status == "at_risk",
        "card": plain(r.customer_card(card).text).split("\n")[1:],  # the name is the title
        "cases": [_case_line(r, case) for case in shown.cases],
        "cases_more_said": _w(r, "customer_cases_more", count=r.number(len(shown.cases)))
        if shown.more
        else None,
        "history": [event(r, kind, e, shown.people, card.customer) for kind, e in shown.history],
    }


def report(r: Renderer, figures: Figures) -> JSON:
    """The /report figures of a period as tiles, and its charts as SVG."""
    view, f = ReportView(r), figures
    none = plain(r.t("report.no_share"))
    resolution = none
    if f.median_minutes is not None and f.p90_minutes is not None:
        resolution = f"{view.duration(f.median_minutes)} · {view.duration(f.p90_minutes)}"
    rate = f.defection_rate.ratio
    tiles = {
        "tile_opened": view.number(f.opened),
        "tile_closed": view.number(f.closed),
        "tile_resolution": resolution,
        "tile_satisfied": plain(view.share(f.satisfied)),
        "tile_reopened": plain(view.share(f.reopened)),
        "tile_compliance": plain(view.share(f.compliant)),
        "tile_overdue": f"{view.number(f.overdue_in_period)} · {view.number(f.overdue_now)}",
        "tile_compensation": r.amounts(f.compensation_total),
        "tile_reviews": " · ".join(view.number(n) for n in f.reviews.values()),
        "tile_exits": " · ".join(view.number(n) for n in f.exits.values()),
        "tile_value_lost": r.amounts(f.value_lost),
        "tile_defection_rate": view.percent(rate) if rate is not None else none,
    }
    period = f.period
    return {
        "title": plain(
            r.t(
                "report.title",
                first=r.day(period.first),
                last=r.day(period.last),
                days=period.days,
            )
        ),
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "tiles": [{"label": _w(r, key), "value": value} for key, value in tiles.items()],
        "charts": _charts(r, view, f),
    }


def _compensation_charts(r: Renderer, view: ReportView, f: Figures) -> list[JSON]:
    """What was given by type: one chart a currency, so no bar is set against an amount in
    another (the title names the currency once there are several); none given, one empty."""
    currencies = list(dict.fromkeys(c.currency for c in f.compensation)) or [None]
    charted = []
    for currency in currencies:
        title = _w(r, "chart_compensation")
        if len(currencies) > 1:
            shown = currency or r.fmt.currency
            title = _w(r, "chart_compensation_in", currency=shown)
        bars = [
            charts.Bar(
                plain(view.given_as(c.type)),
                c.total,
                f"{r.money(c.total, c.currency)} · {view.number(c.count)}",
            )
            for c in f.compensation
            if c.currency == currency
        ]
        svg = charts.horizontal_bars(title, bars, "spent") if bars else None
        charted.append({"title": title, "svg": svg})
    return charted


def _charts(r: Renderer, view: ReportView, f: Figures) -> list[JSON]:
    words = view.chart_words(f.period)
    weekly = charts.grouped_bars(
        words.title,
        view.week_labels([w.start for w in f.weeks]),
        [
            charts.Series(words.opened, [w.opened for w in f.weeks], "opened"),
            charts.Series(words.closed, [w.closed for w in f.weeks], "closed"),
        ],
        [w.partial for w in f.weeks],
    )
    reasons = [
        charts.Bar(plain(view.label(f"option.{reason}", reason)), count, view.number(count))
        for reason, count in f.reasons
    ]
    lost = _w(
        r,
        "chart_lost_caption",
        lost=view.number(f.lost_share.part),
        active=view.number(f.lost_share.whole),
        value=r.amounts(f.value_lost),
    )
    return [
        {"title": words.title, "svg": weekly, "note": words.partial_note},
        *_compensation_charts(r, view, f),
        {
            "title": _w(r, "chart_reasons"),
            "svg": charts.horizontal_bars(_w(r, "chart_reasons"), reasons, "reason")
            if reasons
            else None,
        },
        {
            "title": _w(r, "chart_lost"),
            "svg": charts.meter(_w(r, "chart_lost"), f.lost_share.part, f.lost_share.whole, lost),
        },
    ]
