"""Telegram-flavoured HTML: the plain text and message entities a client shows, or a refusal."""

from __future__ import annotations

from html.parser import HTMLParser

from standin.errors import CANT_PARSE, ApiError, JSONDict

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


def utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def render_html(text: str) -> tuple[str, list[JSONDict]]:
    """Return the plain text and entities Telegram derives from HTML, refusing what it refuses."""
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open_tags:
        tag = parser.open_tags[-1][0]
        unclosed = f'Can\'t find end tag corresponding to start tag "{tag}"'
        raise ApiError(400, f"{CANT_PARSE}: {unclosed}")
    entities = sorted(parser.entities, key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(parser.parts), entities


class _TelegramHtml(HTMLParser):
    """Parse Telegram-flavoured HTML into plain text and message entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.units = 0
        self.open_tags: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[JSONDict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an entity, rejecting tags Telegram does not support."""
        if tag not in _ENTITY_TYPES:
            raise ApiError(400, f'{CANT_PARSE}: Unsupported start tag "{tag}"')
        self.open_tags.append((tag, self.units, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost entity, rejecting mismatched end tags."""
        if not self.open_tags or self.open_tags[-1][0] != tag:
            raise ApiError(400, f'{CANT_PARSE}: Unexpected end tag "{tag}"')
        _, start, attrs = self.open_tags.pop()
        entity = _entity(tag, start, self.units - start, attrs)
        if entity is not None:
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        """Append visible text, counting offsets in UTF-16 code units like Telegram."""
        self.parts.append(data)
        self.units += utf16_len(data)


def _entity(tag: str, offset: int, length: int, attrs: dict[str, str | None]) -> JSONDict | None:
    """Build the message entity for one closed HTML tag, or None if it marks nothing."""
    if length == 0 or (tag == "a" and not attrs.get("href")):
        return None
    entity: JSONDict = {"type": _ENTITY_TYPES[tag], "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attrs["href"]
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id") or ""
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    return entity
