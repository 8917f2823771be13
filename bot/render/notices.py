"""Messages that come to people unasked: notifications, requests, reminders, digests."""

from __future__ import annotations

from html import escape
from typing import Any

from bot import callbacks as cb
from bot.render.base import RenderBase, Rendered
from bot.render.keyboards import Button, Keyboard
from bot.render.sizes import (
    MESSAGE_LIMIT,
    SHOWN_VALUE,
    button,
    button_rows,
    cut_short,
    fit,
    fit_label_after,
    shrunk,
)
from flows.decisions import how_it_ended_said
from flows.formats import one_line
from flows.forms import asked_on, asked_version, waiting_version
from flows.handover import AWAY
from flows.model import Staff
from flows.outcomes import CaseView, Label, Notify, PickOwner
from flows.procedures import STATE_ORDER
from flows.reminders import BLOCKED

#: Messages that ask a supervisor to decide, and the verdict buttons each offers.
DECISIONS: dict[str, tuple[str, ...]] = {
    "approval_request": ("y", "n"),
    "goodwill_approval_request": ("y", "n"),
    "decision_request": ("y", "n", "l"),
}
#: Most of a message a request to decide may take: its reminder's lines above it (what it
#: is, how long it waited) must still fit.
DECISION_ROOM = MESSAGE_LIMIT - 500
#: How many of everyone else's cases left unfinished a supervisor's digest lists at most,
#: the longest untouched first ("… and N more" says the rest).
OTHERS_SHOWN = 10
#: Where the rest of a digest's list is seen (a follow-up's: /followups).
DIGEST_MORE = {"approvals": "/approvals", "untouched": "/cases", "others_untouched": "/cases"}


class NoticeScreens(RenderBase):
    """Tell people what happened, what to decide and what is due."""

    def notify(self, note: Notify) -> Rendered:
        """Draw a message for someone other than the actor; amounts in the case's currency."""
        view, case = note.view, note.view.case
        drawn = self.in_currency(case.currency)
        if drawn is not self:
            return drawn.notify(note)
        cid = case.id or 0
        summary = self.case_summary(view)
        if note.kind in DECISIONS:
            text = self.decision_text(note, DECISION_ROOM, valued=False)  # the summary says it
            verdicts = DECISIONS[note.kind]
            buttons = [
                [
                    button(
                        self.t(f"button.verdict_{v}"),
                        cb.case_button(cid, asked_version(case), cb.DECIDE, v),
                    )
                    for v in verdicts
                ],
                [button(self.t("button.timeline"), cb.case_button(cid, 0, cb.TIMELINE))],
            ]
            return Rendered(_above(text, summary), Keyboard(buttons))
        params = dict(note.params)
        left = params.pop("left", ())  # a note, a reason, a file asked for: never added
        key = f"notify.{note.kind}"
        if note.kind == "decision":
            key = f"notify.decision.{params.pop('subject')}.{params.pop('verdict')}"
        text = self.t(key, case=cid, **params)
        text = "\n".join([text, *(self.t(f"left.{what}", case=cid) for what in left)])
        if note.kind in AWAY:  # no longer theirs to open
            return Rendered(_above(text, summary))
        buttons = [self.open_row(cid)]
        return Rendered(_above(text, summary), Keyboard(buttons))

    def request_closed(
        self, cid: int, ended: str, by: str, mine: bool, view: CaseView | None
    ) -> Rendered:
        """A copy of a request that no longer waits: who decided what (`ended`, as
        `approved:compensation`; the reader's own verdict in their words), that nothing
        waits any more (`gone`) or that it waits for another supervisor, the case being the
        reader's now (`taken`), above the case (`view`: none for a reader who has left or
        may no longer see it) and the buttons that open it, and no verdict buttons."""
        said = how_it_ended_said(ended, cid, mine, by)
        text = self.t(said.key, **said.params).rstrip()
        if view is None:
            return Rendered(text)
        buttons = Keyboard([self.open_row(cid)])
        return Rendered(_above(text, self.case_summary(view)), buttons)

    def open_row(self, cid: int) -> list[Button]:
        """The buttons that open a case and show its timeline."""
        return [
            button(self.t("button.open_case"), cb.case_button(cid, 0, cb.OPEN)),
            button(self.t("button.timeline"), cb.case_button(cid, 0, cb.TIMELINE)),
        ]

    def decision_text(self, note: Notify, room: int = MESSAGE_LIMIT, valued: bool = True) -> str:
        """What a supervisor reads before deciding, within `room` characters as Telegram
        counts them: typed entries are cut shorter and shorter until every one keeps its
        line (none dropped), and it says so. What the customer is worth is left out where
        the case's first line, drawn beside it, says it (`valued` False)."""
        return shrunk(lambda shown: self._decision_text(note, shown, valued), str, limit=room)

    def _decision_text(self, note: Notify, shown: int, valued: bool) -> str:
        view, params = note.view, note.params
        cid = view.case.id or 0
        asked_by = (
            self.staff_name(params["asked_by"], left=bool(params.get("asker_left")))
            if params.get("asked_by")
            else self.owner_name(view)
        )
        if note.kind in ("approval_request", "goodwill_approval_request"):
            key = "approval.goodwill_request" if "goodwill" in note.kind else "approval.request"
            text = self.t(
                key,
                case=cid,
                staff=asked_by,
                limit=self.limit(params["limit"]),
                value=self.money(params.get("value")),
                type=self.option(str(params.get("type"))),
            )
            if params["limit_now"] != params["limit"]:  # changed since it was asked
                text += "\n" + self.t("approval.limit_now", limit=self.limit(params["limit_now"]))
            if params.get("given"):
                text += "\n" + self.t("approval.given_so_far", given=self.money(params["given"]))
            return text
        lines = [self.t("review.decision_request", case=cid, staff=asked_by)]
        ladder = params.get("ladder", [])
        typed = [*params.get("reasons", {}).values(), *(str(entry[2]) for entry in ladder)]
        if view.record is not None:
            lines += ["", *self.record_section(view.record, shown, valued)]
        lines += ["", self.t("review.reasons_heading")]
        lines += [
            f"• {self.option(r)}" + (f": {escape(one_line(n, shown))}" if n else "")
            for r, n in params.get("reasons", {}).items()
        ]
        if params.get("types"):
            lines.append(self.t("review.types", types=self.options(params["types"])))
        if params.get("caution"):
            lines.append(self.t(f"review.caution_{params['caution']}"))
        lines += ["", self.t("review.ladder_heading")]
        lines += [
            f"• {self.t(f'step.{step}.title')} — {self._climbed(kind, *by)}"
            + (f": {escape(one_line(str(what), shown))}" if what else "")
            for step, kind, what, *by in ladder
        ] or [f"• {self.t('review.no_ladder')}"]
        if cut_short(typed, shown):
            lines.append(self.t("case.shortened", case=cid))
        return "\n".join(lines)

    def _climbed(self, kind: str, by: str = "") -> str:
        """A step of a review's way to the request: a rung's outcome, or an earlier request
        declined or withdrawn, by whom (`flows.procedures.review.UNDONE`)."""
        if kind in ("declined", "withdraw"):
            return self.t(f"review.ladder_{kind}", by=by or self.t("value.unknown"))
        return self.t(f"event.{kind}")

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
        # What was done is quoted on one line, cut as a card cuts it: a reminder whose fix
        # filled the text limit would otherwise lose its question, its time or its script.
        action = facts.get("action")
        params = {
            "case": cid,
            "customer": view.customer or unknown,
            "staff": self.owner_name(view),
            "complaint": one_line(case.summary) if case.summary else unknown,
            "action": one_line(action, SHOWN_VALUE) if action else unknown,
            "compensation": (
                f"{self.option(compensation[0])} {self.money(compensation[1], case.currency)}"
                if compensation and compensation[0] != "none"
                else self.option("none")
            ),
            "due": self.when(case.follow_up_due_at),
            "promised": self.when(case.promised_fix_at),
        }
        key = f"reminder.{kind}"
        if facts.get("told") is False:  # nobody else oversees: no supervisor was told
            key = f"reminder.{kind}_untold"
        # Who made what it recalls (a promise, a wait): "you" only to them.
        by, by_name = facts.get("by", view.owner.id), facts.get("by_name", view.owner.name)
        theirs = self.reader is None or self.reader.id == by
        handed_over = self.reader is not None and self.reader.id != view.owner.id
        if (
            not theirs
            and handed_over
            and self.scripts.has(self.locale, f"reminder.handed_over.{kind}")
        ):
            key = f"reminder.handed_over.{kind}"  # the owner's promise, now someone else's work
            params["staff"] = by_name  # these say themselves that the owner cannot
        elif not theirs and self.scripts.has(self.locale, f"reminder.made_by.{kind}"):
            key = f"reminder.made_by.{kind}"  # someone else's promise, on the reader's case
            params["staff"] = by_name
        text = self.t(key, **params)
        if "{action}" in self.scripts.get(self.locale, key) and cut_short([action]):
            text += "\n" + self.t("case.shortened", case=cid)
        if kind == "approval_pending" and request is not None:
            asked = self.notify(Notify(view.owner, request[0], view, request[1]))
            return Rendered(_above(text, asked.text), asked.markup)
        open_row = self.open_row(cid)
        rows: list[list[Button]] = []
        if kind in ("follow_up_due", "follow_up_overdue"):
            rows = button_rows(
                [
                    button(
                        self.t(f"button.follow_up.{a}"),
                        cb.case_button(cid, waiting_version(case), cb.FOLLOW_UP, a),
                    )
                    for a in ("satisfied", "still_unhappy", "later_1h", "later_tomorrow")
                ]
            )
            script = self.script(view)
            if script:
                text += f"\n\n{self.t('case.script_heading')}\n<blockquote>{script}</blockquote>"
        elif kind == "fix_due":
            promise = int(facts.get("promise") or 0)  # the promise it is about, not a later one
            done, *later = (
                button(self.t(f"button.fix.{a}"), cb.case_button(cid, promise, cb.FIX, a))
                for a in ("done", "in_2h", "tomorrow")
            )
            rows = [[done], *button_rows(later)]
        return Rendered(
            _above(text, self.case_summary(view)),
            Keyboard([*rows, open_row]),
        )

    def problem(self, payload: dict[str, Any], view: CaseView | None = None) -> Rendered:
        """Tell supervisors that a reminder could not be delivered, and why, in words; with
        the case it was about, and its buttons, so they can act on it."""
        code = str(payload.get("reason", "")).split(":")[0]
        reason = code if self.scripts.has(self.locale, f"reminder.reason.{code}") else "other"
        group = bool(payload.get("group"))  # the supervisors' group, not a person
        if group and reason == BLOCKED:  # a group refuses the bot once it is no longer in it
            reason = "removed"
        text = self.t(
            "reminder.delivery_problem_group" if group else "reminder.delivery_problem",
            who=str(payload.get("who") or self.t("value.unknown")),
            what=self.t(f"reminder.kind.{payload.get('about', 'digest')}"),
            reason=self.t(f"reminder.reason.{reason}"),
        )
        if view is None:
            return Rendered(text)
        open_row = self.open_row(view.case.id or 0)
        summary = self.case_summary(view)
        return Rendered(_above(text, summary), Keyboard([open_row]))

    def namesake_joined(self, facts: dict[str, Any]) -> Rendered:
        """Tell an admin that someone joined under the name of a member: perhaps the same
        person on a second account, which /staff offers to remove."""
        return Rendered(
            self.t(
                "reminder.namesake_joined",
                name=str(facts["name"]),
                role=Label(str(facts["role"])),
                their_role=Label(str(facts["their_role"])),
            )
        )

    def nobody_decides(self, view: CaseView, facts: dict[str, Any]) -> Rendered:
        """Tell whoever waits on a request that nobody may decide it now (no supervisor
        left, or none but those who own the case or asked for it), above the case and the
        buttons that open it."""
        cid = view.case.id or 0
        key = "reminder.nobody_decides_none" if facts.get("none") else "reminder.nobody_decides"
        return Rendered(
            _above(self.t(key, case=cid), self.case_summary(view)), Keyboard([self.open_row(cid)])
        )

    def left_behind(self, facts: dict[str, Any], listed: list[tuple[Any, str | None]]) -> Rendered:
        """Tell a supervisor that someone left with cases still open: each case where it
        stands, with a button that opens it to carry it on."""
        who = str(facts.get("who") or self.t("value.unknown"))
        more = bool(facts.get("more"))
        count = f"{len(listed)}+" if more else str(len(listed))
        lines = [self.t("reminder.owner_left", who=who, count=count)]
        lines += [
            f"• {escape(f'#{c.id} · {self.customer_name(name, c.customer_id)}')}"
            f" · {self.t(f'step.{c.state}.short')}"
            for c, name in listed
        ]
        if more:
            lines.append(self.t("reminder.owner_left_more", who=who))
        rows = [
            [
                button(
                    fit_label_after(f"#{c.id} · ", self.customer_name(name, c.customer_id)),
                    cb.case_button(c.id or 0, 0, cb.OPEN),
                )
            ]
            for c, name in listed
        ]
        rows = [  # each case's way in, and the way to hand it over to someone active
            row
            for opened, (c, _) in zip(rows, listed, strict=True)
            for row in [opened, *self.hand_over_rows(c, "button.hand_over_case")]
        ]
        return Rendered(fit(lines, []), Keyboard(rows))

    def pick_owner(self, shown: PickOwner) -> Rendered:
        """The people a supervisor may hand a case over to, one to a row (themselves first,
        to take it), with the pages before and after; every button names the case's
        version, so a press after the case changed changes nothing."""
        case = shown.view.case
        cid, ver = case.id or 0, case.version
        text = self.t("handover.pick", case=cid, owner=self.owner_name(shown.view))
        rows = [
            [
                button(
                    self.t("button.take_it_myself")
                    if p.id == shown.actor_id
                    else fit_label_after("👤 ", p.name),
                    cb.case_button(cid, ver, cb.HAND_OVER, f"s{p.id}"),
                )
            ]
            for p in shown.people
        ]
        turn = []
        if shown.page > 0:
            data = cb.case_button(cid, ver, cb.HAND_OVER, f"p{shown.page - 1}")
            turn.append(button(self.t("button.previous"), data))
        if shown.more:
            data = cb.case_button(cid, ver, cb.HAND_OVER, f"p{shown.page + 1}")
            turn.append(button(self.t("button.next"), data))
        rows += [turn] if turn else []
        return Rendered(_above(text, self.case_summary(shown.view)), Keyboard(rows))

    def digest(self, digest: Any, person: Staff) -> Rendered:
        """Draw one person's daily digest: every list it has, each with as many of its cases
        as one message holds and a line saying how many more there are, and where."""
        head = [self.t("digest.heading", name=person.name)]
        if digest.by_state:
            head += ["", self.t("digest.open_by_step")]
            head += [
                f"• {self.t(f'step.{state}.short')}: {count}"
                for state, count in sorted(
                    digest.by_state.items(), key=lambda item: STATE_ORDER.get(item[0], 999)
                )
            ]
        lists = [
            (key, cases)
            for key, cases in (
                ("due_today", digest.due_today),
                ("overdue", digest.overdue),
                ("approvals", digest.approvals),
                ("untouched", digest.untouched),
                ("others_untouched", digest.others_untouched),
            )
            if cases
        ]
        others = digest.approvals_elsewhere  # the requests not theirs: not lost, elsewhere
        tail = [self.t("approvals.elsewhere", count=others)] if others else []
        most = self.policy.list_limit
        lines = shrunk(
            lambda shown: [
                *head,
                *(x for k, c in lists for x in self._digest_list(k, c, shown)),
                *tail,
            ],
            "\n".join,
            sizes=(most, 12, 8, 5, 3, 1),
        )
        rows = [
            [
                button(
                    fit_label_after(f"#{c.id} · ", self.customer_name(name, c.customer_id)),
                    cb.case_button(c.id or 0, 0, cb.OPEN),
                )
            ]
            for c, name in [
                *digest.overdue[:most],
                *digest.due_today[:most],
                *digest.untouched[:most],
                *((c, name) for c, name, _ in digest.others_untouched[:OTHERS_SHOWN]),
            ][:8]
        ]
        return Rendered(fit(lines, []), Keyboard(rows) if rows else None)

    def _digest_list(self, key: str, cases: list[tuple[Any, ...]], shown: int) -> list[str]:
        """One list of a digest: its heading with how many (20+ where the list was cut at
        its limit), `shown` of its cases (others' left unfinished: `OTHERS_SHOWN` at most),
        and how many more and where to see them."""
        most = self.policy.list_limit
        shown = min(shown, OTHERS_SHOWN) if key == "others_untouched" else shown
        count = f"{most}+" if len(cases) > most else str(len(cases))
        lines = ["", self.t(f"digest.{key}", count=count)]
        lines += [
            f"• #{c.id} · {escape(self.customer_name(name, c.customer_id))}"
            f" · {self._digest_fact(key, c, *owner)}"
            for c, name, *owner in cases[:shown]
        ]
        if len(cases) > shown:
            left = len(cases) - shown  # at least, where the list was cut at its limit
            more = f"{left}+" if len(cases) > most else str(left)
            where = DIGEST_MORE.get(key, "/followups")
            lines.append(self.t("digest.more", count=more, where=where))
        return lines

    def _digest_fact(self, key: str, case: Any, owner: str | None = None) -> str:
        """What a digest's list says of each case: when its follow-up is due, where its
        request waits and since when, or the step it was left at and its last change (and
        whose it is, on a list of others' cases)."""
        if key == "approvals":
            return self._asked(case)
        if key in ("untouched", "others_untouched"):
            step, when = self.t(f"step.{case.state}.short"), self.when(case.updated_at)
            if owner is not None:
                return escape(self.t("digest.left_by", owner=owner, step=step, when=when))
            return escape(self.t("digest.left_at", step=step, when=when))
        return self.when(case.follow_up_due_at)

    def _asked(self, case: Any) -> str:
        """Where a request waits and since when it was asked, as /approvals says it."""
        step = self.t(f"step.{case.state}.short")
        asked = asked_on(case)
        if asked is None:
            return step
        return escape(self.t("approvals.since", step=step, when=self.fmt.moment(asked, True)))


def _above(text: str, below: str) -> str:
    """A notice above what it is about (a case's summary, a request), within one message:
    what the person is told stays whole, the lines below give way first."""
    return fit([*text.split("\n"), "", *below.split("\n")], [])
