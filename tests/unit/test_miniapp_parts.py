"""The Mini App's smaller parts: charts, console development links, the web server beside
the poller."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from bot.app import OFFLINE_TOKEN
from bot.config import Settings
from bot.miniapp import svg_charts as charts
from bot.miniapp.dev import console_links, page_address
from bot.miniapp.init_data import verify
from bot.transport import WithWebServer
from flows.model import CaseKind, Role, Staff
from flows.scripts import LOCALES, Scripts

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def test_a_weekly_chart_is_svg_with_a_bar_per_week_and_series_and_whole_gridlines() -> None:
    svg = charts.grouped_bars(
        "Opened <and> closed",
        ["11-02", "11-09", "11-16"],
        [
            charts.Series("Opened", [38, 22, 1], "opened"),
            charts.Series("Closed", [33, 33, 2], "closed"),
        ],
        [False, False, True],
    )
    tree = ElementTree.fromstring(svg)  # well-formed, words escaped
    assert tree.get("aria-label") == "Opened <and> closed"
    rects = [r for r in tree.iter(f"{SVG}rect") if r.get("height") != "10"]
    assert len(rects) == 6
    assert sum("partial" in (r.get("class") or "") for r in rects) == 2
    texts = tree.iter(f"{SVG}text")
    ticks = [t.text for t in texts if t.get("class") == "axis"]
    assert ticks[:5] == ["0", "10", "20", "30", "40"]
    assert "11-16*" in ticks


def test_bars_and_a_meter_escape_their_words() -> None:
    rows = [charts.Bar("<script>", 3, "3"), charts.Bar("B", 1, "1")]
    bars = charts.horizontal_bars("Why", rows, "reason")
    assert "<script>" not in bars
    assert "&lt;script&gt;" in bars
    ElementTree.fromstring(bars)
    ElementTree.fromstring(charts.meter("Lost", 0, 0, "0 of 0"))


def test_a_console_link_opens_the_page_signed_in_as_that_person() -> None:
    minh = Staff(telegram_id=910_002, name="Minh", role=Role.supervisor)
    address = page_address("0.0.0.0", 8080)
    assert address == "http://127.0.0.1:8080/app/"
    text = console_links(address, [minh], Settings(), OFFLINE_TOKEN, NOW)
    assert "for development only" in text
    assert "60 minutes" in text
    link = text.splitlines()[-1].split(": ", 1)[1]
    signed = parse_qs(urlsplit(link).fragment)["tgWebAppData"][0]
    opened = verify(signed, OFFLINE_TOKEN, NOW, timedelta(hours=1))
    assert (opened.user_id, opened.first_name, opened.language_code) == (910_002, "Minh", "vi")
    assert page_address("::1", 9000) == "http://[::1]:9000/app/"


class Recorder:
    """An intake or server that notes what was asked of it."""

    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log

    async def start(self) -> None:
        self.log.append(f"{self.name} start")

    async def stop(self) -> None:
        self.log.append(f"{self.name} stop")

    async def wait(self) -> None:
        self.log.append(f"{self.name} ended")


async def test_in_polling_mode_the_server_listens_before_updates_flow_and_closes_after() -> None:
    log: list[str] = []
    both = WithWebServer(Recorder("poller", log), Recorder("server", log))  # type: ignore[arg-type]
    await both.start()
    await both.wait()
    await both.stop()
    assert log == ["server start", "poller start", "poller ended", "poller stop", "server stop"]


def test_every_kind_of_case_has_a_name_in_the_log_in_every_language() -> None:
    scripts = Scripts.load()
    for locale in LOCALES:
        for kind in CaseKind:
            assert scripts.has(locale, f"miniapp.kind_{kind}"), (locale, kind)
