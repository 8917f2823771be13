"""Everything the bot says, per locale, from TOML files; a company may override any key."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

SCRIPTS_DIR = Path(__file__).with_name("scripts")
LOCALES = ("vi", "en")


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


class Scripts:
    """Look up wording by locale and key, filling `{placeholders}`."""

    def __init__(self, texts: dict[str, dict[str, str]], fallback: str = "en") -> None:
        self.texts = texts
        self.fallback = fallback

    @classmethod
    def load(cls, override: Path | None = None) -> Scripts:
        """Load the shipped locales, then the company's overrides (`[vi]` and `[en]` tables)."""
        texts = {loc: _read(SCRIPTS_DIR / f"{loc}.toml") for loc in LOCALES}
        if override is not None:
            extra = tomllib.loads(override.read_text(encoding="utf-8"))
            for loc, table in extra.items():
                if loc not in texts:
                    raise ValueError(f"{override}: unknown locale table [{loc}]")
                unknown = set(flatten(table)) - set(texts[loc])
                if unknown:
                    raise ValueError(f"{override}: unknown keys {sorted(unknown)[:5]}")
                texts[loc].update(flatten(table))
        return cls(texts)

    def has(self, locale: str, key: str) -> bool:
        """Tell whether `key` exists for `locale`."""
        return key in self.texts.get(locale, {})

    def get(self, locale: str, key: str, /, **params: Any) -> str:
        """Return the text for `key`, filled with `params`."""
        table = self.texts.get(locale) or self.texts[self.fallback]
        template = table.get(key) or self.texts[self.fallback].get(key)
        if template is None:
            raise KeyError(f"no script text for {key!r}")
        return template.format_map(params) if params else template

    def keys(self, locale: str) -> Iterable[str]:
        """List every key of a locale."""
        return self.texts[locale].keys()

    def bind(self, locale: str) -> Callable[..., str]:
        """Return a lookup function fixed to one locale."""
        return lambda key, /, **params: self.get(locale, key, **params)
