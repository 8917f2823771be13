"""Settings: one TOML file plus environment overrides, checked at start."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tomllib
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
    model_validator,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from flows.hours import WorkingHours
from flows.parsing import search_key
from flows.policy import Partner, Policy

TOKEN_PATTERN = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as secret_token
HEALTH_PATH = "/healthz"
#: A Telegram user id: positive, and within the 64-bit column that keeps it.
TelegramId = Annotated[int, Field(ge=1, le=2**63 - 1)]
MINIAPP_PATH = "/app"  # where the bot's web server serves the Mini App (page and API)
HTTP_ADDRESS = re.compile(r"https?://[^\s/]+(/\S*)?")
DEFAULT_CONFIG = Path("config.toml")
PARTNER_NAME_LIMIT = 60
PARTNER_CODE = 32  # most characters of a partner's code, within a button's 64 bytes
PARTNER_HINT = (
    'give each partner its name, e.g. partners = [{ vi = "Công ty Sao Mai", '
    'en = "Sao Mai Company" }] or partners = ["Công ty Sao Mai"]'
)


class ConfigError(Exception):
    """Configuration that cannot be used; the message says which key and how to fix it."""


#: The rules as `flows.policy` writes them: the defaults of the settings that set them.
RULES = Policy()


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TelegramSettings(_Section):
    """How the bot reaches Telegram."""

    token: SecretStr = SecretStr("")
    mode: Literal["polling", "webhook"] = "polling"
    base_url: str = "https://api.telegram.org/bot"
    concurrent_updates: int = Field(16, ge=1, le=256)
    calls_per_second: float = Field(30, ge=1)  # Telegram's own ceiling is 30 a second
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(8080, ge=1, le=65535)
    webhook_path: str = ""
    webhook_secret: SecretStr = SecretStr("")
    webhook_max_connections: int = Field(40, ge=1, le=100)

    @property
    def has_token(self) -> bool:
        """Tell whether a token is configured."""
        return bool(self.token.get_secret_value())

    @property
    def bot_id(self) -> int:
        """The bot's own id, the part of the token before the colon (0 without a token)."""
        head = self.token.get_secret_value().partition(":")[0]
        return int(head) if head.isascii() and head.isdigit() else 0

    @field_validator("base_url", "webhook_url")
    @classmethod
    def _http_address(cls, value: str, info: ValidationInfo) -> str:
        if (value or info.field_name == "base_url") and not HTTP_ADDRESS.fullmatch(value):
            raise ValueError("use a full address that starts with https:// (or http://)")
        return value

    @field_validator("webhook_path")
    @classmethod
    def _local_path(cls, value: str) -> str:
        if value and (not value.startswith("/") or value == HEALTH_PATH):
            raise ValueError(f"use a path that starts with / and is not {HEALTH_PATH}")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_alphabet(cls, value: SecretStr) -> SecretStr:
        if value.get_secret_value() and not SECRET_PATTERN.match(value.get_secret_value()):
            raise ValueError("use 1 to 256 characters among A-Z, a-z, 0-9, _ and -")
        return value

    @property
    def base_file_url(self) -> str:
        """Return the file download address that belongs to `base_url`."""
        head, bot = self.base_url.rstrip("/").rsplit("/", 1)
        return f"{head}/file/{bot}" if bot == "bot" else "https://api.telegram.org/file/bot"

    @property
    def webhook_local_path(self) -> str:
        """Return the path the webhook server answers on: `webhook_path` or the URL's path."""
        return self.webhook_path or urlsplit(self.webhook_url).path or "/"

    def webhook_secret_token(self) -> str:
        """Return the secret Telegram sends with every update, derived from the token if unset."""
        secret = self.webhook_secret.get_secret_value()
        if secret:
            return secret
        token = self.token.get_secret_value().encode()
        return hashlib.sha256(b"cs-assistant-webhook:" + token).hexdigest()


#: The environment variables that override a setting, and the setting each overrides.
ENVIRONMENT = {
    "TELEGRAM_BOT_TOKEN": ("telegram", "token"),
    "DATABASE_URL": ("database", "url"),
    "TELEGRAM_WEBHOOK_SECRET": ("telegram", "webhook_secret"),
    "MINIAPP_URL": ("miniapp", "url"),
}

#: The database drivers the bot is built for (`storage/engine.py`).
DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}


class DatabaseSettings(_Section):
    """Where the state of record lives."""

    url: str = "sqlite+aiosqlite:///data/bot.sqlite3"
    migrate_on_start: bool = True

    @field_validator("url")
    @classmethod
    def _supported(cls, value: str) -> str:
        hint = (
            "use sqlite+aiosqlite:///path/to/bot.sqlite3 or "
            "postgresql+asyncpg://user:password@host/database"
        )
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"not a database address; {hint}") from None
        backend, _, driver = url.drivername.partition("+")
        if DRIVERS.get(backend) != driver:
            raise ValueError(f"{url.drivername} is not a driver the bot uses; {hint}")
        return value


class PeopleSettings(_Section):
    """Who may use the bot, and their defaults."""

    admins: list[TelegramId] = Field(default_factory=list)
    default_locale: Literal["vi", "en"] = "vi"
    default_timezone: str = RULES.default_timezone
    invite_hours: int = Field(RULES.invite_hours, ge=1, le=24 * 30)

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as err:
            raise ValueError(
                f"unknown time zone {value!r}; use a name like Asia/Ho_Chi_Minh"
            ) from err
        return value


class ComplaintSettings(_Section):
    """The rules of the complaint procedure."""

    currency: str = Field(RULES.currency, min_length=1, max_length=8)
    staff_compensation_limit: int = Field(RULES.staff_compensation_limit, ge=0)
    compensation_catalogue: list[str] = Field(
        default_factory=lambda: list(RULES.compensation_catalogue),
        min_length=1,
    )
    text_limit: int = Field(RULES.text_limit, ge=50, le=3500)
    default_follow_up_hour: int = Field(RULES.default_hour, ge=0, le=23)
    at_risk_complaints: int = Field(RULES.at_risk_complaints, ge=1, le=1000)
    at_risk_days: int = Field(RULES.at_risk_days, ge=1, le=3660)

    @field_validator("compensation_catalogue")
    @classmethod
    def _identifiers(cls, value: list[str]) -> list[str]:
        for item in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]{0,23}", item):
                raise ValueError(f"{item!r}: use short lower-case names like free_service")
        return value


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The open weekdays of `flows.hours.WorkingHours`, by name.
WORKDAYS: list[Weekday] = [day for n, day in enumerate(WEEKDAYS) if n in RULES.hours.days]


def _time_of_day(value: object, handler: ValidatorFunctionWrapHandler) -> time:
    """Read a time of day, "08:00" or a TOML time, as the wall clock of each person's time
    zone: a number (seconds after midnight UTC to pydantic) or a time with its own zone
    would be another moment, or one that cannot be compared with the others."""
    parsed: time | None = None
    if isinstance(value, str | time):
        with contextlib.suppress(ValidationError):
            parsed = handler(value)
    if parsed is None or parsed.tzinfo is not None:
        raise ValueError('use a time of day like "08:00", without a time zone')
    return parsed


TimeOfDay = Annotated[time, WrapValidator(_time_of_day)]


class ReminderSettings(_Section):
    """When and how reminders, escalations and digests go out."""

    enabled: bool = True
    tick_seconds: float = Field(30, gt=0, le=3600)
    batch_size: int = Field(100, ge=1, le=10_000)
    lease_seconds: int = Field(120, ge=10, le=24 * 3600)
    max_attempts: int = Field(5, ge=1, le=50)
    retry_base_seconds: float = Field(30, gt=0)
    opens: TimeOfDay = RULES.hours.opens
    closes: TimeOfDay = RULES.hours.closes
    days: list[Weekday] = Field(default_factory=lambda: list(WORKDAYS), min_length=1)
    closed_dates: list[date] = Field(default_factory=list, max_length=366)
    overdue_grace_hours: float = Field(RULES.overdue_grace_hours, gt=0, le=24 * 30)
    approval_reminder_hours: float = Field(RULES.approval_reminder_hours, gt=0, le=24 * 30)
    digest: bool = True
    digest_time: TimeOfDay = time(8, 0)
    untouched_days: int = Field(RULES.untouched_days, ge=0, le=365)
    supervisors_chat_id: int = 0

    @model_validator(mode="after")
    def _opens_before_closing(self) -> ReminderSettings:
        if self.opens >= self.closes:
            raise ValueError("reminders.opens must be earlier than reminders.closes")
        return self

    def hours(self) -> WorkingHours:
        """Return the working hours reminders keep to."""
        return WorkingHours(
            self.opens,
            self.closes,
            frozenset(WEEKDAYS.index(d) for d in self.days),
            frozenset(self.closed_dates),
        )


class PartnerName(_Section):
    """A partner provider's name in each language; one of them is enough."""

    vi: str = Field("", max_length=PARTNER_NAME_LIMIT)
    en: str = Field("", max_length=PARTNER_NAME_LIMIT)

    @field_validator("vi", "en", mode="before")
    @classmethod
    def _composed(cls, value: object) -> object:
        """Compose the name (NFC), as typed text is: a file saved by an editor that
        decomposes letters (ế as e + two marks) would count 60 characters too soon, and a
        button cut between a letter and its marks would lose them."""
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _named(self) -> PartnerName:
        if not (self.vi.strip() or self.en.strip()):
            raise ValueError(PARTNER_HINT)
        return self

    def names(self) -> tuple[tuple[str, str], ...]:
        """The names given, (locale, name), Vietnamese first."""
        names = tuple((loc, name.strip()) for loc, name in (("vi", self.vi), ("en", self.en)))
        return tuple((loc, name) for loc, name in names if name)

    def folded(self) -> str:
        """The first name, folded as searches fold it: what tells two partners apart."""
        return search_key(self.names()[0][1])

    def partner(self, code: str = "") -> Partner:
        """Return the partner the flows offer, coded after its name (or `code`)."""
        return Partner(code=code or self.code(), names=self.names())

    def code(self) -> str:
        """The partner's code after its name: ASCII, at most 32 characters (a button's data
        has 64 bytes), so two long names that begin alike share it (see `partner_codes`)."""
        code = re.sub(r"[^a-z0-9]+", "_", self.folded()).strip("_")[:PARTNER_CODE]
        return code or "partner"


def partner_codes(partners: list[PartnerName]) -> list[str]:
    """Each partner's code, distinct: the first keeps the code after its name (what the log
    of an existing setup records); a later one whose code is taken (a long name beginning as
    an earlier one does, or a name in a script with no Latin letters) gets its start and a
    digest of its whole name."""
    codes: list[str] = []
    for p in partners:
        code = p.code()
        if code in codes:
            digest = hashlib.sha256(p.folded().encode()).hexdigest()[:8]
            code = f"{code[: PARTNER_CODE - 9].rstrip('_')}_{digest}"
        codes.append(code)
    return codes


class ReviewSettings(_Section):
    """Problem-customer reviews and polite termination."""

    long_standing_years: float = Field(RULES.long_standing_years, ge=0, le=100)
    notice_months: int = Field(RULES.notice_months, ge=0, le=24)
    partners: list[PartnerName] = Field(default_factory=list)

    @field_validator("partners", mode="before")
    @classmethod
    def _names(cls, value: object) -> object:
        """Take a plain name as the same name in both languages."""
        if not isinstance(value, list):
            raise ValueError(PARTNER_HINT)
        return [{"vi": item, "en": item} if isinstance(item, str) else item for item in value]

    @field_validator("partners")
    @classmethod
    def _distinct(cls, value: list[PartnerName]) -> list[PartnerName]:
        codes = [p.code() for p in value]
        folded = [p.folded() for p in value]
        twice = sorted({c for c, f in zip(codes, folded, strict=True) if folded.count(f) > 1})
        if twice:
            raise ValueError(
                f"two partners have the same name ({', '.join(twice)}); {PARTNER_HINT}"
            )
        return value


class ScriptSettings(_Section):
    """Where the company's own wording is."""

    override: str = ""

    @field_validator("override")
    @classmethod
    def _readable(cls, value: str) -> str:
        if value and not Path(value).is_file():
            raise ValueError(f"no such file: {value}")
        return value


class LoggingSettings(_Section):
    """How much the bot writes to its log."""

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class MiniAppSettings(_Section):
    """The case log as a Telegram Mini App, served by the bot's own web server."""

    enabled: bool = False
    url: str = ""
    init_data_max_age_s: int = Field(3600, ge=60, le=7 * 24 * 3600)

    @field_validator("url")
    @classmethod
    def _https_address(cls, value: str) -> str:
        if value and not (HTTP_ADDRESS.fullmatch(value) and value.startswith("https://")):
            raise ValueError(
                f"use the page's public HTTPS address, e.g. https://bot.example.com{MINIAPP_PATH}/"
                " (Telegram opens Mini Apps over HTTPS only)"
            )
        return value


class Settings(_Section):
    """Everything the bot needs to start."""

    telegram: TelegramSettings = Field(default_factory=lambda: TelegramSettings())
    database: DatabaseSettings = Field(default_factory=lambda: DatabaseSettings())
    people: PeopleSettings = Field(default_factory=lambda: PeopleSettings())
    complaints: ComplaintSettings = Field(default_factory=lambda: ComplaintSettings())
    reminders: ReminderSettings = Field(default_factory=lambda: ReminderSettings())
    reviews: ReviewSettings = Field(default_factory=lambda: ReviewSettings())
    scripts: ScriptSettings = Field(default_factory=lambda: ScriptSettings())
    logging: LoggingSettings = Field(default_factory=lambda: LoggingSettings())
    miniapp: MiniAppSettings = Field(default_factory=lambda: MiniAppSettings())

    def policy(self) -> Policy:
        """Return the rules the flows apply."""
        c = self.complaints
        return Policy(
            currency=c.currency,
            staff_compensation_limit=c.staff_compensation_limit,
            compensation_catalogue=tuple(c.compensation_catalogue),
            text_limit=c.text_limit,
            default_timezone=self.people.default_timezone,
            default_hour=c.default_follow_up_hour,
            invite_hours=self.people.invite_hours,
            hours=self.reminders.hours(),
            overdue_grace_hours=self.reminders.overdue_grace_hours,
            approval_reminder_hours=self.reminders.approval_reminder_hours,
            untouched_days=self.reminders.untouched_days,
            long_standing_years=self.reviews.long_standing_years,
            at_risk_complaints=c.at_risk_complaints,
            at_risk_days=c.at_risk_days,
            notice_months=self.reviews.notice_months,
            partners=tuple(
                p.partner(code)
                for p, code in zip(
                    self.reviews.partners, partner_codes(self.reviews.partners), strict=True
                )
            ),
        )


@contextlib.contextmanager
def toml_file(where: str) -> Iterator[None]:
    """Say in one line what is wrong with the TOML file `where` names, as a ConfigError: not
    TOML, not UTF-8, or not readable."""
    try:
        yield
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{where}: not valid TOML ({err}).") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not UTF-8 text; save it as UTF-8.") from None
    except OSError as err:
        raise ConfigError(f"{where}: cannot be read ({err.strerror}).") from None


def named_config(path: Path | None, environ: Mapping[str, str] | None = None) -> Path | None:
    """The settings file asked for by name (`--config`, else `CS_CONFIG` if set and not
    empty), or None: then `DEFAULT_CONFIG`, if there is one."""
    env = os.environ if environ is None else environ
    return path or (Path(env["CS_CONFIG"]) if env.get("CS_CONFIG") else None)


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the TOML file (if any), apply environment overrides, and validate."""
    env = os.environ if environ is None else environ
    named = named_config(path, env)
    source = named or DEFAULT_CONFIG
    data: dict[str, dict[str, object]] = {}
    if source.exists():
        with toml_file(str(source)):
            data = tomllib.loads(source.read_text(encoding="utf-8"))
    elif named is not None:  # a file asked for by name is never quietly replaced by defaults
        how = "--config" if path is not None else "CS_CONFIG"
        raise ConfigError(
            f"{source}: no such file (named by {how}). Copy config.example.toml there and "
            f"edit it, or correct {how}."
        )
    overridden: dict[str, str] = {}  # "section.key": the variable that set it
    for variable, (section, key) in ENVIRONMENT.items():
        if env.get(variable):
            data.setdefault(section, {})[key] = env[variable]
            overridden[f"{section}.{key}"] = variable
    try:
        settings = Settings.model_validate(data)
    except ValidationError as err:
        where = str(source) if source.exists() else "the environment"
        raise ConfigError(_explain(where, err, overridden)) from None
    check_token(settings.telegram)
    check_webhook(settings.telegram)
    return settings


def check_token(telegram: TelegramSettings) -> None:
    """Refuse a token that cannot be right, explaining where a real one comes from."""
    token = telegram.token.get_secret_value()
    if token and not TOKEN_PATTERN.match(token):
        raise ConfigError(
            "telegram.token (or TELEGRAM_BOT_TOKEN) does not look like a bot token. "
            "A token looks like 123456789:AA... and comes from @BotFather in Telegram "
            "(send /newbot). To try the bot without Telegram, leave the token empty and "
            "run `python main.py console`."
        )


def check_webhook(telegram: TelegramSettings) -> None:
    """Refuse webhook mode without the public address Telegram should post updates to, or
    with one whose path would take the health check's."""
    if telegram.mode == "webhook" and telegram.webhook_local_path == HEALTH_PATH:
        raise ConfigError(
            f"telegram.webhook_url: its path is {HEALTH_PATH}, the health check's; use "
            "another path (e.g. /telegram), or set telegram.webhook_path."
        )
    if telegram.mode == "webhook" and not telegram.webhook_url:
        raise ConfigError(
            'telegram.webhook_url is needed when telegram.mode = "webhook": the public HTTPS '
            "address Telegram posts updates to, e.g. https://bot.example.com/telegram "
            '(see docs/deployment.md). Or use mode = "polling", which needs no address.'
        )


def _explain(source: str, err: ValidationError, overridden: Mapping[str, str]) -> str:
    lines = [f"{source}: the configuration has {err.error_count()} problem(s):"]
    for problem in err.errors():
        key = ".".join(str(p) for p in problem["loc"])
        named = f"{key} (from {overridden[key]})" if key in overridden else key
        if problem["type"] == "extra_forbidden":
            lines.append(f"  - {key}: unknown key; see config.example.toml for the valid ones")
        else:
            got = _shown(key, problem.get("input"))
            lines.append(f"  - {named}: {problem['msg']} (got {got})")
    return "\n".join(lines)


def shown_address(url: str) -> str:
    """A database address as it may be shown: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def _shown(key: str, value: object) -> str:
    """What a refused value is shown as: never a secret, nor a database password."""
    if "token" in key or "secret" in key or key in ("telegram", "database"):
        return "a hidden value"
    if key == "database.url" and isinstance(value, str):
        with contextlib.suppress(ArgumentError):
            return repr(shown_address(value))
    return repr(value)
