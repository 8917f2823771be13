"""Everything the bot says, per locale, from TOML files; a company may override any key."""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

SCRIPTS_DIR = Path(__file__).with_name("scripts")
LOCALES = ("vi", "en")
PLACEHOLDER = re.compile(r"\{(\w+)(?:\|[^{}|]*\|[^{}|]*)?\}")
#: A word said after a number, in its two forms: "{days} {days|day|days}" reads "1 day",
#: "2 days". Languages without plurals (Vietnamese) write the word once.
PLURAL = re.compile(r"\{(\w+)\|([^{}|]*)\|([^{}|]*)\}")
#: Placeholders for the form of address: each language uses them as its grammar needs
#: (Vietnamese repeats "chị" where English says "you"), so scripts may differ in these.
ADDRESSING = frozenset({"address", "Address", "you", "You"})
#: What every script may name (the renderer fills all of them for every script).
SCRIPT_PLACEHOLDERS = ADDRESSING | {
    "customer",
    "staff",
    "incidents",
    "complaints",
    "partners",
    "offer",
    "callback",
}
#: For a key a company adds to a table, the shipped key whose placeholders it may use.
AKIN = {"offer": "offer.of_its_own"}
_LEADING = re.compile(r"(\{\w+\})(\s+)(?=\w|\{)")
#: Where a sentence of a script ends: after . ! ? or …, before the space that follows.
_SENTENCES = re.compile(r"(?<=[.!?…])(\s+)")
#: A part of a sentence said only where its placeholders have words: "Hello[ {address}]."
#: reads "Hello Ms Mai." or, with no name to say, "Hello." (not the whole greeting dropped).
_OPTIONAL = re.compile(r"\[([^\[\]]*\{\w+\}[^\[\]]*)\]")
_TAG = re.compile(r"<[^>]*>")
#: A placeholder the script ends its sentence right after ("tham khảo {partners} ạ.", "try
#: {partners}. If…"): words typed with their own full stop ("Công ty Ánh Dương.") would end
#: it twice ("Dương. ạ.", "Dương.. If…"), so theirs is left out (`_unstopped`).
_BEFORE_THE_STOP = re.compile(r"\{(\w+)\}(?=(?:\s+ạ)?[.!?])")
#: A placeholder with the full stop right after it: dropped after words that end in "…"
#: ("try {partners}. If…" with nothing to name reads "try … If…", never "try …. If…").
_STOP_AFTER = re.compile(r"(\{(\w+)\})\.")


def plain(wording: str) -> str:
    """The text of wording without its HTML: tags dropped, entities (&amp;) read. What a
    reader sees of it — in Telegram, a terminal, a web page or a spreadsheet."""
    return html.unescape(_TAG.sub("", wording))


def flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Turn nested TOML tables into dotted keys."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


def _read(path: Path) -> dict[str, str]:
    return flatten(tomllib.loads(path.read_text(encoding="utf-8")))


def _sentences(template: str) -> list[tuple[str, str]]:
    """Split a template into (sentence, the space after it).

    A placeholder that opens a sentence and is followed by a capital, or by another such
    placeholder, is a sentence of its own ("{incidents} {complaints} Em nghĩ…": the
    incidents and the complaints are each told in a sentence of their own).
    """
    pieces = _SENTENCES.split(template)
    found: list[tuple[str, str]] = []
    for sentence, space in zip(pieces[::2], [*pieces[1::2], ""], strict=True):
        while (lead := _LEADING.match(sentence)) and _opens(sentence[lead.end()]):
            found.append((lead[1], lead[2]))
            sentence = sentence[lead.end() :]
        found.append((sentence, space))
    return found


def _opens(char: str) -> bool:
    """Tell whether what follows a leading placeholder starts a sentence of its own."""
    return char.isupper() or char == "{"


def _city(zone: str) -> str:
    """The city an IANA zone is named for ("America/New_York": "New York"); a fixed offset
    as people write it ("Etc/GMT-7", whose sign runs the POSIX way: "UTC+7")."""
    if zone.startswith("Etc/GMT") and zone[7:8] in ("+", "-"):
        return f"UTC{'-' if zone[7] == '+' else '+'}{zone[8:]}"
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def placeholders(text: str) -> set[str]:
    """Name the `{placeholders}` in a text."""
    return set(PLACEHOLDER.findall(text))


def is_script(key: str) -> bool:
    """Tell whether a key holds words read aloud to a customer."""
    return ".script" in key


def _check_placeholders(source: Path, locale: str, key: str, text: str, shipped: str) -> None:
    offered = SCRIPT_PLACEHOLDERS if is_script(key) else placeholders(shipped)
    extra = placeholders(text) - offered
    if extra:
        raise ValueError(
            f"{source}: [{locale}] {key} uses {sorted(extra)}, which the bot does not fill "
            f"there; it offers {sorted(offered) or 'none'}"
        )


def _shipped(texts: Mapping[str, str], key: str) -> str:
    """The shipped wording `key` stands for: its own, or — a key a company adds, such as how
    its own compensation type is offered — its table's general case (`AKIN`)."""
    return texts.get(key) or texts.get(AKIN.get(key.partition(".")[0], ""), "")


def _has_words(text: str, params: Mapping[str, Any]) -> bool:
    """Tell whether every placeholder of `text` has words to say (unknown ones are kept)."""
    return all(params.get(name, "?") not in ("", None) for name in placeholders(text))


def _unstopped(value: Any) -> Any:
    """Words without the full stop, question or exclamation mark they end with, if any."""
    return value.rstrip().rstrip(".!?").rstrip() if isinstance(value, str) else value


def _filled(template: str, params: Mapping[str, Any]) -> str:
    """Fill a template: each word said after a number in the form its number takes (one:
    the first), then every placeholder."""
    worded = PLURAL.sub(lambda m: m[2] if str(params.get(m[1])) == "1" else m[3], template)
    return worded.format_map(params)


class Scripts:
    """Look up wording by locale and key, filling `{placeholders}`."""

    def __init__(self, texts: dict[str, dict[str, str]], fallback: str = "en") -> None:
        self.texts = texts
        self.fallback = fallback

    @classmethod
    def load(cls, override: Path | None = None, new_keys: Iterable[str] = ()) -> Scripts:
        """Load the shipped locales, then the company's overrides (`[vi]` and `[en]` tables).

        An override may change the shipped keys, and add `new_keys`: wording the company's
        own settings call for (a compensation type of its own needs `option.<name>`).
        """
        texts = {loc: _read(SCRIPTS_DIR / f"{loc}.toml") for loc in LOCALES}
        if override is not None:
            extra = tomllib.loads(override.read_text(encoding="utf-8"))
            for loc, table in extra.items():
                if loc not in texts:
                    raise ValueError(f"{override}: unknown locale table [{loc}]")
                own = flatten(table)
                unknown = set(own) - set(texts[loc]) - set(new_keys)
                if unknown:
                    raise ValueError(f"{override}: unknown keys {sorted(unknown)[:5]}")
                for key, text in own.items():
                    _check_placeholders(override, loc, key, text, _shipped(texts[loc], key))
                texts[loc].update(own)
        return cls(texts)

    def has(self, locale: str, key: str) -> bool:
        """Tell whether `key` exists for `locale`."""
        return key in self.texts.get(locale, {})

    def get(self, locale: str, key: str, /, **params: Any) -> str:
        """Return the text for `key`, filled with `params`."""
        template = self._template(locale, key)
        return _filled(template, params) if params else template

    def say(self, locale: str, key: str, /, **params: Any) -> str:
        """Fill words read to a customer: a sentence whose placeholder is empty is left out,
        and so is a part of one in brackets (`_OPTIONAL`).

        So a script never says "—" or leaves an empty gap when, say, nothing is documented
        about the customer; nor does it end a sentence twice after words typed with their
        own full stop, or after a gap ("…") left for staff to fill.
        """
        template = _OPTIONAL.sub(
            lambda part: part[1] if _has_words(part[1], params) else "",
            self._template(locale, key),
        )
        kept = "".join(
            sentence + space
            for sentence, space in _sentences(template)
            if _has_words(sentence, params)
        ).strip()
        # words that end in "…" (a gap staff fill: "try …") end the sentence themselves
        trailing = {k for k, v in params.items() if isinstance(v, str) and v.endswith("…")}
        kept = _STOP_AFTER.sub(lambda m: m[1] if m[2] in trailing else m[0], kept)
        stopped = set(_BEFORE_THE_STOP.findall(kept))
        return _filled(kept, {k: _unstopped(v) if k in stopped else v for k, v in params.items()})

    def zone(self, locale: str, zone: str) -> str:
        """Name a time zone (an IANA identifier) in the reader's words — "giờ Việt Nam,
        UTC+7" — or, where the scripts do not name it, by its city: "Europe/Berlin" is
        "giờ Berlin", "America/New_York" "New York time"; never by the identifier itself
        (`_city`)."""
        named = f"zone.{zone}"
        if self.has(locale, named):
            return self.get(locale, named)
        return self.get(locale, "zone.other", city=_city(zone))

    def _template(self, locale: str, key: str) -> str:
        table = self.texts.get(locale) or self.texts[self.fallback]
        template = table.get(key) or self.texts[self.fallback].get(key)
        if template is None:
            raise KeyError(f"no script text for {key!r}")
        return template

    def keys(self, locale: str) -> Iterable[str]:
        """List every key of a locale."""
        return self.texts[locale].keys()

    def bind(self, locale: str) -> Callable[..., str]:
        """Return a lookup function fixed to one locale."""
        return lambda key, /, **params: self.get(locale, key, **params)
