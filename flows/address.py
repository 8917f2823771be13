"""How staff address a customer: an optional title and a given name.

Vietnamese speech addresses a person by title and given name ("chị Mai", "anh Hùng"),
and the given name is usually the last word of the full name ("Nguyễn Thị Mai" → "Mai");
written in Western order ("Mai Pham", "John Smith") it is the first.
Staff may put the title before the name when they type it ("chị Nguyễn Thị Mai"), and
change the title or the given name later ("chị Mai", "anh", "quý khách").

For a business, the title and given name are those of the contact person, if known; with
no contact known, the company itself is addressed ("quý công ty"), in every script.
"""

from __future__ import annotations

from dataclasses import dataclass

from flows.model import Customer, CustomerKind
from flows.parsing import search_key, search_term

TITLES = ("anh", "chi", "quy_khach")

#: Words that mean a title when typed before a name, in any case ("Chị Mai", as a phone's
#: keyboard capitalises it), and the title each stands for.
_TITLE_WORDS: dict[str, str | None] = {
    "anh": "anh",
    "chị": "chi",
    "quý khách": "quy_khach",
    "mr": "anh",
    "mr.": "anh",
    "ms": "chi",
    "ms.": "chi",
    "mrs": "chi",
    "mrs.": "chi",
    # Kinship titles the scripts do not speak with: they keep the hotline's register (staff
    # as "em", the customer as "anh" or "chị"), so each is read for what it tells of the
    # customer, a man or a woman, if anything ("em", "bác": nothing).
    "cô": "chi",
    "bà": "chi",
    "chú": "anh",
    "ông": "anh",
    "bác": None,
    "em": None,
}
#: Titles that are also the first word of names ("Anh Thư", Ông as a family name): titles
#: in lower case, or before a full name that starts with its family name (`_full_name`).
_NAMES_TOO = frozenset(("anh", "ông"))
#: Titles typed without their marks, as a keyboard without Vietnamese writes them ("chi Mai",
#: "co Lan"): read so in lower case only, since "Chi" with a capital is a given name too.
_UNMARKED = {
    "chi": "chị",
    "co": "cô",
    "chu": "chú",
    "ong": "ông",
    "bac": "bác",
    "quy khach": "quý khách",
}
#: The titles the scripts speak with as typed; any other is read for one of them (`Naming`).
_SPOKEN = frozenset(("anh", "chị", "quý khách", "mr", "mr.", "ms", "ms.", "mrs", "mrs."))


@dataclass(frozen=True)
class Naming:
    """What typed text says about a customer's name: a title and the rest; `said`, a title
    typed that the scripts do not speak with ("cô"), read as `title`."""

    title: str | None
    rest: str
    titled: bool = False  # a title was typed (`title` None: one that tells nothing, "em")
    said: str | None = None


def read_title(text: str) -> Naming:
    """Split an optional title from the start: "chị Nguyễn Thị Mai" → chi, "Nguyễn Thị Mai";
    "Cô Lan" → chi, "Lan", said "Cô"; "chi Mai", typed without marks, → chi, "Mai". "Anh"
    or "Ông" with a capital, as a phone's keyboard writes it, is a title before a full name
    ("Anh Trần Văn Hùng"), a name otherwise ("Anh Thư", "Ông Văn Tùng")."""
    words = text.split()
    for size in (2, 1):
        head = " ".join(words[:size])
        capital = head != head.lower()
        word = head.lower() if capital else _UNMARKED.get(head, head)
        if len(words) < size or word not in _TITLE_WORDS:
            continue
        if word in _NAMES_TOO and capital and not _full_name(words[size:]):
            continue
        said = None if word in _SPOKEN else (word if head in _UNMARKED else head)
        return Naming(_TITLE_WORDS[word], " ".join(words[size:]), titled=True, said=said)
    return Naming(None, text.strip())


def _full_name(words: list[str]) -> bool:
    """Tell whether words are a full name in Vietnamese order: a family name, then more."""
    return len(words) > 1 and search_key(words[0]) in FAMILY_NAMES


#: The titles a search leaves out, folded as searches are: whatever their case or marks.
_SEARCHED_TITLES = frozenset(search_key(word) for word in _TITLE_WORDS)


def customer_search(text: str, limit: int) -> str:
    """What to search customers for in what staff typed: a title before the name is
    left out whatever its case or marks ("Chị Hương", "chi huong" find Nguyễn Thị Hương,
    "Ms Huong" and "MR HUNG" alike, stored without it), a phone number is read in any of its
    forms (`flows.parsing.search_term`). A name that starts like a title ("Anh Thư") is
    still found: the rest of it is searched for."""
    words = text.split()
    for size in (2, 1):
        if len(words) > size and search_key(" ".join(words[:size])) in _SEARCHED_TITLES:
            return search_term(" ".join(words[size:]), limit)
    return search_term(text, limit)


#: Common Vietnamese family names, folded (no marks, đ as d). Names that are as often given
#: names ("Mai", "Lan", "Hà") are left out: the order of "Mai Pham" then tells.
# fmt: off
FAMILY_NAMES = frozenset((
    "au", "bach", "bui", "cao", "chau", "dam", "dang", "dao", "dinh", "do", "doan", "duong",
    "giang", "han", "hoang", "ho", "hua", "huynh", "kha", "khong", "khuc", "kieu", "lac",
    "lai", "lam", "le", "lieu", "luong", "luu", "ly", "mac", "mach", "nghiem", "ngo", "nguyen",
    "ninh", "nong", "ong", "phan", "pham", "phi", "phung", "quach", "quan", "ta", "tang",
    "thach", "thai", "tieu", "to", "ton", "tong", "tran", "trieu", "trinh", "truong", "vi",
    "vo", "vu", "vuong",
))
# fmt: on


#: Given names said with the word before them: "Anh" alone would be heard as the title
#: ("anh Anh"), so "Nguyễn Tuấn Anh" is "Tuấn Anh", "Vũ Thị Lan Anh" "Lan Anh".
_SAID_WITH_THE_WORD_BEFORE = frozenset(("anh",))
#: The middle words of a man's or a woman's name, which no one is called by ("Trần Văn Anh").
_MIDDLE_WORDS = frozenset(("van", "thi"))


def default_given_name(name: str) -> str:
    """The given name in a full name: the last word in Vietnamese order, the first in
    Western order. A name written with marks (any letter beyond plain ASCII), or starting
    with a family name, is in Vietnamese order ("Nguyễn Thị Mai", "Nguyen Van An" → the
    last word); one in plain letters that does not ("Mai Pham", "John Smith") is Western
    (the first word). A last word "Anh" is said with the one before it, unless that is a
    middle word ("Nguyễn Tuấn Anh" → "Tuấn Anh": never "anh Anh"; "Trần Văn Anh" → "Anh").
    Staff can change it on the customer's card."""
    words = name.split()
    if len(words) < 2:
        return words[0] if words else ""
    if not name.isascii() or search_key(words[0]) in FAMILY_NAMES:  # Vietnamese order
        said_whole = len(words) > 2 and search_key(words[-1]) in _SAID_WITH_THE_WORD_BEFORE
        return " ".join(words[-2:]) if said_whole and _names(words[-2]) else words[-1]
    return words[0]


def _names(word: str) -> bool:
    """Tell whether a word before the last of a Vietnamese name is part of what a person is
    called ("Tuấn" in Nguyễn Tuấn Anh), not the middle word of a man's or woman's name."""
    return search_key(word) not in _MIDDLE_WORDS


def given_name(customer: Customer) -> str:
    """The name staff call the customer (or a business's contact person) by; may be empty
    (a business with no contact known, a customer forgotten)."""
    if customer.forgotten:
        return ""
    if customer.given_name:
        return customer.given_name
    if customer.kind == CustomerKind.business:
        return ""
    return default_given_name(customer.name)


def form_of_address(customer: Customer) -> str:
    """Which form staff use: anh, chi (title and name), named (name only), quy_khach, company
    (a business with no contact person known: the company itself), unnamed."""
    if customer.title == "quy_khach":
        return "quy_khach"
    if not given_name(customer):
        return "company" if customer.kind == CustomerKind.business else "unnamed"
    return customer.title if customer.title in TITLES else "named"


def rename(customer: Customer, typed: str) -> Naming:
    """Change how a customer is addressed from text like "chị Mai", "anh" or "Mai"; say
    how it was read. A full Vietnamese name typed ("anh Nguyễn Văn Nam") is called by its
    given name (never "anh Nguyễn Văn Nam"); two words may be one given name ("chị Lan Anh")."""
    naming = read_title(typed)
    if naming.titled:
        customer.title = naming.title
    if naming.rest:
        words = naming.rest.split()
        full = len(words) > 2 and search_key(words[0]) in FAMILY_NAMES
        customer.given_name = default_given_name(naming.rest) if full else naming.rest
    return naming
