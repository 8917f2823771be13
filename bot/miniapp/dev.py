"""Development links for console mode: the page as a registered person opens it from Telegram.

Telegram opens a Mini App at its address with the signed initData after `#`. Console mode has
no Telegram, so it signs initData itself with the bot's token — which in console mode is the
public stand-in token (`bot.app.OFFLINE_TOKEN`). A real bot's server checks signatures with
its real token and so refuses these links: they work on the console's own server only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlencode

from bot.config import MINIAPP_PATH, Settings
from bot.miniapp.init_data import init_data_for
from flows.model import Staff

ANY_ADDRESS = ("", "0.0.0.0", "::")


def page_address(listen: str, port: int) -> str:
    """The page's local address for a browser on this machine."""
    host = "127.0.0.1" if listen in ANY_ADDRESS else listen
    host = f"[{host}]" if ":" in host else host
    return f"http://{host}:{port}{MINIAPP_PATH}/"


def dev_link(address: str, person: Staff, locale: str, token: str, now: datetime) -> str:
    """A link that opens the page signed in as `person`, as Telegram would open it."""
    signed = init_data_for(person.telegram_id, person.name, person.locale or locale, token, now)
    launch = {"tgWebAppData": signed, "tgWebAppVersion": "8.0", "tgWebAppPlatform": "unknown"}
    return f"{address}#{urlencode(launch)}"


def console_links(
    address: str, people: Sequence[Staff], settings: Settings, token: str, now: datetime
) -> str:
    """What console mode prints: one development link per person, and how long they work."""
    locale, minutes = settings.people.default_locale, settings.miniapp.init_data_max_age_s // 60
    lines = [
        f"Case log (Mini App), for development only: open a link in a browser on this machine "
        f"to use the page as that person (each link works for {minutes} minutes; start the "
        "console again for new ones).",
    ]
    lines += [
        f"  {p.name} ({p.role}): {dev_link(address, p, locale, token, now)}" for p in people
    ]
    return "\n".join(lines)
