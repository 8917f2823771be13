"""Turn what staff type into checked values, or say politely what is wrong."""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from flows.formats import Count, Money, Weekday, one_line, quoted
from flows.hours import add_months
from flows.model import Precision, as_said


class InvalidInput(ValueError):
    """Input that cannot be accepted; `key` names the message to show, `params` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


_CONTROL = {"Cc", "Cf"}
_KEEP = {"\n", "\t", "\u200d", "\u200c"}  # newlines, tabs and emoji/script joiners stay
#: Letters that show as nothing: the Hangul fillers and the Braille blank.
_BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
#: Kinds of character that show nothing on their own: spaces, joiners, lone marks.
_SHOWS_NOTHING = {"Cc", "Cf", "Mn", "Me", "Zs", "Zl", "Zp"}


def _visible(ch: str) -> bool:
    return ch not in _BLANK_LETTERS and unicodedata.category(ch) not in _SHOWS_NOTHING


def shows_anything(raw: str) -> bool:
    """Tell whether a text shows anything at all (not only spaces, joiners or fillers)."""
    return any(map(_visible, raw))


def _without_controls(raw: str) -> str:
    """NFC, without control and format characters (bidi overrides, zero-width spaces)."""
    text = unicodedata.normalize("NFC", raw)
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _CONTROL)


def clean_text(raw: str, limit: int) -> str:
    """Strip control characters and outer blanks; refuse overlong text, and text that shows
    nothing (only spaces, joiners, fillers)."""
    text = _without_controls(raw).strip().strip(_BLANK_LETTERS).strip()
    if not any(map(_visible, text)):
        raise InvalidInput("error.empty")
    if len(text) > limit:  # its start quoted back: what was sent is not lost from view
        raise InvalidInput(
            "error.too_long", limit=Count(limit), length=Count(len(text)), **quoted(text)
        )
    return text


def clean_name(raw: str, limit: int) -> str:
    """A name (a customer's, a person's, how to address someone, a search for one), checked
    as `clean_text` and kept on one line: every run of blanks, line breaks and tabs is one
    space. A name is shown inside other lines — a case's first line, a list's row, a
    button, a supervisor's request — where a line break in it would draw lines of its own."""
    return clean_text(" ".join(_without_controls(raw).split()), limit)


def clean_words(raw: str, limit: int, one_line: bool = False) -> str:
    """An answer to a question staff type in words (what the customer said, what was done
    or offered, a reason, a name): checked as `clean_text` (`clean_name` if on `one_line`),
    and refused when it holds no letter at all — an emoji, a lone number or punctuation
    records nothing anyone can read back later."""
    text = clean_name(raw, limit) if one_line else clean_text(raw, limit)
    if not any(ch.isalpha() and ch not in _BLANK_LETTERS for ch in text):
        raise InvalidInput("error.no_words")
    return text


def file_name(raw: str | None, limit: int) -> str | None:
    """A file's name as Telegram gives it, shown as the name of what was attached: on one
    line, without control or format characters (a right-to-left override would show
    "invoice<RLO>fdp.exe" as "invoiceexe.pdf"), cut to `limit` characters; None if nothing
    of it shows. Never refused: the file itself is what is kept."""
    if raw is None:
        return None
    line = " ".join(_without_controls(raw).split()).strip(_BLANK_LETTERS).strip()
    if not any(map(_visible, line)):
        return None
    return line if len(line) <= limit else line[: limit - 1] + "…"


#: How much of a file's name is kept and shown (Telegram allows longer ones than anyone reads).
FILE_NAME_LIMIT = 200


def shown_file_name(stored: object) -> str | None:
    """A stored file's name as it is shown — in a timeline, the Mini App, under the file sent
    again: cleaned as a new one is kept (`file_name`), so that one kept before names were
    cleaned (with a right-to-left override, line breaks, thousands of characters) shows as
    a new one would; None where nothing of it shows."""
    return file_name(str(stored), FILE_NAME_LIMIT) if stored else None


def optional_text(raw: str | None, limit: int) -> str | None:
    """Clean text that may be left out (a photo's caption): None where it shows nothing;
    refused, like any typed text, where it is too long."""
    if raw is None:
        return None
    try:
        return clean_text(raw, limit)
    except InvalidInput as err:
        if err.key == "error.empty":
            return None
        raise


def search_key(text: str) -> str:
    """Fold text for searching: lower case, Vietnamese diacritics and spaces removed."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", folded.casefold()).strip()


#: Marks that show nothing where they stand (joiners, variation selectors, fillers of
#: scripts' own): a name with one in it looks like the name without it.
_UNSEEN = frozenset(
    "\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u200c\u200d"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
#: Cyrillic and Greek letters drawn exactly as Latin ones are ("А" for "A").
_LOOK_LATIN = str.maketrans(
    "АВЕКМНОРСТУХЅІЈԚԜаеорсухѕіјԁԛԝһӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧον",
    "ABEKMHOPCTYXSIJQWaeopcyxsijdqwhlABEZHIKMNOPTYXov",
)


def sight_key(text: str) -> str:
    """What a text looks like, for telling apart texts that read alike though their
    characters differ: compatibility forms as their plain letter (a full-width "Ａ" as "A"),
    marks and joiners that show nothing left out, blank letters as spaces, Cyrillic and
    Greek letters drawn as Latin ones as those, every run of blanks one space."""
    text = unicodedata.normalize("NFKC", text)
    shown = (
        " " if ch in _BLANK_LETTERS or ch.isspace() else ch
        for ch in text
        if ch not in _UNSEEN and unicodedata.category(ch) not in _CONTROL
    )
    latin = "".join(shown).translate(_LOOK_LATIN)
    return " ".join(unicodedata.normalize("NFC", latin).split())


#: A country's calling code, and the trunk prefix its numbers take at home: +84 903… is
#: 0903… in Vietnam.
COUNTRY_CODE, TRUNK_PREFIX = "84", "0"


def typed(raw: str) -> str:
    """Text as every parser here reads it: composed (NFC, as a keyboard that sends combining
    marks does not), every kind of space an ASCII space, the invisible marks that phones'
    contacts wrap numbers in (direction marks, zero-width spaces) gone, outer spaces stripped."""
    text = unicodedata.normalize("NFC", raw)
    kept = (" " if ch.isspace() else ch for ch in text if unicodedata.category(ch) != "Cf")
    return "".join(kept).strip()


def search_term(text: str, limit: int) -> str:
    """What to search customers for: a typed name folded (diacritics optional), or a phone
    number's `phone_key`."""
    query = clean_text(typed(text), limit)
    number = _PHONE_LABEL.sub("", query, count=1)  # "SĐT: 0903…", as a contact card has it
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 3 or not re.fullmatch(r"\+?[0-9 .\-]+", _unbracketed(number)):
        return search_key(query)
    return phone_key(number)


#: The fewest digits of a whole phone number after its trunk prefix (a mobile's nine): a
#: search for this many is looked up from the number's start (`phone_key`), where fewer
#: (the last digits, a landline without its area code) are looked for anywhere in it.
WHOLE_NUMBER = 9


def phone_key(number: str) -> str:
    """A phone number's digits after its country code or trunk prefix, which every way of
    writing it shares (+84 903 123 456, 0903.123.456, (090) 3123 456, 0084 903 123 456,
    +84 (0) 903 123 456 → 903123456)."""
    dialled = _as_dialled(number.strip())
    digits = "".join(ch for ch in dialled if ch.isdigit())
    if (dialled.startswith("+") or len(digits) > 10) and digits.startswith(COUNTRY_CODE):
        return digits[len(COUNTRY_CODE) :]
    return digits.removeprefix(TRUNK_PREFIX) if len(digits) > 7 else digits


_PHONE = re.compile(r"\+?[0-9][0-9 .\-]{5,19}")
#: An area code in brackets at the start, after the country code if any: (028) 3823 4567;
#: or the country code itself in brackets: (+84) 903 123 456.
_AREA_CODE = re.compile(r"^(\+?[0-9]{1,3} ?)?\((\+?[0-9]{1,4})\)")
#: The trunk prefix in brackets after a country code, as numbers for callers abroad write
#: it ("+84 (0) 903 123 456", "+44 (0)20…"): dialled without it from abroad, never kept.
_TRUNK_IN_BRACKETS = re.compile(r"^(\+[0-9]{1,3}) ?\(0\)")
#: The prefix dialled from Vietnam to call abroad, written where "+" is: 0084 903 123 456.
INTERNATIONAL_PREFIX = "00"


def _unbracketed(text: str) -> str:
    return _AREA_CODE.sub(r"\1\2", text, count=1)


def _as_dialled(written: str) -> str:
    """A number as written, its brackets read and its prefixes as a phone dials them."""
    return _international(_unbracketed(_TRUNK_IN_BRACKETS.sub(r"\1 ", written)))


def _international(number: str) -> str:
    """A number written for dialling abroad as "+" writes it: "0084…" is "+84…"; and one of
    this country written with its trunk prefix after its country code ("+840903…",
    "84 0903…", which no phone dials) without it: "+84903…"."""
    if number.startswith(INTERNATIONAL_PREFIX) and number[2:3] not in ("", "0"):
        number = "+" + number[len(INTERNATIONAL_PREFIX) :]
    digits = re.sub(r"\D", "", number)
    if not number.startswith("+") and digits.startswith(COUNTRY_CODE + TRUNK_PREFIX):
        number = "+" + number if len(digits) > len(COUNTRY_CODE) + WHOLE_NUMBER else number
    home = f"+{COUNTRY_CODE}"
    rest = number.removeprefix(home).lstrip(" .-")
    if number.startswith(home) and rest.startswith(TRUNK_PREFIX):
        number = f"{home} {rest.removeprefix(TRUNK_PREFIX)}"
    return number


#: What a number pasted from a contact card or a chat may be labelled with: "SĐT: 0903…",
#: "ĐT 0903…", "Tel: +84…", "Zalo 0903…".
_PHONE_LABEL = re.compile(
    r"^(?:s[dđ]t|[dđ]t|tel|phone|mobile|hotline|zalo|(?:số )?điện thoại|(?:so )?dien thoai)"
    r" ?[:.\-]? ?",
    re.IGNORECASE,
)
#: The most digits a phone number has anywhere (E.164): more is a typo.
PHONE_DIGITS = 15


def parse_phone(raw: str) -> str:
    """Accept a phone number written with digits, spaces, dots or dashes, its area code
    perhaps in brackets, perhaps after a label ("SĐT:"); at most 15 digits. One written for
    callers abroad is kept as "+" writes it, without a trunk prefix ("+84 (0) 903 123 456",
    "0084 903 123 456", "+84 0903 123 456": +84903123456), never as a number no phone dials."""
    label_gone = _PHONE_LABEL.sub("", typed(raw), count=1)
    text = _as_dialled(label_gone)
    number = re.sub(r"[ .\-]", "", text)
    if not _PHONE.fullmatch(text) or len(number.lstrip("+")) > PHONE_DIGITS:
        raise InvalidInput("error.bad_phone")
    return number


#: Units and currencies are read folded (`search_key`): "triệu", "trieu" and "TRIỆU" alike.
_MONEY = re.compile(r"^(?P<num>[0-9][0-9 .,]*?)\s*(?P<unit>k|nghin|ngan|tr|trieu|m)?$")
_UNITS = {
    None: 1,
    "k": 1_000,
    "nghin": 1_000,
    "ngan": 1_000,
    "tr": 1_000_000,
    "trieu": 1_000_000,
    "m": 1_000_000,
}
#: Currencies written before or after an amount, folded, and the code each is: 500.000
#: đồng, 500k VNĐ, 200.000đ, $50, 50 đô, 20 euro; the one amounts are in is known by its
#: code too (50 SGD, where they are in SGD).
CURRENCY_WORDS = {
    **dict.fromkeys(("vnd", "dong", "d", "₫"), "VND"),
    **dict.fromkeys(("usd", "$", "us$", "dollar", "dollars", "do", "do la", "do my"), "USD"),
    **dict.fromkeys(("eur", "€", "euro", "euros"), "EUR"),
}


@functools.cache
def _currency_form(currency: str | None) -> re.Pattern[str]:
    """An amount with the currency written before or after it: any of `CURRENCY_WORDS`, or
    the one amounts are in, by its code as the settings write it."""
    words = {*CURRENCY_WORDS, *([search_key(currency)] if currency else [])}
    said = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(
        rf"^(?P<before>{said})?\s*(?P<amount>.*?)\s*(?P<after>(?<![a-z])(?:{said}))?$"
    )


def _currency_written(text: str, currency: str | None) -> tuple[str, str | None]:
    """The amount typed without the currency written before or after it, and that
    currency's code (None if none is written)."""
    found = _currency_form(currency).match(text)
    assert found is not None  # every part of it may be empty
    word = found["before"] or found["after"]
    return found["amount"], None if word is None else CURRENCY_WORDS.get(word, word.upper())


#: The unit written inside the number, as people say it: 1tr5, 2tr250, 1k5.
_UNIT_INSIDE = re.compile(r"^(?P<whole>\d+)(?P<unit>tr|trieu|k)(?P<part>\d{1,3})$")
#: Digits in groups of three after the first: 1.500.000, 1,500,000, 1 500 000.
_GROUPED = re.compile(r"\d{1,3}(?:(?P<sep>[., ])\d{3})(?:(?P=sep)\d{3})*")


#: How much of an amount typed in another currency is quoted back in its refusal.
QUOTED_AMOUNT = 60


def parse_money(raw: str, maximum: int, currency: str | None = None) -> int:
    """Read a non-negative whole amount: 500000, 500.000, 1,500,000, 500k, 1,5tr, 1tr5,
    500.000 đồng, 2 trieu, 200 nghin (units with or without their marks); or as said
    (`_spoken_amount`): 2 triệu rưỡi, 1 triệu 2, 1 triệu 500 nghìn, nửa triệu, 3 trăm nghìn.

    Thousands are grouped by threes with dots, commas or spaces; a lone separator followed
    by other than three digits, or the last of two kinds, starts a decimal part (1,5tr,
    1,000.5k, 2.000.000,00); a unit inside the number is one too (1tr5, 2tr250). An amount
    must come out whole: "1,5" alone, or "1.500.000,50", is asked again rather than read
    as 15 or 150,000,050. A currency written with it must be `currency` (when given): "50
    USD" where amounts are in VND is refused, never read as 50 VND.
    """
    text = search_key(typed(raw))
    if text.startswith("-"):
        raise InvalidInput("error.negative")
    text, said = _currency_written(text, currency)
    if said is not None and currency is not None and said != _currency_code(currency):
        quoted = one_line(typed(raw), QUOTED_AMOUNT)  # within a message, however long
        raise InvalidInput("error.other_currency", typed=quoted, other=said, currency=currency)
    try:
        amount = _written_amount(text, maximum)
    except InvalidInput as err:
        spoken = _spoken_amount(text) if err.key == "error.not_a_number" else None
        if spoken is None:
            raise
        amount = _whole(spoken)
    if amount > maximum:
        raise InvalidInput("error.too_large", maximum=Money(maximum))
    return amount


def _currency_code(currency: str) -> str:
    """The code of the currency amounts are set in, however the settings write it (VNĐ)."""
    folded = search_key(currency)
    return CURRENCY_WORDS.get(folded, folded.upper())


def _written_amount(text: str, maximum: int) -> int:
    """An amount written in figures, with a unit after it or inside it (`parse_money`)."""
    inside = _UNIT_INSIDE.match(text)
    match = inside or _MONEY.match(text)
    if not match:
        raise InvalidInput("error.not_a_number")
    whole, fraction = (inside["whole"], inside["part"]) if inside else _split_decimal(match["num"])
    if not (whole.isdigit() or _GROUPED.fullmatch(whole)):
        raise InvalidInput("error.not_a_number")
    digits = re.sub(r"\D", "", whole)
    if len(digits.lstrip("0")) > len(str(maximum)):
        raise InvalidInput("error.too_large", maximum=Money(maximum))  # before any arithmetic
    scale = 10 ** len(fraction)
    return _whole(
        Fraction(int(digits) * scale + int(fraction or 0), scale) * _UNITS[match["unit"]]
    )


def _whole(amount: Fraction) -> int:
    """An amount that must come out whole, as one."""
    if amount.denominator != 1:
        raise InvalidInput("error.not_whole_amount")
    return int(amount)


#: Units said after a number, folded: each one's worth, largest first (a billion, a million
#: — "củ" as people say it — a thousand); "trăm" and "chục" (hundreds, tens) multiply the
#: unit after them ("3 trăm nghìn": 300,000).
_SPOKEN_UNITS = {
    **dict.fromkeys(("ty", "ti", "billion", "bn"), 10**9),
    **dict.fromkeys(("trieu", "tr", "cu", "m", "million", "mn"), 10**6),
    **dict.fromkeys(("nghin", "ngan", "k", "thousand"), 10**3),
}
_SPOKEN_TIMES = {"tram": 100, "chuc": 10}
#: What an amount said is cut into: numbers (1,5), words, and half ("rưỡi", "nửa").
_SPOKEN_WORD = re.compile(r"\d+(?:[.,]\d+)?|[a-z]+")
#: The most a number said before a unit may be worth (with its decimals): 999 of it.
_SPOKEN_MOST = 1000
#: The most amounts a bare number said last may carry, as digits after its unit: 1 triệu 250.
_SPOKEN_TAIL = 3


def _spoken_amount(text: str) -> Fraction | None:
    """An amount said in words of units, largest first: "2 triệu rưỡi" (2,500,000), "1 triệu
    2" (1,200,000: the number after a unit is its next digits, as in 1tr2), "1 triệu 500
    nghìn", "2tr500k", "nửa triệu", "1 tỷ 2", "3 trăm nghìn", "2 chục nghìn", "1.5 million",
    "2 million 500 thousand"; None if it is not one."""
    words = _SPOKEN_WORD.findall(text)
    if "".join(words) != re.sub(r"\s+", "", text) or not words:
        return None
    total, last_unit, i = Fraction(0), None, 0
    while i < len(words):
        said, number = words[i], _spoken_number(words[i])
        if number is None:
            return None
        times = 1
        while i + 1 < len(words) and words[i + 1] in _SPOKEN_TIMES:
            times, i = times * _SPOKEN_TIMES[words[i + 1]], i + 1
        unit = _SPOKEN_UNITS.get(words[i + 1]) if i + 1 < len(words) else None
        if unit is None:  # said last without a unit: "2 trăm", "1 triệu 2", "1 triệu 2 trăm"
            if i + 1 < len(words):
                return None
            if times > 1:  # hundreds or tens of the unit a thousandth of the one before
                return total + number * times * Fraction(last_unit or 1000, 1000)
            if last_unit is None or not said.isdigit() or len(said) > _SPOKEN_TAIL:
                return None
            return total + Fraction(int(said), 10 ** len(said)) * last_unit
        if (last_unit is not None and unit >= last_unit) or number * times >= _SPOKEN_MOST:
            return None
        total, last_unit, i = total + number * times * unit, unit, i + 2
        if i < len(words) and words[i] == "ruoi":  # "2 triệu rưỡi": and a half
            total, i = total + Fraction(unit, 2), i + 1
    return total if last_unit is not None else None


def _spoken_number(word: str) -> Fraction | None:
    """A number said before a unit: 2, 1,5, 1.5, or "nửa" (half); None for another word."""
    if word == "nua":
        return Fraction(1, 2)
    if not word[0].isdigit():
        return None
    return Fraction(word.replace(",", "."))


def _split_decimal(number: str) -> tuple[str, str]:
    """Split a written amount into its whole part and its decimal digits (maybe none)."""
    marks = [i for i, ch in enumerate(number) if ch in ".,"]
    if not marks:
        return number, ""
    last = marks[-1]
    kinds = {number[i] for i in marks}
    tail = number[last + 1 :]
    if len(kinds) == 1 and (len(marks) > 1 or len(tail) == 3):
        return number, ""  # one kind of mark, grouping thousands
    if not tail.isdigit():
        raise InvalidInput("error.not_a_number")
    return number[:last], tail


#: The calendar the bot accepts: anything outside is a typo, never a real case date.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
#: How far ahead a follow-up, a promise or a wait may be set; a contract's renewal date.
FURTHEST_AHEAD = timedelta(days=366)
FURTHEST_RENEWAL = timedelta(days=3660)


def checked_day(year: int, month: int, day: int) -> date:
    """Build a date within the accepted calendar, or refuse it politely."""
    if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise InvalidInput("error.date_out_of_range")
    try:
        built = date(year, month, day)
    except ValueError as err:
        raise _missing(year, month, day) from err
    if not EARLIEST_DAY <= built <= LATEST_DAY:
        raise InvalidInput("error.date_out_of_range")
    return built


def _missing(year: int, month: int, day: int) -> InvalidInput:
    """Why a day that is not on the calendar was refused: a month that never has it (31/04),
    a year without a leap day (29/02/2025) — said as such, with days that are — or, for
    what is no day at all (13/2026, 0/5), that it could not be read."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return InvalidInput("error.bad_date")
    if (month, day) == (2, 29):
        return InvalidInput("error.no_leap_day", year=str(year))
    longest = calendar.monthrange(2000, month)[1]  # 2000 is a leap year: its longest
    return InvalidInput("error.no_such_day", day=f"{day:02d}/{month:02d}", days=Count(longest))


_DATE_FORMS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})(?:[/.\-](?P<y>\d{2}|\d{4}))?$"),
)
_TIME = re.compile(r"^(?P<h>\d{1,2})(?:[:h](?P<mi>\d{2})?)?$")


#: A day typed without its year is the nearest one on the side the question wants: "5/1"
#: asked for a follow-up in late December is next January, "28/12" asked for a past date
#: in early January last December — once this year's falls further than this on the wrong side.
WRONG_SIDE = timedelta(days=183)
#: A contract's renewal is never behind us: "31/7" typed in November is next July's.
RENEWAL_WRONG_SIDE = timedelta(0)


def _parse_date(
    text: str, today: date, ahead: bool, wrong_side: timedelta = WRONG_SIDE
) -> date | None:
    for form in _DATE_FORMS:
        match = form.match(text)
        if match:
            year, month, day = match["y"], int(match["m"]), int(match["d"])
            if year:
                return checked_day(_full_year(year, today, ahead), month, day)
            if _no_such_day(today.year, month, day) and not _no_such_day(2000, month, day):
                return _leap_day(today, ahead)
            found = checked_day(today.year, month, day)
            if ahead and today - found > wrong_side:
                return checked_day(today.year + 1, month, day)
            if not ahead and found - today > wrong_side:
                return checked_day(today.year - 1, month, day)
            return found
    return None


def _leap_day(today: date, ahead: bool) -> date:
    """29/02 typed without its year outside a leap year: the one of the year on the side the
    question wants; where that year has none either, refused saying so, with days of both
    years that are on the calendar (and, for a day gone by, the last 29/02 there was)."""
    other = today.year + (1 if ahead else -1)
    if calendar.isleap(other):
        return date(other, 2, 29)
    eve = date(today.year, 2, 28)  # the eve of a leap day, on the side the question wants
    if (eve < today) if ahead else (eve > today):
        eve = eve.replace(year=other)
    if ahead:
        examples = (eve, eve + timedelta(days=1))
    else:  # the last leap day gone by (there is one within eight years)
        leap = max(y for y in range(other - 8, other) if calendar.isleap(y))
        examples = (date(leap, 2, 29), eve)
    first, second = sorted((today.year, other))
    raise InvalidInput(
        "error.no_leap_day_near",
        first=str(first),
        second=str(second),
        example=f"{examples[0]:%d/%m/%Y}",
        other_example=f"{examples[1]:%d/%m/%Y}",
    )


def _full_year(year: str, today: date, ahead: bool) -> int:
    """A year as written: two digits are this century's, or, for a past date that would
    then be in a later year than today's, the last century's ("since 15/3/98" is 1998)."""
    if len(year) != 2:
        return int(year)
    full = 2000 + int(year)
    return full - 100 if not ahead and full > today.year else full


def _no_such_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return True
    return False


def _parse_time(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise InvalidInput("error.bad_date")
    try:
        return time(int(match["h"]), int(match["mi"] or 0))
    except ValueError as err:
        raise InvalidInput("error.bad_date") from err


class Reading(NamedTuple):
    """A moment read from what was typed, and the default picked where the words leave it
    open (`STATED`: "tuần sau" is the Monday of next week), which the reader is then told;
    None where the words say the moment themselves."""

    at: datetime
    default: str | None = None


def parse_when(
    raw: str,
    now: datetime,
    tz: ZoneInfo,
    default_hour: int,
    furthest: timedelta = FURTHEST_AHEAD,
    wrong_side: timedelta = WRONG_SIDE,
) -> datetime:
    """The moment `read_when` reads."""
    return read_when(raw, now, tz, default_hour, furthest, wrong_side).at


def read_when(
    raw: str,
    now: datetime,
    tz: ZoneInfo,
    default_hour: int,
    furthest: timedelta = FURTHEST_AHEAD,
    wrong_side: timedelta = WRONG_SIDE,
) -> Reading:
    """Read a future date and optional time, in the reader's time zone, within `furthest`;
    or a time from now, as a quick time's button says it ("3 ngày nữa", "in a week"); a day
    without its year gone by this year less than `wrong_side` ago is this year's. A day
    without a time is at `default_hour`. What has passed is refused saying how: a time
    earlier today offers the one it may have meant; today alone, once `default_hour` has
    gone, asks for a time."""
    when, said = _moment(raw, now, tz, default_hour, wrong_side)
    if said is not None and when <= now and when.replace(fold=1) > now:
        when = when.replace(fold=1)  # an hour the clocks go through twice: its second time
    local_now = now.astimezone(tz)
    if when <= now:
        raise _passed(said, when.astimezone(tz).time(), local_now)
    _not_too_far(when.astimezone(tz).date(), local_now.date(), furthest)
    return Reading(when, said.default if said else None)


def read_day_ahead(
    raw: str, now: datetime, tz: ZoneInfo, furthest: timedelta, wrong_side: timedelta
) -> Reading:
    """Read a day from today on, such as a contract's renewal, as `read_when` reads one:
    today is one (it has not passed until it ends); a time typed with it is not kept."""
    when, said = _moment(raw, now, tz, 0, wrong_side)
    day, today = when.astimezone(tz).date(), now.astimezone(tz).date()
    if day < today:
        raise InvalidInput("error.date_in_past")
    _not_too_far(day, today, furthest)
    return Reading(when.astimezone(tz), said.default if said else None)


def _moment(
    raw: str, now: datetime, tz: ZoneInfo, default_hour: int, wrong_side: timedelta
) -> tuple[datetime, _Said | None]:
    """The moment typed, passed or not, and what the words said of it (None for a time from
    now, "in 2 hours")."""
    folded = " ".join(search_key(_TOI_NEXT.sub("tuần tới", typed(raw))).replace(",", " ").split())
    _no_lunar_day(raw)
    from_now = _from_now(folded, now, tz, default_hour)
    if from_now is not None:
        return from_now, None
    with _refused_as("error.bad_date", raw, "error.vague_day_ahead"):
        said = _said(folded, now.astimezone(tz).date(), wrong_side)
    if said.part is not None and said.at is None:
        if said.part != "noon":  # "chiều mai": at what time?
            hour = PART_HOURS[said.part]
            raise InvalidInput("error.part_needs_time", example=f"{typed(raw)} {hour:02d}:00")
        said = said._replace(at=time(12))
    at = said.at or time(default_hour)
    when = on_clock(said.day, at, tz)
    if when is None:  # a time the clocks skip: refused if typed, else the hour after it
        if said.at is not None:
            raise InvalidInput("error.time_skipped", day=said.day, time=f"{at:%H:%M}", zone=tz)
        when = datetime.combine(said.day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)
    return when, said


#: "tới" after a weekday is next week's ("thứ 2 tới"), never "tối" (the evening), which it
#: reads as once its marks are folded away; read as "tuần tới".
_TOI_NEXT = re.compile(r"(?<!tuần )(?<!tháng )\btới\b", re.IGNORECASE)


def _not_too_far(day: date, today: date, furthest: timedelta) -> None:
    if day - today > furthest:
        raise InvalidInput("error.date_too_far", days=Count(furthest.days))


#: Each unit a time from now is said in: minutes and hours from this minute; days, weeks
#: (as days) and months on the calendar.
_FROM_NOW_UNITS = {
    **dict.fromkeys(("phut", "minute", "minutes", "min", "mins"), "minute"),
    **dict.fromkeys(("gio", "tieng", "hour", "hours"), "hour"),
    **dict.fromkeys(("ngay", "day", "days"), "day"),
    **dict.fromkeys(("tuan", "week", "weeks"), "week"),
    **dict.fromkeys(("thang", "month", "months"), "month"),
}
_UNIT_WORDS = "|".join(sorted(_FROM_NOW_UNITS, key=len, reverse=True))
_ONE = ("a", "an", "one", "mot")
#: Half an hour, as said: "nửa tiếng nữa", "in half an hour" (folded, "nửa" and "nữa" alike).
_HALF = ("nua", "half a", "half an")
#: A time said from now, as the quick times' buttons say it, read folded: "3 ngày nữa",
#: "sau 2 tuần", "2 tiếng nữa", "1 tiếng rưỡi nữa", "nửa tiếng nữa", "30 phút nữa", "in 3
#: days", "in a week", "in half an hour", "an hour and a half from now". Said so, by a word
#: before or after ("2 giờ" alone is two o'clock); minutes need none ("30 phút").
_FROM_NOW = re.compile(
    rf"^(?P<before>(?:sau|in) )?(?P<count>\d{{1,3}}|a|an|one|mot|nua|half an?) ?"
    rf"(?P<unit>{_UNIT_WORDS})(?P<half> ruoi| and a half)?"
    r"(?P<after> (?:nua|sau|later|from now))?$"
)


def _from_now(text: str, now: datetime, tz: ZoneInfo, hour: int) -> datetime | None:
    """A time said from now (`_FROM_NOW`), as its quick time's button gives it: minutes and
    hours from this minute, days, weeks or months at `hour` on that day; None if not said
    so. Half of anything but an hour is not read ("nửa tháng": which day?)."""
    match = _FROM_NOW.match(text)
    if match is None:
        return None
    unit = _FROM_NOW_UNITS[match["unit"]]
    if not (match["before"] or match["after"] or unit == "minute"):
        return None
    halved, and_a_half = match["count"] in _HALF, match["half"] is not None
    if (halved or and_a_half) and unit != "hour":
        return None
    count = 1 if match["count"] in _ONE else 0 if halved else int(match["count"])
    if count == 0 and not halved:
        raise InvalidInput("error.date_in_past")  # "0 ngày nữa": now, not to come
    if unit in ("minute", "hour"):
        minutes = count * (1 if unit == "minute" else 60) + 30 * (halved or and_a_half)
        return now + timedelta(minutes=minutes)
    weeks, months = (count if unit == "week" else 0), (count if unit == "month" else 0)
    return _local(now, tz, count if unit == "day" else 7 * weeks, hour, months=months)


#: Days said from now with a time beside them, before it ("3 ngày nữa lúc 10h", "in 2 days
#: at 3pm") or after it ("10h 3 ngày nữa"); never a weekday's number or a month's day ("thứ
#: 2 tuần sau", "ngày 2 tháng sau").
_DAYS_FROM_NOW = re.compile(
    r"(?:^|(?<= )(?<!thu )(?<!ngay )(?<!mung ))(?P<before>(?:sau|in) )?"
    r"(?P<count>\d{1,3}|a|an|one|mot) (?P<unit>ngay|tuan|thang|days?|weeks?|months?)"
    r"(?P<after> (?:nua|sau|later|from now))?(?=$| )"
)


def _day_from_now(text: str, today: date) -> str:
    """Text with days said from now beside a time written as the day they give ("3 ngày nữa
    10h" → "26/11/2026 10h"), for the time to be read with it; else as it is."""

    def as_day(match: re.Match[str]) -> str:
        if not (match["before"] or match["after"]) or match[0] == text:
            return match[0]
        count = 1 if match["count"] in _ONE else int(match["count"])
        unit = _FROM_NOW_UNITS[match["unit"]]
        months = count if unit == "month" else 0
        days = count if unit == "day" else 7 * count if unit == "week" else 0
        return f"{add_months(today, months) + timedelta(days=days):%d/%m/%Y}"

    return _DAYS_FROM_NOW.sub(as_day, text, count=1)


#: Days said by name, as staff type them (read folded: "thứ Hai", "thu hai" and "Thứ 2"
#: alike): days from today, or a weekday (Monday = 0) as ("weekday", n).
_DAYS_FROM_TODAY = {
    **dict.fromkeys(("hom nay", "nay", "today"), 0),
    **dict.fromkeys(("mai", "ngay mai", "tomorrow", "tmr", "tmrw", "tomorow", "2morrow"), 1),
    **dict.fromkeys(("mot", "ngay mot", "ngay kia"), 2),
}
_WEEKDAY_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("thu hai", "thu 2", "t2", "monday", "mon"),
            ("thu ba", "thu 3", "t3", "tuesday", "tue"),
            ("thu tu", "thu 4", "t4", "wednesday", "wed"),
            ("thu nam", "thu 5", "t5", "thursday", "thurs"),
            ("thu sau", "thu 6", "t6", "friday", "fri"),
            ("thu bay", "thu 7", "t7", "saturday", "sat"),
            ("chu nhat", "cn", "sunday", "sun"),
        )
    )
    for name in names
}
#: Past days said by name: days before today.
_DAYS_AGO = {
    **dict.fromkeys(("hom nay", "today"), 0),
    **dict.fromkeys(("hom qua", "qua", "yesterday"), 1),
    "hom kia": 2,
}
#: An hour said in words, read as written with "h": 9 giờ, 9g30, 9 giờ 30 → 9h, 9h30.
_HOURS_SAID = re.compile(r"\b(\d{1,2}) ?(?:gio|g|h)(?: ?(\d{2})(?![/.\-:]\d))?\b")
#: Half past an hour, as said: "3 rưỡi", "3h rưỡi", "3 giờ rưỡi" → 3h30.
_HALF_PAST = re.compile(r"\b(\d{1,2}) ?(?:gio |g |h ?)?ruoi\b")
#: Minutes to an hour, as said: "3 giờ kém 15", "3h kém 15" → 2h45.
_MINUTES_TO = re.compile(r"\b(\d{1,2}) ?(?:gio|g|h) ?kem (\d{1,2})(?: ?phut)?\b")
#: Parts of the day said beside a time, and the hours they put it in: "3h chiều" is 15:00,
#: "9h đêm" 21:00, "2h đêm" 02:00.
_PARTS_OF_DAY = {
    **dict.fromkeys(("sang", "am", "morning"), "am"),
    **dict.fromkeys(("trua", "noon"), "noon"),
    **dict.fromkeys(("chieu", "pm", "afternoon"), "pm"),
    **dict.fromkeys(("toi", "evening"), "evening"),
    **dict.fromkeys(("dem", "khuya", "night"), "night"),
}
#: Early in the morning, as said: "sáng sớm mai", "sớm mai" (early tomorrow morning) are a
#: morning like "sáng mai", never the vague "sớm" (soon).
_EARLY_MORNING = re.compile(r"\bsang som\b|\bsom(?= mai\b)")
#: Parts of the day that fit a time of the clock's last twelve hours said with them.
_AFTERNOON_PARTS = {"pm", "evening", "night"}
#: The hour given as an example when a part of the day is said without one ("chiều mai").
PART_HOURS = {"am": 9, "noon": 12, "pm": 15, "evening": 19, "night": 21}
#: English ways of saying a part of today, as the Vietnamese words are read: "tonight" is
#: "tối nay".
_PARTS_OF_TODAY = re.compile(r"\b(?:tonight|this (morning|afternoon|evening))\b")
#: Words that say nothing more beside a day or a time: "mai lúc 9h", "tomorrow at 9",
#: "on Monday", "in the afternoon", "ngày 25/12"; "by 17:00 today", "trước 17:00 hôm nay" (as
#: the button that says so books it).
_FILLERS = re.compile(r"\b(?:luc|at|vao|on|in the|by|truoc|(?:ngay|mung)(?= \d))\b")
#: Midnight, said alone or with its day: the night at the end of that day ("nửa đêm mai",
#: "12 giờ đêm mai", "midnight tomorrow": 00:00 the day after tomorrow), as people mean it;
#: a stated default naming that night, since some mean the night before. "0 giờ ngày mai"
#: is the start of tomorrow, said back too (`DAY_START`).
_MIDNIGHT = re.compile(r"\b(?:midnight|nua dem|12h (?:dem|khuya))\b")
#: The end of a working day, as the "By 17:00 today" button says it.
_END_OF_DAY = re.compile(
    r"\b(?:end of (?:the )?(?:working )?day|eod|close of business|cob|cuoi ngay"
    r"|het gio(?: lam(?: viec)?| hanh chinh)?|cuoi gio (?:chieu|lam(?: viec)?|hanh chinh))\b"
)
END_OF_DAY = time(17)
#: Time written with a dot before am or pm: "3.30pm".
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2}) ?(am|pm)\b")


#: A day of the month said by its number, without the month or with the month before, this
#: or the next: "ngày 5", "mùng 5", "the 5th", "ngày 2 tháng sau", "the 2nd of next month",
#: "ngày 20 tháng trước" — never an hour ("ngày 5 10h" is the 5th at 10:00), never a day
#: written with its month ("ngày 5/12", read as written).
_DAY_OF_MONTH = re.compile(
    r"\b(?:(?:ngay|mung|the) (?P<d>\d{1,2})(?:st|nd|rd|th)?|(?P<o>\d{1,2})(?:st|nd|rd|th))"
    r"(?![/.\-:]?\d)(?! ?(?:gio|g|h|am|pm)\b)"
    r"(?: (?:of )?(?P<month>thang (?:sau|toi|nay|truoc)|(?:next|this|last) month))?\b"
)
#: The month each month word names, from this one.
_MONTHS_AWAY = {"sau": 1, "toi": 1, "next": 1, "nay": 0, "this": 0, "truoc": -1, "last": -1}


def _day_of_month(text: str, today: date, ahead: bool = True) -> tuple[str, str | None]:
    """Text with a day of the month said by its number (`_DAY_OF_MONTH`) written as the day
    it is, and the default picked where the month was left out (`month_day`: the nearest
    such day on the side asked, to come or gone by, this month's or the one beside it);
    else the text as it is, and None."""
    match = _DAY_OF_MONTH.search(text)
    if match is None:
        return text, None
    number, month = int(match["d"] or match["o"]), match["month"]
    if not 1 <= number <= 31:
        return text, None
    step = 1 if ahead else -1
    which = (month.split()[-1] if month.startswith("thang") else month.split()[0]) if month else ""
    first = add_months(today.replace(day=1), _MONTHS_AWAY.get(which, 0))
    if month is None and (number - today.day) * step < 0:
        first = add_months(first, step)
    while month is None and _no_such_day(first.year, first.month, number):
        first = add_months(first, step)  # "ngày 31" typed in November: 31 December
    day = checked_day(first.year, first.month, number)
    written = f"{text[: match.start()]}{day:%d/%m/%Y}{text[match.end() :]}"
    return written, None if month else "month_day"


def _minutes_to(match: re.Match[str]) -> str:
    """ "3h kém 15" written as the time it says: "2h45"; what is no time is left unread."""
    hour, minutes = int(match[1]), int(match[2])
    if not (1 <= hour <= 24 and 0 < minutes < 60):
        return match[0]
    return f"{hour - 1}h{60 - minutes:02d}"


def _part_of_day(text: str) -> tuple[str, str | None]:
    """Take the part of the day out of what was typed: the rest, and "am", "noon", "pm",
    "evening", "night" or None ("3h chiều mai" → "3h mai", "pm"); "3pm" is read as "3 pm".
    Two that agree are one ("9pm tonight"); two that do not leave the words unread."""
    words = re.sub(r"(\d)(am|pm)\b", r"\1 \2", text).split()
    found = [
        i
        for i, w in enumerate(words)
        if w in _PARTS_OF_DAY and words[i - 1 : i] not in (["tuan"], ["thang"])  # "tuần tới"
    ]
    parts = {_PARTS_OF_DAY[words[i]] for i in found}
    if not found or (len(parts) > 1 and not parts <= _AFTERNOON_PARTS):
        return text, None
    part = "pm" if len(parts) > 1 else parts.pop()
    return " ".join(w for i, w in enumerate(words) if i not in found), part


def _in_part_of_day(at: time, part: str) -> time:
    """A time of the clock's first twelve hours put in the part of the day said with it."""
    if at.hour > 12:  # 15h chiều says it twice; 15h sáng is a slip
        if part not in _AFTERNOON_PARTS:
            raise InvalidInput("error.bad_date")
        return at
    if part in ("evening", "night") and at.hour == 12:  # "12 giờ tối": midnight, of which night?
        raise InvalidInput("error.bad_date")
    if part == "am" or (part == "night" and at.hour < 6):  # "2h đêm": 02:00
        return at.replace(hour=0) if at.hour == 12 else at
    if part == "noon":  # 11h trưa, 12h trưa, 1h trưa
        return at if at.hour >= 10 else at.replace(hour=at.hour + 12)
    return at if at.hour == 12 else at.replace(hour=at.hour + 12)


#: Said beside a weekday: the one of next week (Monday to Sunday), "thứ Sáu tuần sau",
#: "next Friday"; or the one of this week, "thứ Bảy tuần này", "this Saturday".
_NEXT_WEEK = re.compile(r"\b(?:tuan (?:sau|toi)|next week|next)\b")
_THIS_WEEK = re.compile(r"\b(?:tuan nay|this week|this)\b")
#: A weekday with "này" after it: this week's ("thứ Sáu này").
_WEEKDAY_THIS = re.compile(r"\b(thu (?:hai|ba|tu|nam|sau|bay|[2-7])|chu nhat|cn|t[2-7]) nay\b")


def _monday(today: date, weeks: int = 0) -> date:
    """The Monday of this week, or of `weeks` later."""
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def _last_of_month(today: date, months: int = 0) -> date:
    """The last day of this month, or of `months` later."""
    return add_months(today.replace(day=1), months + 1) - timedelta(days=1)


def _fifteenth(today: date, months: int = 0) -> date:
    """The 15th of this month, or of `months` later."""
    return add_months(today.replace(day=15), months)


def _this_weekend(today: date) -> date:
    """The weekend "cuối tuần" names: this week's Saturday; today, said on a Saturday or a
    Sunday (the weekend being now: the person means today, or is unsure, and is told)."""
    return today if today.weekday() >= 5 else _monday(today) + timedelta(days=5)


#: Spans of days said where a day is asked ("tuần sau", "cuối tháng"), read folded, and
#: the default picked for each: its name (`STATED`) and the day it gives.
_SPANS: dict[str, tuple[str, Callable[[date], date]]] = {
    **dict.fromkeys(
        (
            "tuan sau",
            "tuan toi",
            "dau tuan sau",
            "dau tuan toi",
            "next week",
            "early next week",
            "start of next week",
        ),
        ("next_week", lambda today: _monday(today, 1)),
    ),
    **dict.fromkeys(
        ("dau tuan", "start of the week", "early in the week"),
        ("next_week", lambda today: _monday(today, 1)),
    ),
    **dict.fromkeys(
        ("tuan sau nua", "tuan toi nua", "week after next", "the week after next"),
        ("week_after_next", lambda today: _monday(today, 2)),
    ),
    **dict.fromkeys(
        ("cuoi tuan", "cuoi tuan nay", "weekend", "this weekend", "the weekend"),
        ("weekend", _this_weekend),
    ),
    **dict.fromkeys(
        ("cuoi tuan sau", "cuoi tuan toi", "next weekend"),
        ("weekend", lambda today: _monday(today, 1) + timedelta(days=5)),
    ),
    **dict.fromkeys(
        ("cuoi thang", "cuoi thang nay", "end of the month", "end of month", "end of this month"),
        ("month_end", _last_of_month),
    ),
    **dict.fromkeys(
        ("cuoi thang sau", "cuoi thang toi", "end of next month"),
        ("month_end", lambda today: _last_of_month(today, 1)),
    ),
    **dict.fromkeys(
        (
            "thang sau",
            "thang toi",
            "dau thang",
            "dau thang sau",
            "dau thang toi",
            "next month",
            "early next month",
            "start of next month",
        ),
        ("next_month", lambda today: add_months(today.replace(day=1), 1)),
    ),
    **dict.fromkeys(
        ("giua thang", "giua thang nay", "mid month", "mid-month", "the middle of the month"),
        ("mid_month", lambda today: _fifteenth(today, today.day > 15)),
    ),
    **dict.fromkeys(
        ("giua thang sau", "giua thang toi", "mid next month", "the middle of next month"),
        ("mid_month", lambda today: _fifteenth(today, 1)),
    ),
    **dict.fromkeys(
        ("giua tuan", "giua tuan nay", "midweek", "mid-week", "the middle of the week"),
        ("mid_week", lambda today: _monday(today, today.weekday() > 2) + timedelta(days=2)),
    ),
    **dict.fromkeys(
        ("giua tuan sau", "giua tuan toi", "midweek next week", "the middle of next week"),
        ("mid_week", lambda today: _monday(today, 1) + timedelta(days=2)),
    ),
    **dict.fromkeys(
        ("cuoi nam", "cuoi nam nay", "end of the year", "end of year", "end of this year"),
        ("year_end", lambda today: date(today.year, 12, 31)),
    ),
}
#: The defaults a reading may pick, each told to the reader: `_SPANS`' and midnight's.
STATED = (
    "next_week",
    "week_after_next",
    "next_weekday",
    "weekend",
    "weekend_today",
    "month_end",
    "next_month",
    "year_end",
    "month_day",
    "month_start",
    "mid_month",
    "mid_week",
    "midnight",
    "midnight_day",
    "after_midnight",
    "day_start",
    "afternoon",
)
#: The hours said without a part of the day that, on a day to come, people mean in the
#: afternoon: "mai 3h" is 15:00 (said back, with how to ask for 03:00), never the night.
AFTERNOON_HOURS = range(1, 7)
#: An hour written with its leading zero ("02:30", "03h"): the 24-hour clock's, as written.
_CLOCK_OF_24 = re.compile(r"(?<!\d)0\d[:h]")
#: The default of a moment at 00:00 said by its hour ("0h mai", "12am tomorrow"): the start
#: of that day, told with the night it ends, since some mean the night after.
DAY_START = "day_start"


def _split_off(text: str, names: Iterable[str]) -> tuple[str, str] | None:
    """The longest of `names` said at the start or at the end of `text`, and what is said
    beside it; None if none is."""
    for name in sorted(names, key=len, reverse=True):
        if text == name or text.startswith(name + " "):
            return name, text[len(name) :].strip()
        if text.endswith(" " + name):
            return name, text[: -len(name)].strip()
    return None


def _named_day(text: str, today: date) -> tuple[date, str, str | None] | None:
    """A day said by name (mai, thứ Hai, tomorrow…) or a span of days (`_SPANS`) with what
    is said beside it, before or after (the time, if any), and the default picked for a
    span; None if no day is named. A weekday is the next one to come: "thứ Hai" said on a
    Monday is the Monday after; with "tuần sau" ("Friday next week", "next Friday"), the one
    of next week, whichever day today is (a bare "next" that could mean this week's is told:
    `next_weekday`); with "tuần này" ("this Friday"), this week's."""
    nexts = _NEXT_WEEK.findall(text)
    rest, next_week = _NEXT_WEEK.sub("", text), len(nexts)
    rest, this_week = _THIS_WEEK.subn("", _WEEKDAY_THIS.sub(r"\1 this", rest))
    found = _split_off(" ".join(rest.split()), {*_DAYS_FROM_TODAY, *_WEEKDAY_NAMES})
    if found is None:
        span = _split_off(text, _SPANS)
        if span is None:
            return None
        default, day = _SPANS[span[0]]
        meant = day(today)
        on_it = default == "weekend" and meant == today
        return meant, span[1], "weekend_today" if on_it else default
    name, said = found
    if name in _DAYS_FROM_TODAY:
        if next_week or this_week:
            return None
        return today + timedelta(days=_DAYS_FROM_TODAY[name]), said, None
    coming = today + timedelta(days=(_WEEKDAY_NAMES[name] - today.weekday() - 1) % 7 + 1)
    if next_week or this_week:
        meant = _monday(today, 1 if next_week else 0) + timedelta(days=_WEEKDAY_NAMES[name])
        # "next Friday" said while this week's is still to come may mean either: told
        return meant, said, "next_weekday" if "next" in nexts and meant != coming else None
    return coming, said, None


class _Said(NamedTuple):
    """What a typed moment says: its day, its time if any, the part of the day said (am,
    pm…), and the default picked for what it leaves open (`STATED`)."""

    day: date
    at: time | None
    part: str | None
    default: str | None
    end_of_day: bool = False
    alone: bool = False  # a time said without its day: today's


def _said(folded: str, today: date, wrong_side: timedelta) -> _Said:
    """Read a day and a time (either may be left out) from folded text."""
    text = _PARTS_OF_TODAY.sub(lambda m: f"{m[1] or 'evening'} today", folded)
    text = _EARLY_MORNING.sub("sang", text)
    text, month_part = _part_of_month(text, today)
    text, month_left_out = _day_of_month(_month_named(text), today)
    month_left_out = month_left_out or month_part
    text = _DOTTED_TIME.sub(r"\1:\2\3", _day_from_now(text, today))
    text = _MINUTES_TO.sub(_minutes_to, _HALF_PAST.sub(r"\1h30", text))
    text = " ".join(_FILLERS.sub(" ", _HOURS_SAID.sub(r"\1h\2", text)).split())
    text, midnight = _MIDNIGHT.subn("", text)
    text, end_of_day = _END_OF_DAY.subn("", text)
    text, part = _part_of_day(" ".join(text.split()))
    if not text and (part or midnight or end_of_day):
        text = "today"
    said = _day_and_time(text, today, wrong_side)
    if part in ("evening", "night") and said.at == time(12):  # "12 giờ tối mai": midnight
        said, part, midnight = said._replace(at=None), None, 1
    if part in ("evening", "night") and said.at and said.at.hour == 12 and not midnight:
        # "12h30 đêm": just past the midnight at the end of the day said
        return _Said(said.day + timedelta(days=1), said.at.replace(hour=0), None, "after_midnight")
    if midnight:
        if said.at is not None or part not in (None, "evening", "night"):  # "midnight tonight"
            raise InvalidInput("error.bad_date")
        tonight = "midnight" if said.day == today else "midnight_day"  # another: told the eve
        return _Said(said.day + timedelta(days=1), time(0), None, tonight)
    if end_of_day:
        if said.at is not None or part is not None:
            raise InvalidInput("error.bad_date")
        return said._replace(at=END_OF_DAY, end_of_day=True)
    if part is not None and said.at is not None:
        said = said._replace(at=_in_part_of_day(said.at, part))
    if part is None and said.day != today and not _CLOCK_OF_24.search(text):
        said = _afternoon(said)
    if said.at == time(0) and said.default is None:  # "0h mai"; "0h" alone: the night to come
        said = said._replace(default=DAY_START, day=said.day + timedelta(days=said.alone))
    return said._replace(part=part, default=said.default or month_left_out)


def _afternoon(said: _Said) -> _Said:
    """An hour of the night said bare with a day to come ("mai 3h", "thứ 6 2 rưỡi"): the
    afternoon's, said back, unless the words picked a default of their own to say."""
    if said.at is None or said.at.hour not in AFTERNOON_HOURS:
        return said
    at = said.at.replace(hour=said.at.hour + 12)
    return said._replace(at=at, default=said.default or "afternoon")


def _day_and_time(text: str, today: date, wrong_side: timedelta) -> _Said:
    """A day named (`_named_day`) or written (25/12), both ("thứ 6 27/11": `_weekday_dated`),
    and a time before or after it; or a time alone, today."""
    dated = _weekday_dated(text, today, wrong_side)
    if dated is not None:
        return dated
    named = _named_day(text, today)
    if named is not None:
        day, at, default = named
        return _Said(day, _parse_time(at) if at else None, None, default)
    parts = text.split()
    if len(parts) == 1:
        found = _parse_date(text, today, True, wrong_side)
        if found is not None:
            return _Said(found, None, None, None)
        return _Said(today, _parse_time(text), None, None, alone=True)
    if len(parts) == 2:
        for written, at in (parts, parts[::-1]):  # "25/12 10h" or "10h 25/12"
            found = _parse_date(written, today, True, wrong_side)
            if found is not None:
                return _Said(found, _parse_time(at), None, None)
    raise InvalidInput("error.bad_date")


def _weekday_dated(
    text: str, today: date, wrong_side: timedelta, ahead: bool = True
) -> _Said | None:
    """A weekday said with its date ("thứ 6 27/11", "Friday 27 Nov 10am"): the date, if it
    falls on that weekday; if not, refused naming the weekday the date falls on and the date
    of the weekday said nearest to it, either of which may be meant. None if not said so. A
    date without its year is read on the side asked (`ahead`: to come; else gone by)."""
    found = _split_off(text, _WEEKDAY_NAMES)
    if found is None:
        return None
    name, rest = found
    words = rest.split()
    for written, at in ((words[:1], words[1:]), (words[-1:], words[:-1])):
        day = _parse_date(written[0], today, ahead, wrong_side) if written else None
        if day is None or len(at) > 1:
            continue
        said, clock = Weekday(_WEEKDAY_NAMES[name]), _parse_time(at[0]) if at else None
        if day.weekday() != said:  # the time read first: only a time is quoted back
            raise _not_that_weekday(day, said, today, " ".join(at), ahead)
        return _Said(day, clock, None, None)
    return None


def _not_that_weekday(day: date, said: Weekday, today: date, at: str, ahead: bool) -> InvalidInput:
    """Why a weekday and a date that are two days are refused: what the date is, and the
    weekday said nearest to it (on the side asked: to come, or gone by) — each written to be
    typed again with the time."""
    nearest = day + timedelta(days=(said - day.weekday() + 3) % 7 - 3)
    if ahead and nearest < today:
        nearest += timedelta(days=7)
    if not ahead and nearest > today:
        nearest -= timedelta(days=7)
    typed = {"day_typed": f"{day:%d/%m}", "nearest_typed": f"{nearest:%d/%m}"}
    if at:
        typed = {name: f"{written} {at}" for name, written in typed.items()}
    return InvalidInput(
        "error.weekday_not_date", day=day, weekday=Weekday(day.weekday()), said=said, **typed
    )


def read_day_named(word: str, today: date) -> date | None:
    """A day as a report or a case list names one: a whole date, one without its year (the
    nearest, as a past date's: "30/11" typed on 23 November is this year's, "28/12" typed in
    early January last year's), or by name, today or yesterday (hôm nay, hôm qua); None if
    the word names no day."""
    key = search_key(typed(word))
    back = _DAYS_AGO.get(key)
    if back is not None:
        return today - timedelta(days=back)
    return _parse_date(key, today, ahead=False)


def _passed(said: _Said | None, at: time, now: datetime) -> InvalidInput:
    """Why a moment that has passed is refused: the end of today's work gone, as its button
    says; today alone once its usual hour is gone (at what time, then?); a time earlier
    today, with the one of this afternoon or evening it may mean; else, that it has passed."""
    if said is None or said.day != now.date():
        return InvalidInput("error.date_in_past")
    if said.end_of_day:
        return InvalidInput("error.today_end_passed", hour=f"{END_OF_DAY:%H:%M}")
    if said.at is None:
        return InvalidInput("error.today_needs_time", example=f"{min(now.hour + 2, 23):02d}:00")
    later = at.replace(hour=at.hour + 12) if 0 < at.hour < 12 and said.part is None else None
    if later is not None and later > now.time():
        return InvalidInput("error.time_passed_today", time=f"{at:%H:%M}", later=f"{later:%H:%M}")
    return InvalidInput("error.time_passed", time=f"{at:%H:%M}")


def on_clock(day: date, at: time, tz: ZoneInfo) -> datetime | None:
    """The moment a clock in `tz` shows `at` on `day` (the first time, in an hour the clocks
    go through twice); None if it never does (the hour skipped when summer time begins)."""
    when = datetime.combine(day, at, tzinfo=tz)
    back = when.astimezone(UTC).astimezone(tz)
    return when if back.replace(tzinfo=None) == when.replace(tzinfo=None) else None


#: A year alone, read folded: 2019, năm 2019, in 2019.
_YEAR = re.compile(r"^(?:nam |in )?(?P<y>\d{4})$")


def parse_past_date(raw: str, today: date) -> date:
    """Read a day that is not in the future, such as the day an incident happened: also
    said by name (hôm nay, hôm qua, hôm kia, thứ Hai; today, yesterday, Monday: the last
    one gone). A year alone is not a day
    (a customer's start may be one: `parse_since`). What cannot be read is refused with
    examples of days gone by, not of times to come."""
    with _refused_as("error.bad_past_date", raw, "error.vague_day_past"):
        return _past_day(raw, today)


def _days_back(key: str, today: date) -> int | None:
    """How many days ago a day said by name (`key` folded) was: hôm qua, yesterday; a
    weekday is the last one gone ("thứ Hai" said on a Monday is the Monday before). A day to
    come said by name (mai, tomorrow) is refused as one; None if no day is named."""
    if key in _WEEKDAY_NAMES:
        return (today.weekday() - _WEEKDAY_NAMES[key] - 1) % 7 + 1
    if _DAYS_FROM_TODAY.get(key):
        raise InvalidInput("error.date_in_future")
    return _DAYS_AGO.get(key)


@contextmanager
def _refused_as(key: str, raw: str, vague: str) -> Iterator[None]:
    """Refuse what could not be read as a date with `key`, whose examples fit the question;
    words that name no one day ("mấy hôm trước", `VAGUE`) with `vague`, quoting them, whose
    examples fit it too; a lunar day or Tết (`_no_lunar_day`) saying the bot cannot count
    them."""
    _no_lunar_day(raw)
    try:
        yield
    except InvalidInput as err:
        if err.key != "error.bad_date":
            raise
        if VAGUE.search(search_key(typed(raw))):
            raise InvalidInput(vague, typed=_quoted_day(raw)) from None
        raise InvalidInput(key) from None


#: Words that leave the day open, read folded, once what was typed could not be read as one:
#: a count left open (mấy hôm, vài ngày, ít bữa, a few days), a day said only as near or far
#: (hôm trước, hôm nọ, bữa trước, gần đây, dạo này, lâu rồi, sớm, mai mốt, sắp tới, recently,
#: the other day, soon), a week, a month or a year without its day (tuần trước, trong tháng,
#: đầu năm, last week), or not known yet (chưa biết). Refused saying so, with the exact forms
#: the question takes: never a day picked for them.
VAGUE = re.compile(
    r"\b(?:may|vai|it|dam|mot vai|mot it|a few|a couple of|several|some|few)"
    r" (?:hom|ngay|bua|tuan|thang|nam|days?|weeks?|months?|years?)\b"
    r"|\b(?:hom (?:truoc|no|bua|do)|bua (?:truoc|do|no|hom)|gan day|dao (?:nay|truoc|do)"
    r"|hoi (?:truoc|xua|do)|lau (?:roi|lam|nay)|(?<!sang )som(?! mai)|mai mot|sap toi|sau nay"
    r"|thoi gian toi"
    r"|(?:tuan|thang) (?:truoc|roi|nay)|trong (?:tuan|thang|nam)|nam (?:nay|ngoai|truoc|sau)"
    r"|(?:dau|giua|cuoi) nam|khi nao|bao gio|chua (?:biet|ro|hen|chot)|k(?:hong|o) (?:biet|ro)"
    r"|recently|lately|a while|the other day|ages ago|soon|some ?day|sometime|later"
    r"|(?:last|this|next) (?:week|month|year)|not sure|don'?t know)\b"
)
#: A day of the lunar calendar or of Tết, read folded: sau Tết, mùng 5 Tết, rằm tháng
#: Giêng, 15/1 âm lịch (15/1 ÂL), tháng Chạp, lunar. The bot keeps no lunar calendar: such
#: a day is refused asking for the solar one, never read as a solar day of that number.
_LUNAR = re.compile(r"\b(?:tet|am lich|al|ram|thang (?:gieng|chap)|lunar(?: calendar)?)\b")
#: How much of a day typed is quoted back in its refusal.
QUOTED_DAY = 60


def _quoted_day(raw: str) -> str:
    return one_line(typed(raw), QUOTED_DAY)


def _no_lunar_day(raw: str) -> None:
    """Refuse a day said on the lunar calendar or by Tết (`_LUNAR`), quoting it."""
    if _LUNAR.search(search_key(typed(raw))):
        raise InvalidInput("error.lunar_day", typed=_quoted_day(raw))


def _past_day(raw: str, today: date) -> date:
    text = typed(raw)
    said = _past_said(search_key(text))
    back = _days_back(said, today)
    day = today - timedelta(days=back) if back is not None else _gone_by(said, today)
    dated = _weekday_dated(said, today, WRONG_SIDE, ahead=False)
    day = day or (dated.day if dated else None)
    key = _day_of_month(_month_named(said), today, ahead=False)[0]
    day = day or _parse_date(key, today, ahead=False)
    if day is None and _YEAR.match(search_key(text)):
        raise InvalidInput("error.day_needed")
    if day is None:
        raise InvalidInput("error.bad_date")
    if day > today:
        raise InvalidInput("error.date_in_future")
    return day


#: What is said of a day gone by beside it and not kept, read folded: the time ("lúc 3h",
#: "15:30", "at 3pm") and the part of the day ("sáng", "tối", "in the morning"), so that
#: "tối hôm qua 8h" is yesterday; "sáng nay", "this morning" and "last night" name their day.
_PAST_TIME = re.compile(
    r"\b(?:luc |at |vao |khoang )?\d{1,2}(?:h\d{0,2}|:\d{2}| ?(?:gio|g)(?: ?\d{2})?(?: ?ruoi)?"
    r"| ?(?:am|pm))(?: ?ruoi)?(?=\s|$)"
)
_PAST_PARTS = re.compile(
    r"\b(?:buoi |in the )?(?:sang|trua|chieu|toi|dem|khuya|morning|afternoon|evening)\b"
)
_PAST_NAMED = {
    **dict.fromkeys(("nay", "this", "tonight"), "hom nay"),
    **dict.fromkeys(("last night", "hom", "bua qua"), "hom qua"),
    "bua nay": "hom nay",
}


def _past_said(key: str) -> str:
    """A day gone by as typed (folded), without the time and the part of the day said with
    it; "sáng nay" is "hôm nay", "đêm qua" "qua", "hôm thứ 6" and "thứ 6 vừa rồi" "thứ 6"."""
    bare = " ".join(_PAST_PARTS.sub(" ", _PAST_TIME.sub(" ", key.replace(",", " "))).split())
    bare = _PAST_NAMED.get(bare, bare)
    weekday = re.sub(r"^hom | (?:vua roi|vua qua|gan nhat|roi)$", "", bare)  # "thứ 6 vừa rồi"
    return weekday if weekday in _WEEKDAY_NAMES else bare


#: A day gone by counted back from today, read folded: 3 ngày trước, 2 hôm trước, 1 tuần
#: trước, 2 tháng trước, 5 days ago, a week ago.
_AGO = re.compile(
    r"^(?P<n>\d{1,3}|mot|a|an|one) (?P<unit>ngay|hom|tuan|thang|days?|weeks?|months?)"
    r" (?:truoc|truoc day|ago|roi)$"
)
#: A weekday of last week, read folded: thứ 6 tuần trước, T6 tuần rồi, Friday last week,
#: last Friday; of this week: thứ 2 tuần này, this Monday.
_WEEKDAY_WORDS = "|".join(sorted(_WEEKDAY_NAMES, key=len, reverse=True))
_WEEKDAY_OF_WEEK = re.compile(
    rf"^(?:(?P<day>{_WEEKDAY_WORDS}) (?P<week>tuan truoc|tuan roi|last week|tuan nay|this week)"
    rf"|(?P<which>last|this) (?P<named>{_WEEKDAY_WORDS}))$"
)
#: Days gone by named by a part of a week or a month, read folded.
_PAST_SPANS: dict[str, Callable[[date], date]] = {
    **dict.fromkeys(("dau tuan", "dau tuan nay", "early this week"), _monday),
    **dict.fromkeys(
        ("cuoi tuan truoc", "cuoi tuan roi", "last weekend"),
        lambda today: _monday(today, -1) + timedelta(days=5),
    ),
    **dict.fromkeys(
        ("dau thang", "dau thang nay", "early this month"), lambda today: today.replace(day=1)
    ),
    **dict.fromkeys(
        ("cuoi thang truoc", "cuoi thang roi", "end of last month"),
        lambda today: today.replace(day=1) - timedelta(days=1),
    ),
}


def _gone_by(said: str, today: date) -> date | None:
    """A day gone by counted back (`_AGO`), a weekday of last week or this (`_WEEKDAY_OF_WEEK`),
    or named by a part of a week or a month (`_PAST_SPANS`); None if none is said."""
    if said in _PAST_SPANS:
        return _PAST_SPANS[said](today)
    ago = _AGO.match(said)
    if ago is not None:
        count = 1 if ago["n"] in _ONE else int(ago["n"])
        unit = _FROM_NOW_UNITS.get(ago["unit"], "day")
        if unit == "month":
            return add_months(today, -count)
        return today - timedelta(days=count * (7 if unit == "week" else 1))
    week = _WEEKDAY_OF_WEEK.match(said)
    if week is None:
        return None
    name = week["day"] or week["named"]
    last = (week["week"] or week["which"]) in ("tuan truoc", "tuan roi", "last week", "last")
    return _monday(today, -1 if last else 0) + timedelta(days=_WEEKDAY_NAMES[name])


#: A month said with its year, read folded: 3/2019, 03-2019, 2019-03, tháng 3/2019, tháng 3
#: năm 2019, T3/2019; and in English, March 2019 or Mar 2019.
_MONTH_FORMS = (
    re.compile(r"^(?:thang |t)?(?P<m>\d{1,2}) ?(?:[/.\-]|nam) ?(?P<y>\d{4})$"),
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$"),
    re.compile(r"^(?P<name>[a-z]{3,9})\.?,? (?P<y>\d{4})$"),
)
_MONTHS = "january february march april may june july august september october november december"
MONTH_NAMES = {
    **{name: number for number, name in enumerate(_MONTHS.split(), start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS.split(), start=1)},
    "sept": 9,
}
_MONTH_WORDS = "|".join(sorted(MONTH_NAMES, key=len, reverse=True))
#: A day written with its month's name or its number in words, read folded: "30 Dec",
#: "30th of December 2026", "Dec 30, 2026", "30 tháng 12", "30 tháng 12 năm 2026".
_MONTH_IN_WORDS = (
    re.compile(r"\b(?P<d>\d{1,2}) thang (?P<m>\d{1,2})(?: nam (?P<y>\d{4}))?\b"),
    re.compile(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<name>{_MONTH_WORDS})\b\.?"
        r"(?:,? (?P<y>\d{4})\b)?"
    ),
    re.compile(
        rf"\b(?P<name>{_MONTH_WORDS})\.? (?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
        r"(?:,? (?P<y>\d{4})\b)?"
    ),
)


def _month_named(text: str) -> str:
    """Days written with their month in words (`_MONTH_IN_WORDS`) written as numbers are:
    "30 Dec" → "30/12", "Dec 30, 2026" → "30/12/2026"."""

    def as_numbers(match: re.Match[str]) -> str:
        named = match.groupdict()
        month = named.get("m") or MONTH_NAMES[named["name"]]
        return f"{match['d']}/{month}" + (f"/{match['y']}" if match["y"] else "")

    for form in _MONTH_IN_WORDS:
        text = form.sub(as_numbers, text)
    return text


#: A part of a month named by its number or its name: "cuối tháng 12", "đầu tháng 1", "giữa
#: tháng 3 năm 2027", "end of December", "early January", "mid-March" — never its number
#: read as an hour. Its day: the last, the first or the 15th, and the default said of it.
_PART_OF_MONTH = re.compile(
    r"\b(?:(?P<vi>cuoi|dau|giua) thang (?P<n>\d{1,2})(?! ?(?:gio|g|h|[/.:]\d))"
    r"(?: nam (?P<y>\d{4}))?"
    r"|(?:the )?(?P<en>end|start|beginning|middle|mid|early|late)(?: of | ?- ?| )"
    rf"(?P<name>{_MONTH_WORDS})"
    r"(?:,? (?P<year>\d{4}))?)\b"
)
_MONTH_PARTS = {
    **dict.fromkeys(("cuoi", "end", "late"), (-1, "month_end")),
    **dict.fromkeys(("dau", "start", "beginning", "early"), (1, "month_start")),
    **dict.fromkeys(("giua", "middle", "mid"), (15, "mid_month")),
}


def _part_of_month(text: str, today: date) -> tuple[str, str | None]:
    """Text with a part of a month named (`_PART_OF_MONTH`) written as the day it gives
    ("cuối tháng 12" → "31/12/2026"), the month the next to begin from this one without its
    year, and the default said of it; else the text as it is, and None."""
    match = _PART_OF_MONTH.search(text)
    if match is None:
        return text, None
    month = int(match["n"]) if match["n"] else MONTH_NAMES[match["name"]]
    if not 1 <= month <= 12:
        return text, None
    said_year = match["y"] or match["year"]
    year = int(said_year) if said_year else today.year + (month < today.month)
    day, default = _MONTH_PARTS[match["vi"] or match["en"]]
    first = checked_day(year, month, 1)
    meant = _last_of_month(first) if day < 0 else first.replace(day=day)
    return f"{text[: match.start()]}{meant:%d/%m/%Y}{text[match.end() :]}", default


def parse_since(raw: str, today: date) -> str:
    """Read when someone became a customer, keeping only as much as was said: a year
    ("2019", "năm 2019"), a month ("3/2019", "tháng 3/2019", "March 2019") or a day (as
    `parse_past_date` reads one) — written back in ISO 8601 with as much ("2019",
    "2019-03", "2019-03-15"; see `flows.model.day_said`). Not in the future: this year, or
    this month, is accepted; "từ" or "since" before it is read as said ("từ năm 2019").
    What cannot be read is refused with examples of all three."""
    with _refused_as("error.bad_since", raw, "error.vague_since"):
        return _since(raw, today)


#: The word an answer to "since when?" may begin with: từ (năm) 2019, since 2019, from 2019.
_SINCE_WORD = re.compile(r"^(?:từ|tu|since|from)\s+", re.IGNORECASE)


#: How long someone has been a customer, said as a count back from today, read folded: "2
#: năm", "2 năm nay", "được 3 năm rồi", "hơn 2 năm", "khoảng 6 tháng", "5 years", "for 5
#: years", "5 years ago", "about 6 months"; and "năm ngoái", "tháng trước", "last year".
_HOW_LONG = re.compile(
    r"^(?:(?:duoc|da|for|about|around|over|more than|hon|khoang|gan|chung) )*"
    r"(?P<n>\d{1,2}) (?P<unit>nam|thang|years?|months?)"
    r"(?: (?:nay|roi|truoc|ago|now|nay roi|truoc day))*$"
)
_LAST_ONE = {"nam ngoai": (1, 0), "nam truoc": (1, 0), "last year": (1, 0)}
_LAST_ONE |= {"thang truoc": (0, 1), "last month": (0, 1)}


def _how_long(key: str, today: date) -> str | None:
    """When someone became a customer said as how long ago (`_HOW_LONG`): that year, or that
    month for months, as much as was said; None if not said so."""
    match = _HOW_LONG.match(key)
    if match is not None:
        count = int(match["n"])
        years, months = (count, 0) if match["unit"].startswith(("nam", "year")) else (0, count)
    elif key in _LAST_ONE:
        years, months = _LAST_ONE[key]
    else:
        return None
    day = add_months(today, -(12 * years + months))
    return as_said(day, Precision.month if months else Precision.year)


def _since(raw: str, today: date) -> str:
    raw = _SINCE_WORD.sub("", typed(raw), count=1)
    how_long = _how_long(search_key(raw), today)
    if how_long is not None:
        return how_long
    said = _year_or_month(search_key(raw))
    if said is None:
        return _past_day(raw, today).isoformat()
    if said[0] > today:
        raise InvalidInput("error.date_in_future")
    return as_said(*said)


def _year_or_month(key: str) -> tuple[date, Precision] | None:
    """The first day of a year or a month said alone (`key` folded), and which; None for
    anything else (a day, or what is not a date)."""
    year = _YEAR.match(key)
    if year:
        return checked_day(int(year["y"]), 1, 1), Precision.year
    for form in _MONTH_FORMS:
        month = form.match(key)
        if month is None:
            continue
        number = MONTH_NAMES.get(month["name"]) if "name" in form.groupindex else month["m"]
        return (
            None
            if number is None
            else (checked_day(int(month["y"]), int(number), 1), Precision.month)
        )
    return None


QUICK_TIMES = {
    "in_1h": lambda now, tz, hour: now + timedelta(hours=1),
    "in_2h": lambda now, tz, hour: now + timedelta(hours=2),
    "today_end": lambda now, tz, hour: _today_at(now, tz, END_OF_DAY.hour),
    "tomorrow": lambda now, tz, hour: _local(now, tz, 1, hour),
    "in_3_days": lambda now, tz, hour: _local(now, tz, 3, hour),
    "in_a_week": lambda now, tz, hour: _local(now, tz, 7, hour),
    "in_2_weeks": lambda now, tz, hour: _local(now, tz, 14, hour),
    "in_a_month": lambda now, tz, hour: _local(now, tz, 0, hour, months=1),
}


def _today_at(now: datetime, tz: ZoneInfo, hour: int) -> datetime:
    """That hour today; refused once it has passed (a button drawn earlier in the day)."""
    when = datetime.combine(now.astimezone(tz).date(), time(hour), tzinfo=tz)
    if when <= now:
        raise InvalidInput("error.today_end_passed", hour=f"{hour:02d}:00")
    return when


def quick_time_open(name: str, now: datetime, tz: ZoneInfo) -> bool:
    """Tell whether a quick time still means what its button says (17:00 today, before 17:00)."""
    try:
        QUICK_TIMES[name](now, tz, 0)
    except InvalidInput:
        return False
    return True


def _local(now: datetime, tz: ZoneInfo, days: int, hour: int, months: int = 0) -> datetime:
    """`hour` on the day `days` (and `months` calendar months) after today in `tz`."""
    day = add_months(now.astimezone(tz).date(), months) + timedelta(days=days)
    when = datetime.combine(day, time(hour), tzinfo=tz)
    return when if when > now else now + timedelta(hours=1)
