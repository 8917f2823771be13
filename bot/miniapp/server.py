"""The Mini App over HTTP: the page, and a JSON API that checks initData on every request.

The routes are served by the bot's own web server (`bot.webhook.WebhookServer`) under
`MINIAPP_PATH`. Each API request: check the signed initData (401 if missing, forged or too
old) → find the registered, active person and check their role (403) → run one use case of
`flows.case_log.CaseLog` → answer JSON drawn by `bot.miniapp.views`. Reads run on a read-only
snapshot that never takes the write lock; a decision runs in one unit of work, commits once,
then its notices go out through the bot exactly as the chat's. One log line per request,
with the person's Telegram id and no customer data; searches travel in POST bodies, never
in URLs. Nothing is kept between requests: no cookie, no server session.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from telegram import User
from tornado.web import HTTPError, RedirectHandler, RequestHandler, StaticFileHandler

from bot.callbacks import MAX_ID
from bot.config import MINIAPP_PATH
from bot.context import App
from bot.delivery import Delivery
from bot.miniapp import views
from bot.miniapp.init_data import Forbidden, InitData, Unauthorized, from_header, identify, verify
from bot.render import Renderer
from bot.report_commands import figures_for
from bot.runtime import DATABASE_TROUBLE
from bot.services import Services
from flows.address import customer_search
from flows.case_filter import KINDS, STATUSES, CaseFilter
from flows.case_log import SORTS, CaseLog, Cursor, LogQuery
from flows.decisions import VERDICTS
from flows.errors import Refused
from flows.model import Staff
from flows.outcomes import Notify, Outcome, Say
from flows.parsing import InvalidInput, checked_day, shows_anything
from flows.periods import Period, days_between, parse_period
from flows.scripts import plain
from storage.case_log_reader import SqlCaseLogReader
from storage.reading import read_snapshot
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.miniapp")

JSON = dict[str, Any]
STATIC = Path(__file__).with_name("static")
_PAGE = STATIC / "index.html"
MAX_BODY = 8 * 1024  # at least; more where the text limit allows a longer comment
MAX_OFFSET = 1_000_000
ANY = "-"
#: Refusals and the HTTP status each one answers with; any other refusal is a 409.
STATUS_OF = {
    "error.no_such_case": 404,
    "handover.not_yours_now": 404,
    "customer.gone": 404,
    "error.supervisors_only": 403,
    "approval.not_own": 403,
    "miniapp.bad_request": 400,
    "miniapp.not_found": 404,
    "miniapp.wrong_method": 405,
}
#: Sent with every answer: nothing cached, no referrer, scripts and styles from us only,
#: framed only by Telegram's web client.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'self' https://web.telegram.org"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


@dataclass
class Context:
    """What one API request works with: who asks, in which unit of work, in which words."""

    actor: Staff
    uow: SqlUnitOfWork
    log: CaseLog
    r: Renderer
    services: Services
    notices: list[Outcome] = field(default_factory=list)  # sent once the unit has committed


Act = Callable[[Context], Awaitable[JSON]]
#: A handler's method, typed as Tornado types it (each endpoint takes its own arguments).
Method = Callable[..., Awaitable[None] | None]


class MiniApp:
    """What every request of the Mini App shares: the application and its services."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.services: Services = app.bot_data.services

    def opened(self, header: str | None) -> InitData:
        """Check the request's signed initData; raise Unauthorized if it does not hold."""
        max_age = timedelta(seconds=self.services.settings.miniapp.init_data_max_age_s)
        return verify(from_header(header), self.app.bot.token, self.services.clock(), max_age)

    async def words_for(self, opened: InitData) -> Renderer:
        """The words of whoever Telegram signed for: the language they chose in the bot if
        registered (read from a snapshot), else — or with the database away — their app's."""
        person = None
        with contextlib.suppress(*DATABASE_TROUBLE):
            async with self.unit(write=False) as uow:
                person = await uow.staff.by_telegram_id(opened.user_id)
        return self.services.renderer(person, opened.user())

    @asynccontextmanager
    async def unit(self, write: bool) -> AsyncIterator[SqlUnitOfWork]:
        """A unit of work: the bot's own for a change, else one on a read-only snapshot."""
        if write:
            async with SqlUnitOfWork(self.services.sessions) as uow:
                yield uow
            return
        async with read_snapshot(self.services.engine) as connection:
            sessions = async_sessionmaker(bind=connection, expire_on_commit=False)
            async with SqlUnitOfWork(sessions) as uow:
                yield uow

    async def send(self, notices: list[Outcome], renderer: Renderer, ended: list[int]) -> None:
        """Send notices to others through the bot, by the chat's own delivery; then redraw
        the chat copies of the requests that no longer wait (`ended`: their cases)."""
        if notices:
            await Delivery(self.app.bot, self.services, renderer, chat_id=0).show(notices)
        self.app.bot_data.redrawing.start(ended)


def routes(app: App) -> list[tuple[str, type[RequestHandler], JSON]]:
    """The Mini App's routes for the bot's web server: the API, then the page's files."""
    mini = {"mini": MiniApp(app)}
    base = re.escape(MINIAPP_PATH)
    number = "([0-9]+)"
    return [
        (f"{base}/api/me", _Me, mini),
        (f"{base}/api/cases", _Cases, mini),
        (f"{base}/api/cases/{number}", _Case, mini),
        (f"{base}/api/cases/{number}/decision", _Decision, mini),
        (f"{base}/api/customers/{number}", _Customer, mini),
        (f"{base}/api/approvals", _Approvals, mini),
        (f"{base}/api/report", _Report, mini),
        (f"{base}/api/.*", _Unknown, mini),
        (base, RedirectHandler, {"url": f"{MINIAPP_PATH}/"}),
        (f"{base}/(?:index\\.html)?", _Index, mini),
        (f"{base}/(.*)", _Page, {"path": str(STATIC), "default_filename": "index.html"}),
    ]


def _secure(handler: RequestHandler) -> None:
    for name, value in SECURITY_HEADERS.items():
        handler.set_header(name, value)


class _Page(StaticFileHandler):
    """The page and its script and style; they hold no data, so they need no initData."""

    def set_default_headers(self) -> None:
        """The security headers, on every answer (a 404 or a 403 too)."""
        _secure(self)

    def set_extra_headers(self, path: str) -> None:
        """Revalidate on every load: an upgrade shows at once."""
        self.set_header("Cache-Control", "no-cache")


class _Index(RequestHandler):
    """The page itself, with its words in the browser's language: what it says before it
    knows the reader (its title, a network failure) is never a bare key."""

    def initialize(self, mini: MiniApp) -> None:  # type: ignore[override]
        """Keep the services, for their wording."""
        self.mini = mini

    def get(self) -> None:
        """Answer with index.html, its words and language filled in."""
        renderer = self.mini.services.renderer(
            None, _reader(self.request.headers.get("Accept-Language"))
        )
        # Inside a script element, "<" is written as JSON's \u003c: no "</script>" can end it.
        page_words = json.dumps(views.words(renderer), ensure_ascii=False).replace("<", r"\u003c")
        page = (
            _PAGE.read_text(encoding="utf-8")
            .replace('<html lang="vi">', f'<html lang="{renderer.locale}">')
            .replace('id="words">{}<', f'id="words">{page_words}<')
        )
        _secure(self)
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page)


class _Api(RequestHandler):
    """One JSON endpoint: authenticate, authorise, act, answer; subclasses say what."""

    overseers_only = False
    changes = False  # True: a unit of work that commits; else a read-only snapshot

    def initialize(self, mini: MiniApp) -> None:  # type: ignore[override]
        """Keep what the requests share."""
        self.mini = mini

    def set_default_headers(self) -> None:
        """JSON, never cached, with the security headers."""
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        _secure(self)

    async def _not_taken(self, *args: str, **kwargs: str) -> None:
        """A method this address does not take: 405 — after the same checks, so it is
        refused in the reader's words (a subclass defines the methods it takes)."""
        await self.serve(_wrong_method)

    get: Method = _not_taken
    post: Method = _not_taken
    put: Method = _not_taken
    patch: Method = _not_taken
    delete: Method = _not_taken
    options: Method = _not_taken

    def max_body(self) -> int:
        """The largest body taken: room for a comment at the text limit written in the
        longest JSON can make of a character (six bytes: an escape), and the rest."""
        return max(MAX_BODY, self.mini.services.policy.text_limit * 6 + 1024)

    def body(self) -> JSON:
        """The request's JSON object, or a 400 refusal."""
        raw = self.request.body or b"{}"
        try:
            data = json.loads(raw) if len(raw) <= self.max_body() else None
        except (ValueError, RecursionError):  # not JSON, or nested past any real body
            data = None
        if not isinstance(data, dict):
            raise InvalidInput("miniapp.bad_request")
        return data

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """What Tornado answers itself (HEAD, a method it does not know such as TRACE, a
        request it could not read) is JSON too, in the browser's language: the reader is not
        known yet. A method is refused as `serve` refuses one, never as "could not be read"."""
        renderer = self.mini.services.renderer(
            None, _reader(self.request.headers.get("Accept-Language"))
        )
        if status_code == 405:
            answer = _refusal(renderer, "miniapp.wrong_method", "miniapp.wrong_method")
        elif status_code >= 500:
            answer = _refusal(renderer, "failed", "error.try_again")
        else:
            answer = _refusal(renderer, "bad_request", "miniapp.bad_request")
        self.finish(json.dumps(answer, ensure_ascii=False))

    async def serve(self, act: Act) -> None:
        """Answer with what `act` returns, or with the refusal that stopped it. A change is
        kept in hand (`BotData.in_hand`): a stop of the bot waits until it is committed, told
        to whoever it concerns and answered."""
        if self.changes:
            await self.mini.app.bot_data.in_hand.run(self._serve(act))
        else:
            await self._serve(act)

    async def _serve(self, act: Act) -> None:
        started = time.perf_counter()
        services = self.mini.services
        renderer = services.renderer(None, _reader(self.request.headers.get("Accept-Language")))
        user: int | str = "-"
        try:
            opened = self.mini.opened(self.request.headers.get("Authorization"))
            user, person = opened.user_id, opened.user()
            renderer = services.renderer(None, person)
            async with self.mini.unit(self.changes) as uow:
                actor = await identify(uow.staff, opened, overseers_only=self.overseers_only)
                renderer = services.renderer(actor, person)
                reader = SqlCaseLogReader(uow.session)
                case_log = CaseLog(uow, reader, services.policy, services.clock)
                context = Context(actor, uow, case_log, renderer, services)
                status, answer = 200, await act(context)
                if self.changes:
                    await uow.commit()
            await self.mini.send(context.notices, renderer, uow.ended_requests)
        except Unauthorized as err:
            if err.opened is not None:  # signed by Telegram, only too old: in their words
                renderer = await self.mini.words_for(err.opened)
            status, answer = 401, _refusal(renderer, err.reason, "miniapp.error_unauthorized")
        except Forbidden as err:
            if err.person is not None:  # registered: refused in the language they chose
                renderer = services.renderer(err.person, _reader(renderer.locale))
            status, answer = 403, _refusal(renderer, err.reason, f"miniapp.error_{err.reason}")
        except (Refused, InvalidInput) as err:
            status = STATUS_OF.get(err.key, 400 if isinstance(err, InvalidInput) else 409)
            answer = _refusal(renderer, err.key, err.key, **err.params)
        except HTTPError as err:  # Tornado refused a query string it could not read (not UTF-8)
            status = err.status_code if 400 <= err.status_code < 500 else 400
            answer = _refusal(renderer, "bad_request", "miniapp.bad_request")
        except StaleDataError:
            status, answer = 409, _refusal(renderer, "moved_on", "error.moved_on")
        except DATABASE_TROUBLE as err:
            log.warning("miniapp: database trouble: %s", type(err).__name__)
            status, answer = 503, _refusal(renderer, "try_again", "error.try_again")
        except Exception as err:  # answer, and log the failure without the request's data
            name = type(self).__name__
            log.error("miniapp: %s failed: %s", name, type(err).__name__, exc_info=err)
            status, answer = 500, _refusal(renderer, "failed", "error.try_again")
        self.set_status(status)
        self.finish(json.dumps(answer, ensure_ascii=False))
        log.info(
            "miniapp %s %s user=%s status=%s ms=%.1f",
            self.request.method,
            type(self).__name__.strip("_").lower(),
            user,
            status,
            (time.perf_counter() - started) * 1000,
        )


def _reader(accept_language: str | None) -> User | None:
    """Guess the language of someone not yet known, from the browser's preference."""
    code = (accept_language or "")[:2].lower()
    return User(0, "", False, language_code=code) if code else None


def _refusal(renderer: Renderer, error: str, key: str, **params: Any) -> JSON:
    return {"error": error, "message": plain(renderer.t(key, **params)).strip()}


class _Me(_Api):
    """GET: who is reading, the page's words, and what the filters offer."""

    async def get(self) -> None:
        """Answer with the reader and the page's words."""

        async def act(c: Context) -> JSON:
            return views.me(c.r, c.actor, await c.uow.staff.everyone(), c.services.policy)

        await self.serve(act)


class _Cases(_Api):
    """POST: a page of the log (filters and search travel in the body, not in the URL)."""

    async def post(self) -> None:
        """Answer with one page of cases."""

        async def act(c: Context) -> JSON:
            query = log_query(self.body(), c.services.policy.name_limit)
            return views.log_page(c.r, await c.log.page(c.actor, query))

        await self.serve(act)


class _Case(_Api):
    """GET: one case in full."""

    async def get(self, case_id: str) -> None:
        """Answer with the case's timeline, compliance and pending decision."""

        async def act(c: Context) -> JSON:
            return views.case_file(c.r, await c.log.case(c.actor, _id(case_id)))

        await self.serve(act)


class _Decision(_Api):
    """POST: decide on a case, as the chat's Approve/Decline buttons do."""

    overseers_only = True
    changes = True

    async def post(self, case_id: str) -> None:
        """Record the decision (and the comment), then tell the case's owner."""

        async def act(c: Context) -> JSON:
            body = self.body()
            version, verdict = _number(body.get("version")), body.get("verdict")
            comment = body.get("comment")
            if (
                not isinstance(verdict, str)  # before the lookup: a list is no key
                or verdict not in VERDICTS
                or not isinstance(comment, str | None)
            ):
                raise InvalidInput("miniapp.bad_request")
            outcomes = await c.log.decide(c.actor, _id(case_id), version, verdict, comment)
            c.notices += [o for o in outcomes if isinstance(o, Notify)]
            said = next(o for o in outcomes if isinstance(o, Say))  # what the chat tells them
            return {"message": plain(c.r.t(said.key, **said.params))}

        await self.serve(act)


class _Customer(_Api):
    """GET: a customer's card, cases, ladder history and exit interviews."""

    async def get(self, customer_id: str) -> None:
        """Answer with the customer's file."""

        async def act(c: Context) -> JSON:
            found = await c.log.customer(c.actor, _id(customer_id, "customer.gone"))
            return views.customer_file(c.r, found)

        await self.serve(act)


class _Approvals(_Api):
    """GET: what waits for a supervisor's decision."""

    overseers_only = True

    async def get(self) -> None:
        """Answer with the pending requests, oldest first."""

        async def act(c: Context) -> JSON:
            return views.approvals(c.r, await c.log.approvals(c.actor))

        await self.serve(act)


class _Report(_Api):
    """GET ?period=week|month|quarter or ?from=…&to=…: the /report figures with charts."""

    overseers_only = True

    async def get(self) -> None:
        """Answer with the period's figures, computed as /report computes them."""

        async def act(c: Context) -> JSON:
            tz = c.services.tz_for(c.actor)
            first, last = self.get_argument("from", ""), self.get_argument("to", "")
            today = c.services.clock().astimezone(tz).date()
            if first or last:
                period = _two_days(first, last, today)
            else:
                period = parse_period([self.get_argument("period", "")[:16]], today)
            return views.report(c.r, await figures_for(c.services.engine, period, tz))

        await self.serve(act)


class _Unknown(_Api):
    """Any other API path: 404 — after the same checks, so it tells strangers nothing."""

    async def get(self) -> None:
        """Answer 404."""
        await self.serve(_nothing_here)

    async def post(self) -> None:
        """Answer 404."""
        await self.serve(_nothing_here)


async def _nothing_here(c: Context) -> JSON:
    raise Refused("miniapp.not_found")


async def _wrong_method(c: Context) -> JSON:
    raise Refused("miniapp.wrong_method")


def log_query(body: JSON, name_limit: int) -> LogQuery:
    """Read the log's filters from a request body; refuse anything malformed (400)."""
    status, kind = _given(body, "status", ANY), _given(body, "kind", ANY)
    staff, offset = body.get("staff"), _given(body, "offset", 0)
    sort, order = _given(body, "sort", SORTS[0]), _given(body, "order", "desc")
    search = _optional(body, "search") or ""
    if (
        status not in (ANY, *STATUSES)
        or kind not in (ANY, *KINDS)
        or (staff is not None and not _is_id(staff))
        or not (_is_id(offset) and offset <= MAX_OFFSET)
        or sort not in SORTS
        or order not in ("asc", "desc")
    ):
        raise InvalidInput("miniapp.bad_request")
    first, last = _optional(body, "from"), _optional(body, "to")  # "" or null: not given
    start = _day(first) if first else None
    end = _day(last) if last else None
    if start and end and start > end:  # refused as /cases refuses it; any span is listed
        raise InvalidInput("report.reversed")
    return LogQuery(
        filter=CaseFilter(status, kind, staff, None, start, end, offset),
        # a search that shows nothing (spaces, a zero-width space) is no search, as blank is
        search=customer_search(search, name_limit) if shows_anything(search) else None,
        sort=sort,
        descending=order == "desc",
        after=_cursor(body.get("after"), sort),
        shown=_shown(body.get("after"), offset),
    )


def _given(body: JSON, name: str, default: Any) -> Any:
    """A field's value; left out or null, its default (every field of a query is optional,
    and JSON's null says "not given" in each alike)."""
    value = body.get(name)
    return default if value is None else value


def _optional(body: JSON, name: str) -> str | None:
    """A text field that may be left out, null or empty; any other type is a 400 — `false`,
    `0`, `[]` or `{}` is a client's mistake, never taken as "not given"."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise InvalidInput("miniapp.bad_request")
    return value


def _cursor(after: Any, sort: str) -> Cursor | None:
    """Where a page starts: `{"at": <the last row's sort value>, "id": <its number>}` as the
    previous page's `next` gave it (`at` null only for a case never changed), or none."""
    if after is None:
        return None
    if not isinstance(after, dict) or not _is_id(after.get("id")):
        raise InvalidInput("miniapp.bad_request")
    at, case_id = after.get("at"), int(after["id"])
    if at is None and sort == "updated":
        return None, case_id
    if isinstance(at, str) and len(at) <= 40:
        with contextlib.suppress(ValueError, OverflowError):  # not a moment, or off the calendar
            moment = datetime.fromisoformat(at)
            if moment.tzinfo is not None:
                return moment.astimezone(UTC), case_id
    raise InvalidInput("miniapp.bad_request")


def _shown(after: Any, offset: int) -> int:
    """How many rows the pages before this one showed: as the cursor counted them (none
    said: the page is counted from the top), or the offset."""
    if not isinstance(after, dict):
        return offset
    shown = after.get("shown", 0)
    if not _is_id(shown):
        raise InvalidInput("miniapp.bad_request")
    return int(shown)


def _two_days(first: str, last: str, today: date) -> Period:
    """The days between the two picked, as `/report` reads two dates; one left empty (or
    typed past what the date field could read) is asked for, never "could not be read"."""
    if not (first and last):
        raise InvalidInput("miniapp.report_both_days")
    return days_between(_day(first), _day(last), today)


def _is_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def _number(value: Any) -> int:
    if not _is_id(value):
        raise InvalidInput("miniapp.bad_request")
    return int(value)


def _id(text: str, missing: str = "error.no_such_case") -> int:
    """A case or customer number from a path; beyond any id, it names nothing (404)."""
    if len(text) > 10 or int(text) > MAX_ID:
        raise Refused(missing, case=text)
    return int(text)


def _day(text: Any) -> date:
    """A day of the calendar the bot accepts (`flows.parsing.checked_day`), or a 400."""
    if isinstance(text, str) and len(text) == 10:
        with contextlib.suppress(ValueError, InvalidInput):
            day = date.fromisoformat(text)
            return checked_day(day.year, day.month, day.day)
    raise InvalidInput("miniapp.bad_request")
