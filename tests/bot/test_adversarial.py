"""Hostile and odd input through the real Application: stored exactly, shown literally.

The stand-in parses HTML like Telegram and refuses broken markup, so a value the bot forgot
to escape would make the send fail and the assertion on what the person sees would fail
with it. Forged buttons, garbage commands, group chats, edited and forwarded messages and
kinds of message the bot does not use must each get a clear answer (or be ignored) and
leave the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from flows.address import default_given_name, read_title
from flows.model import Customer
from flows.procedures.complaint import Step
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_customer_paths import terminate
from tests.bot.walk import case_number, compensate, open_case, walk_to_compensate, walk_to_fix

pytestmark = pytest.mark.asyncio

TEXT_LIMIT, NAME_LIMIT = 1000, 120
GROUP = -100200300


@dataclass(frozen=True)
class Odd:
    """A typed text and what the bot must store (control characters dropped, NFC)."""

    typed: str
    stored: str | None = None

    @property
    def expected(self) -> str:
        return self.typed if self.stored is None else self.stored


#: Texts that look like code or markup, or use the odd corners of Unicode.
ODD_TEXTS: dict[str, Odd] = {
    "sql": Odd("'; DROP TABLE cases;--"),
    "bold tag": Odd("<b>"),
    "script tag": Odd("<script>alert('x')</script>"),
    "html entity": Odd("&amp;"),
    "numeric entities": Odd("&#60;b&#62; &#x26; &lt;"),
    "link": Odd('<a href="https://evil.example">pay here</a>'),
    "markdown bold": Odd("*bold*"),
    "markdown italic": Odd("_x_"),
    "markdown code": Odd("`rm -rf /` [link](http://x) ~~s~~ ||spoiler||"),
    "brackets and ampersands": Odd("a < b && c > d & e"),
    "quotes and backslashes": Odd('"O\'Brien" \\n C:\\path\\file'),
    "right to left": Odd("שלום עולם مرحبا بالعالم"),
    "combining characters": Odd("Nguye\u0302\u0303n", "Nguyễn"),
    "emoji": Odd("👩‍👩‍👧‍👦 🇻🇳 😡🎂 🤷🏽‍♀️ Mai"),  # with a word: emoji alone say nothing
    "control characters": Odd("a\x00b\x07c\x1b[31md\x7f", "abc[31md"),
    "bidi overrides": Odd("\u202eevil\u202c text\u2066x\u2069", "evil textx"),
    "zero width": Odd("Lan\u200bAnh\ufeff", "LanAnh"),
    "newlines and tabs": Odd("line 1\nline 2\r\n\tline 3", "line 1\nline 2\n\tline 3"),
    "outer spaces": Odd("   padded   ", "padded"),
    "vietnamese": Odd("Chị Hương rất bực — đơn #A-12 giao nhầm"),
}

#: Texts at the edge of the limits, which must be kept whole (each with a word in it: an
#: answer of marks or emoji alone is refused, `REFUSED_TEXTS`).
LONG_TEXTS: dict[str, Odd] = {
    "at the limit": Odd("x" * TEXT_LIMIT),
    "ampersands at the limit": Odd("a" + "&" * (TEXT_LIMIT - 1)),
    "angle brackets at the limit": Odd("a" + "<" * (TEXT_LIMIT - 1)),
    "emoji at the limit": Odd("a" + "😡" * (TEXT_LIMIT - 1)),
}

#: Texts the bot must refuse, saying why, saving nothing.
REFUSED_TEXTS: dict[str, tuple[str, str]] = {
    "empty after spaces": ("   ", "empty"),
    "only invisible characters": ("\u200b\u2063\ufeff\u202e", "empty"),
    "only joiners": ("\u200d\u200c", "empty"),
    "a Hangul filler": ("\u3164", "empty"),
    "Braille blanks": ("\u2800\u2800", "empty"),
    "only control characters": ("\x00\x01\x1b", "empty"),
    "one over the limit": ("y" * (TEXT_LIMIT + 1), "the limit is 1,000"),
    "far over the limit": ("z" * 4000, "the limit is 1,000"),
}


async def snapshot(world: World, case_id: int) -> tuple[str, int, int, int, int]:
    """What must not change: the case's state, version and events, cases and customers."""
    case = await world.case(case_id)
    return (
        case.state,
        case.version,
        len(await world.events(case_id)),
        await world.count("cases"),
        await world.count("customers"),
    )


async def customer_of(world: World, case_id: int) -> Customer:
    from storage.uow import SqlUnitOfWork

    case = await world.case(case_id)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(case.customer_id or 0)
    assert customer is not None
    return customer


async def timeline_parts(person: Person, case_id: int) -> list[str]:
    """The plain text of each message `/case` sent, in order."""
    before = len(person.messages)
    await person.send(f"/case {case_id}")
    parts = [m.plain_text for m in person.messages[before:]]
    assert parts, "the timeline was not shown"
    assert "Timeline" in "".join(parts)
    return parts


async def timeline_text(person: Person, case_id: int) -> str:
    """The timeline as the person reads it, one message after the other."""
    return "\n".join(await timeline_parts(person, case_id))


def names() -> list[Any]:
    """The odd texts as names: kept as texts are, but on one line (a name's line breaks and
    tabs are one space each)."""
    return [
        pytest.param(Odd(odd.typed, " ".join(odd.expected.split())), id=name)
        for name, odd in ODD_TEXTS.items()
        if len(odd.expected) <= NAME_LIMIT
    ] + [pytest.param(Odd("a" + "&" * (NAME_LIMIT - 1)), id="ampersands at the name limit")]


@pytest.mark.parametrize("odd", names())
async def test_a_customer_name_is_stored_exactly_and_shown_literally(
    world: World, odd: Odd
) -> None:
    lan = world.lan
    await lan.send("/new")
    case_id = case_number(lan.last_text)
    await lan.send(odd.typed)  # first typed as a search
    assert "No customer matches" in lan.last_text  # folded into the card, edited in place
    assert odd.expected in lan.last_text
    await lan.press("New customer")
    await lan.send(odd.typed)
    await lan.send("0903 123 456")
    await lan.press("Individual")
    await lan.press("Skip")
    await lan.press("Skip")
    await lan.send("Late delivery")
    await lan.press("Delay")
    await lan.press("High")
    assert (await world.case(case_id)).state == Step.apologise
    naming = read_title(odd.expected)  # a title typed first ("Chị Hương…") is kept apart
    assert (await customer_of(world, case_id)).name == naming.rest
    card = lan.last_text
    assert f"Case #{case_id} · {naming.rest} · 0903123456" in card
    given = default_given_name(naming.rest)  # the script greets by the given name, literally
    title = {"anh": "Mr ", "chi": "Ms "}.get(naming.title or "", "")
    assert f"Hello {title}{given}. My name is Lan" in card
    assert naming.rest in await timeline_text(lan, case_id)


def long_and_odd() -> list[Any]:
    return [pytest.param(odd, id=name) for name, odd in {**ODD_TEXTS, **LONG_TEXTS}.items()]


@pytest.mark.parametrize(
    "odd",
    long_and_odd(),
)
async def test_a_complaint_and_a_note_are_stored_exactly_and_shown_literally_to_everyone(
    world: World, odd: Odd
) -> None:
    lan = world.lan
    case_id = await open_case(lan, "Mai Phạm", odd.typed)
    await lan.press("Note")
    await lan.send(odd.typed)
    assert "Step 1 of 5" in lan.last_text
    assert (await world.case(case_id)).summary == odd.expected
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == [odd.expected]
    parts = await timeline_parts(lan, case_id)
    # A line too long for one message goes on in the next one.
    timeline = max("\n".join(parts), "".join(parts), key=lambda t: t.count(odd.expected))
    assert timeline.count(odd.expected) >= 3  # complaint, intake record, note
    assert timeline.index("Timeline") < timeline.rindex(odd.expected)  # kept in order
    await walk_to_compensate(lan)
    await compensate(lan, "Refund", "2tr")  # the supervisor reads the complaint too
    assert odd.expected in world.minh.last_text


async def test_a_timeline_too_long_for_one_message_is_split_in_order_at_safe_points(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan, "Mai Phạm", "a" + "&" * (TEXT_LIMIT - 1))
    for _ in range(3):  # well over 4,096 characters as shown, and five times that as HTML
        await lan.press("Note")
        await lan.send("&" * TEXT_LIMIT)
    before = len(lan.messages)
    await lan.send(f"/case {case_id}")
    parts = [m.plain_text for m in lan.messages[before:]]
    assert len(parts) >= 2
    assert parts[0].startswith(f"Case #{case_id} · Mai Phạm")  # the header comes first
    assert all(not p.startswith(";") and not p.endswith("&amp") for p in parts)
    assert "&" * TEXT_LIMIT in "".join(parts)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [pytest.param(typed, answer, id=name) for name, (typed, answer) in REFUSED_TEXTS.items()],
)
@pytest.mark.parametrize("where", ["note", "what was fixed", "customer name"])
async def test_an_empty_or_overlong_text_is_refused_with_the_reason_and_nothing_is_saved(
    world: World, typed: str, answer: str, where: str
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    if where == "note":
        await lan.press("Note")
    elif where == "what was fixed":
        await lan.press("Calm")
        await lan.press("Skip")
    else:
        await lan.send("/new")
        case_id += 1
        await lan.press("New customer")
    before = await snapshot(world, case_id)
    await lan.send(typed)
    if where == "customer name":
        answer = answer.replace(f"limit is {TEXT_LIMIT:,}", f"limit is {NAME_LIMIT:,}")
    assert answer in lan.last_text
    assert await snapshot(world, case_id) == before


# ------------------------------------------------------------------ forged buttons

#: Callback data built from the case id and version of a case at step 1 (or None: fixed).
FORGED: dict[str, tuple[str, str | None]] = {
    "another case id": ("k:{other}:{v}:c:calm", "There is no case #{other}"),
    "a case id that cannot exist": ("k:999999:1:c:calm", "There is no case #999999"),
    "a newer version": ("k:{c}:{v_next}:c:calm", "out of date"),
    "an older version": ("k:{c}:{v_prev}:c:calm", "out of date"),
    "version zero": ("k:{c}:0:c:calm", "out of date"),
    "an option of another step": ("k:{c}:{v}:c:fixed_now", "out of date"),
    "an option that does not exist": ("k:{c}:{v}:c:ecstatic", "out of date"),
    "skip on a question that is not optional": ("k:{c}:{v}:s", "out of date"),
    "an unknown verb": ("k:{c}:{v}:z:calm", "not valid any more"),
    "an unknown side action": ("k:{c}:{v}:a:delete_case", "out of date"),
    "a decision by staff": ("k:{c}:{v}:d:y", "Only supervisors"),
    "a follow-up answer before the follow-up": ("k:{c}:{v}:f:satisfied", "out of date"),
    "a fix answer with no fix promised": ("k:{c}:{v}:x:done", "out of date"),
    "sql in the argument": ("k:{c}:{v}:c:calm';DROP TABLE cases;--", "not valid any more"),
    "markup in the argument": ("k:{c}:{v}:c:<b>calm</b>", "not valid any more"),
    "a negative case id": ("k:-{c}:{v}:c:calm", "not valid any more"),
    "an argument too long": ("k:{c}:{v}:c:" + "a" * 33, "not valid any more"),
    "more than 64 bytes": ("k:{c}:{v}:c:calm:" + "9" * 60, "not valid any more"),
    "random bytes": ("\x00\x01\xff\ufffd\u202e\U0001f4a3", "not valid any more"),
    "empty": ("", "not valid any more"),
    "only the prefix": ("k:", "not valid any more"),
    "too many fields": ("k:{c}:{v}:c:calm:extra", "not valid any more"),
    "an unknown menu button": ("m:delete_everything", "not valid any more"),
    "an unknown language": ("l:xx", "not valid any more"),
}


@pytest.mark.parametrize(
    ("template", "answer"),
    [pytest.param(t, a, id=name) for name, (t, a) in FORGED.items()],
)
async def test_forged_or_truncated_callback_data_gets_a_clear_answer_and_changes_nothing(
    world: World, template: str, answer: str
) -> None:
    lan = world.lan
    other = await open_case(world.hoa)  # somebody else's case
    case_id = await open_case(lan)
    version = (await world.case(case_id)).version
    fields = {"c": case_id, "v": version, "v_next": version + 1, "v_prev": version - 1}
    data = template.format(other=other, **fields)
    before = await snapshot(world, case_id), await snapshot(world, other)
    answers, sent = len(world.api.answers), len(lan.messages)
    await lan.press_data(data)
    assert len(world.api.answers) == answers + 1  # the press was answered, once
    toast = world.api.answers[-1].get("text") or ""
    expected = answer.format(other=other, **fields)
    shown = toast or lan.last_text
    assert expected in shown, (toast, lan.last_text)
    if toast:
        assert len(lan.messages) == sent  # a toast, not a message
    assert (await snapshot(world, case_id), await snapshot(world, other)) == before


#: Data a strict pattern must refuse although its meaning could be guessed.
ALMOST_BUTTONS = {
    "a trailing newline": "k:{c}:{v}:c:calm\n",
    "arabic-indic digits": "k:{c_arabic}:{v_arabic}:c:calm",
}


@pytest.mark.parametrize(
    "template", [pytest.param(t, id=name) for name, t in ALMOST_BUTTONS.items()]
)
async def test_callback_data_that_only_resembles_a_button_is_refused(
    world: World, template: str
) -> None:
    case_id = await open_case(world.lan)
    version = (await world.case(case_id)).version
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    data = template.format(
        c=case_id,
        v=version,
        c_arabic=str(case_id).translate(arabic),
        v_arabic=str(version).translate(arabic),
    )
    before = await snapshot(world, case_id)
    await world.lan.press_data(data)
    assert "not valid any more" in (world.api.answers[-1].get("text") or "")
    assert await snapshot(world, case_id) == before


async def test_a_forged_customer_id_too_large_for_the_database_is_refused_as_out_of_date(
    world: World,
) -> None:
    await world.lan.send("/new")
    case_id = case_number(world.lan.last_text)
    version = (await world.case(case_id)).version
    before = await snapshot(world, case_id)
    await world.lan.press_data(f"k:{case_id}:{version}:c:{'9' * 30}")
    assert "out of date" in (world.api.answers[-1].get("text") or "")
    assert "technical problem" not in world.lan.last_text
    assert await snapshot(world, case_id) == before


async def test_a_forged_case_id_too_large_for_the_database_gets_a_clear_answer(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    before = await snapshot(world, case_id)
    for data in ("k:4294967296:1:o", "k:2147483648:1:c:calm", "k:9999999999:9999999999:t"):
        await world.lan.press_data(data)
        toast = world.api.answers[-1].get("text") or ""
        assert "There is no case" in toast or "not valid any more" in toast, data
    assert "technical problem" not in world.lan.last_text
    assert await snapshot(world, case_id) == before


# ---------------------------------------------------------------- garbage commands

GARBAGE_COMMANDS: dict[str, tuple[str, str, str]] = {
    "case with letters": ("lan", "/case abc", "That command needs a case number"),
    "case with too many digits": ("lan", "/case 99999999999", "There is no case #99999999999"),
    "case minus one": ("lan", "/case -1", "There is no case #-1"),
    "case without a number": ("lan", "/case", "That command needs a case number"),
    "case hash and letters": ("lan", "/case #abc", "That command needs a case number"),
    "case with sql": ("lan", "/case 1;DROP TABLE cases", "That command needs a case number"),
    "case with markup": ("lan", "/case <b>1</b>", "That command needs a case number"),
    "case zero": ("lan", "/case 0", "There is no case #0"),
    "case that does not exist": ("lan", "/case 999999999", "There is no case #999999999"),
    "case with arabic-indic digits": ("lan", "/case ٩٩", "That command needs a case number"),
    "invite god": ("minh", "/invite god", "There is no role “god”"),
    "invite markup": ("minh", "/invite <b>x</b>", "There is no role “<b>x</b>”"),
    "invite admin as supervisor": (
        "minh",
        "/invite ADMIN",
        "You are not allowed to invite a new administrator",
    ),
    "invite as staff": (
        "lan",
        "/invite staff",
        "You are not allowed to invite a new staff member",
    ),
    "unknown command": ("lan", "/drop_table_cases", "I do not know that command"),
    "start with a bad code": ("lan", "/start ' OR 1=1 --", "You are already registered"),
    "language with arguments": ("lan", "/language klingon", "Which language would you like"),
    "help with arguments": ("lan", "/help <script>", "What I can do"),
}


@pytest.mark.parametrize(
    ("who", "command", "answer"),
    [pytest.param(*row, id=name) for name, row in GARBAGE_COMMANDS.items()],
)
async def test_a_command_with_garbage_arguments_gets_a_clear_answer_and_changes_nothing(
    world: World, who: str, command: str, answer: str
) -> None:
    case_id = await open_case(world.lan)
    person: Person = getattr(world, who)
    before = await snapshot(world, case_id), await world.count("invites")
    await person.send(command)
    assert any(answer in m.plain_text for m in person.messages[-2:]), person.last_text
    assert "technical problem" not in person.last_text
    assert (await snapshot(world, case_id), await world.count("invites")) == before


@pytest.mark.parametrize("argument", ["²", "①", "1²"])
async def test_a_case_number_written_with_superscript_digits_gets_the_usage_answer(
    world: World, argument: str
) -> None:
    await world.lan.send(f"/case {argument}")
    assert "That command needs a case number" in world.lan.last_text


# ---------------------------------------------------------------- other chats and kinds


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        ("/new", True),
        ("/case 1", True),
        ("/start", True),
        ("/new@cs_assistant_bot", True),
        ("hello everyone", False),
        ("<b>", False),
        ("'; DROP TABLE cases;--", False),
    ],
)
@pytest.mark.parametrize("who", ["lan", "stranger"])
async def test_in_a_group_chat_commands_point_to_the_private_chat_and_other_text_is_ignored(
    world: World, text: str, answered: bool, who: str
) -> None:
    person: Person = getattr(world, who)
    await person.send_in_group(text, GROUP)
    replies = [m.plain_text for m in world.api.messages(GROUP)]
    assert replies == (
        ["I do not take commands in a group. Please send them to me in a private chat."]
        if answered
        else []
    )
    assert person.messages == []
    assert await world.count("cases") == 0
    assert await world.count("processed_updates") == 0


async def test_an_edited_message_is_not_read_the_person_is_told_and_nothing_is_stored(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Note")
    update_id = await lan.send("first version of the note")
    before, sent = await snapshot(world, case_id), len(lan.messages)
    for edited in ("second version of the note", "/new", "<b>edited</b>"):
        await lan.edit(lan.message_id_of(update_id), edited)
        told, shown = lan.messages[-2].plain_text, lan.last_text  # the notice, the card
        assert "I do not read changes made to a message already sent" in told
        assert "how did the customer react?" in shown  # what waits, asked again
        assert len(lan.messages) <= sent + 2  # the notice, the card sent anew, nothing else
        sent = len(lan.messages)
    assert await snapshot(world, case_id) == before
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == ["first version of the note"]


def forwarded(person: Person, fields: dict[str, Any]) -> dict[str, Any]:
    origin = {"type": "hidden_user", "sender_user_name": "Chị Hương <khách>", "date": 1_700_000}
    return {**fields, "forward_origin": origin}


async def test_a_forwarded_customer_message_is_taken_literally_as_the_note_asked_for(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Note")
    said = "Tôi <rất> bực & sẽ đăng lên *Facebook*"
    await lan._send_message(lan._private_chat(), forwarded(lan, {"text": said}))
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == [said]
    assert said in await timeline_text(lan, case_id)


async def test_a_forwarded_message_when_nothing_was_asked_stores_nothing(world: World) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Pause")
    before = await snapshot(world, case_id)
    await lan._send_message(lan._private_chat(), forwarded(lan, {"text": "hello"}))
    assert "not waiting for any text" in lan.last_text
    assert await snapshot(world, case_id) == before


UNSUPPORTED: dict[str, dict[str, Any]] = {
    "sticker": {
        "sticker": {
            "file_id": "sticker-1",
            "file_unique_id": "sticker-1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "location": {"location": {"latitude": 10.7769, "longitude": 106.7009}},
    "contact": {"contact": {"phone_number": "+84903123456", "first_name": "Hương"}},
    "dice": {"dice": {"emoji": "🎲", "value": 6}},
    "poll": {
        "poll": {
            "id": "poll-1",
            "question": "<b>?</b>",
            "options": [
                {"persistent_id": "a", "text": "a", "voter_count": 0},
                {"persistent_id": "b", "text": "b", "voter_count": 0},
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    },
    "forwarded sticker": {},
}


@pytest.mark.parametrize("kind", list(UNSUPPORTED))
async def test_stickers_locations_polls_and_contacts_get_a_polite_answer_and_nothing_is_stored(
    world: World, kind: str
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    fields = UNSUPPORTED[kind] or forwarded(lan, UNSUPPORTED["sticker"])
    for asked_for in ("a reaction", "evidence"):
        if asked_for == "evidence":
            await lan.press("Evidence")
        before, sent = await snapshot(world, case_id), len(lan.messages)
        await lan._send_message(lan._private_chat(), fields)
        said = "\n".join(m.plain_text for m in lan.messages[sent - 1 :])
        assert "so nothing was saved. I am asking again below" in said, asked_for
        assert lan.last.buttons, asked_for  # what is asked again, with its buttons
        assert len(lan.messages) <= sent + 2  # said, and asked again (the card edited)
        assert await snapshot(world, case_id) == before


async def test_a_document_name_with_markup_is_shown_literally_in_the_timeline(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Evidence")
    name = "<b>hoá đơn</b> & 'x'.pdf"
    await lan.send_document("doc-1", file_name=name)
    evidence = [e.data for e in await world.events(case_id) if e.kind == "evidence"]
    assert evidence == [{"file_id": "doc-1", "kind": "document", "name": name, "unique": "doc-1"}]
    assert name in await timeline_text(lan, case_id)


# ---------------------------------------------------------------- invites and names


class NamedPerson(Person):
    """A Telegram user with a last name as well."""

    def __init__(self, world: World, telegram_id: int, first: str, last: str) -> None:
        super().__init__(world.app, world.api, telegram_id, first, "en")
        self.last_name = last

    @property
    def user(self) -> dict[str, Any]:
        return {**super().user, "last_name": self.last_name}


async def invite_code(world: World) -> str:
    await world.minh.send("/invite staff")
    return world.minh.last_text.split("start=")[1].split()[0]


async def test_a_newcomer_with_markup_in_their_telegram_name_is_welcomed_literally(
    world: World,
) -> None:
    code = await invite_code(world)
    newcomer = NamedPerson(world, 3001, "<b>Eve</b> & co", "'; DROP TABLE staff;--")
    await newcomer.send(f"/start {code}")
    full = "<b>Eve</b> & co '; DROP TABLE staff;--"
    assert f"Welcome, {full}!" in newcomer.messages[0].plain_text
    from storage.uow import SqlUnitOfWork

    async with SqlUnitOfWork(world.services.sessions) as uow:
        person = await uow.staff.by_telegram_id(3001)
    assert person is not None
    assert person.name == full


@pytest.mark.parametrize(
    ("first", "last"),
    [
        pytest.param("\u2063", "", id="an invisible name"),
        pytest.param("\u200b", "\u200b", id="zero-width spaces"),
        pytest.param("A" * 64, "B" * 64, id="a full name of 129 characters"),
    ],
)
async def test_a_newcomer_whose_telegram_name_is_invisible_or_very_long_can_redeem_an_invite(
    world: World, first: str, last: str
) -> None:
    code = await invite_code(world)
    newcomer = NamedPerson(world, 3001, first, last)
    await newcomer.send(f"/start {code}")
    assert "Welcome" in newcomer.messages[0].plain_text
    assert await world.count("staff") == 5


@pytest.mark.parametrize(
    ("who", "verb", "logged"),
    [
        ("lan", "Escalate", "escalated"),
        ("lan", "Cancel (mistake)", "cancel"),
        ("lan", "Note", "note"),
        ("hoa", "Báo cấp trên", "escalated"),
        ("hoa", "Ghi chú", "note"),
    ],
)
async def test_a_photo_sent_before_a_reason_or_note_leaves_the_question_standing(
    world: World, who: str, verb: str, logged: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press(verb)
    await person.send_photo()
    assert f"#{case_id}" in person.last_text  # asked again, below the card
    reason = "Khách dọa tài xế"
    await person.send(reason)
    case = await world.case(case_id)
    assert case.draft.get("action") != reason  # not taken as the step's answer
    events = await world.events(case_id)
    assert [e.kind for e in events].count("evidence") == 1
    assert any(e.kind == logged and reason in str(e.data) for e in events)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_note_sent_twice_in_a_row_is_saved_once_and_not_taken_as_the_steps_answer(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press("Note" if who == "lan" else "Ghi chú")
    note = "Khách gọi lại lần hai, rất bực"
    await person.send(note)
    await person.send(note)  # a double tap on a slow connection
    case = await world.case(case_id)
    assert "action" not in case.draft  # still asking what was done to fix it
    assert [e.kind for e in await world.events(case_id)].count("note") == 1
    said = "hai lần liên tiếp" if who == "hoa" else "twice in a row"
    assert said in "\n".join(m.plain_text for m in person.messages[-2:])
    await person.send(note)  # sent once more on purpose: it is the answer after all
    assert (await world.case(case_id)).draft.get("action") == note


async def test_an_answer_sent_twice_fills_one_question_and_a_search_or_command_twice_is_fine(
    world: World,
) -> None:
    lan = world.lan
    await lan.send("/new")
    await lan.send("Hương")
    await lan.send("Hương")  # searching again finds again: nothing was saved
    assert "No customer matches" in lan.last_text
    await lan.press("New customer")
    await lan.send("Trần Văn Bình")
    await lan.send("Trần Văn Bình")  # the name twice: not taken as the phone
    assert "twice in a row" in "\n".join(m.plain_text for m in lan.messages[-2:])
    case_id = case_number(lan.last_text)
    assert "new_phone" not in (await world.case(case_id)).draft
    await lan.send("/cases")
    await lan.send("/cases")
    assert "twice" not in lan.last_text


async def test_the_last_answer_sent_twice_says_the_case_is_complete_rather_than_showing_a_card(
    world: World,
) -> None:
    case_id, _ = await terminate(world, "Công ty Hòa Bình")  # its last answer was typed
    await world.lan.send("Gave them the contact")  # the same again, at once
    assert "I saved it once, in case" in world.lan.last_text
    assert "complete" in world.lan.last_text
    assert [e.kind for e in await world.events(case_id)].count("move_alternatives") == 1


async def test_a_cancel_reason_typed_again_into_a_new_case_is_taken_there(world: World) -> None:
    await open_case(world.lan)
    await world.lan.press("Cancel (mistake)")
    await world.lan.send("Hương")  # the reason; the case is cancelled
    await world.lan.send("/new")
    case_id = case_number(world.lan.last_text)
    await world.lan.send("Hương")  # the same words, now the new case's customer search
    assert "twice" not in world.lan.last_text
    assert (await world.case(case_id)).state == "intake"
    assert "No customer matches" in world.lan.last_text or "Hương" in " ".join(world.lan.buttons)
