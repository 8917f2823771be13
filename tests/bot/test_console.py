"""Console mode prints what the bot shows and turns typed lines into user actions."""

from __future__ import annotations

import html
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.console import SEPARATOR, read_terminal_line, render, run_console
from standin.inprocess import FakeBotApi, Person
from standin.messages import Button, SentMessage

pytestmark = pytest.mark.asyncio

LAN_ID = 5001
MINH_ID = 6002
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE
MOOD_KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Calm", callback_data="mood:calm"),
            InlineKeyboardButton("Upset", callback_data="mood:upset"),
        ],
        [InlineKeyboardButton("Angry", callback_data="mood:angry")],
    ]
)


async def on_text(update: Update, context: Context) -> None:
    """Echo the text in bold with a mood keyboard."""
    message = update.message
    assert message is not None
    assert message.text is not None
    await message.reply_html(
        f"You said: <b>{html.escape(message.text)}</b>", reply_markup=MOOD_KEYBOARD
    )


async def on_mood(update: Update, context: Context) -> None:
    """Replace the keyboard with the chosen mood."""
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    await query.edit_message_text(f"Mood: <i>{query.data.split(':')[1]}</i>", ParseMode.HTML)
    await query.answer()


async def on_angry(update: Update, context: Context) -> None:
    """Answer the press with a pop-up only, leaving the message as it is."""
    query = update.callback_query
    assert query is not None
    await query.answer("Take a breath first", show_alert=True)


async def on_escalate(update: Update, context: Context) -> None:
    """Ask the supervisor Minh for approval."""
    await context.bot.send_message(MINH_ID, "<b>Approve</b> refund &amp; apology?", "HTML")


async def on_receipt(update: Update, context: Context) -> None:
    """Send a photo with a caption."""
    await context.bot.send_photo(
        LAN_ID, "photo-abc", caption="Your <i>receipt</i>", parse_mode="HTML"
    )


class Script:
    """Feed scripted lines to the console and collect what it prints."""

    def __init__(self, *lines: str) -> None:
        self.lines = deque(lines)
        self.prompts: list[str] = []
        self.output: list[str] = []

    async def read_line(self, prompt: str) -> str | None:
        """Return the next scripted line, or None (end of input) when they run out."""
        self.prompts.append(prompt)
        return self.lines.popleft() if self.lines else None

    def write(self, text: str) -> None:
        """Collect printed text."""
        self.output.append(text)

    @property
    def text(self) -> str:
        """Return everything printed so far."""
        return "\n".join(self.output)


@pytest.fixture
def api() -> FakeBotApi:
    """Return a fresh Bot API stand-in."""
    return FakeBotApi()


@pytest_asyncio.fixture
async def app(api: FakeBotApi) -> AsyncIterator[AnyApplication]:
    """Yield an initialized Application with the tiny test handlers."""
    application = (
        ApplicationBuilder()
        .token("123456:TEST-TOKEN")
        .request(api)
        .get_updates_request(api)
        .updater(None)
        .build()
    )
    application.add_handler(CommandHandler("escalate", on_escalate))
    application.add_handler(CommandHandler("receipt", on_receipt))
    application.add_handler(CallbackQueryHandler(on_angry, pattern="^mood:angry$"))
    application.add_handler(CallbackQueryHandler(on_mood))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    await application.initialize()
    yield application
    await application.shutdown()


@pytest.fixture
def people(app: AnyApplication, api: FakeBotApi) -> list[Person]:
    """Return the customer Lan and the supervisor Minh."""
    return [Person(app, api, LAN_ID, "Lan"), Person(app, api, MINH_ID, "Minh")]


async def run(app: AnyApplication, api: FakeBotApi, people: list[Person], *lines: str) -> Script:
    """Run the console over scripted lines and return the script with its output."""
    script = Script(*lines)
    await run_console(app, api, people, read_line=script.read_line, write=script.write)
    return script


async def test_the_banner_explains_how_to_switch_and_leave(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people)

    banner = script.output[0]
    assert "@cs_assistant_bot as Lan" in banner
    for hint in ("/as N", "/who", "/quit", "number"):
        assert hint in banner


async def test_end_of_input_exits_the_console(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people)

    assert script.prompts == ["[Lan] > "]
    assert script.output[-1] == "Bye."


async def test_quit_leaves_without_reading_further_lines(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "/quit", "Hello")

    assert list(script.lines) == ["Hello"]
    assert api.messages(LAN_ID) == []


async def test_the_bots_own_exit_command_is_sent_to_it_never_taken_for_leaving(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    """/exit opens an exit interview, as /help says: before, it left the console."""
    script = await run(app, api, people, "/exit", "Hello")

    assert list(script.lines) == []  # the console read on
    sent = [u["message"]["text"] for u in api.updates.values() if "message" in u]
    assert sent == ["/exit", "Hello"]


async def test_a_typed_line_is_sent_and_the_reply_buttons_are_numbered_across_rows(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "Hello")

    assert "  [1] Calm   [2] Upset\n  [3] Angry" in script.text
    assert SEPARATOR in script.text


async def test_html_is_stripped_and_entities_unescaped(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "Tom & Jerry <3")

    assert "You said: Tom & Jerry <3" in script.text
    assert "<b>" not in script.text
    assert "&amp;" not in script.text


async def test_a_number_presses_that_button_and_shows_the_edit(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "Hello", "2")

    assert "(edited)\nMood: upset" in script.text
    assert api.last(LAN_ID).plain_text == "Mood: upset"


async def test_a_press_answered_only_by_a_pop_up_shows_the_pop_up_and_does_not_look_dead(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "Hello", "3")

    assert "(alert: Take a breath first)" in script.text


async def test_a_number_without_such_button_is_answered_politely(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "Hello", "7")

    assert "Sorry, there is no button 7" in script.text
    assert api.last(LAN_ID).plain_text == "You said: Hello"


async def test_a_backslash_sends_a_number_as_text(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    await run(app, api, people, "\\42")

    assert api.last(LAN_ID).plain_text == "You said: 42"


async def test_only_new_or_edited_messages_are_printed(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "Hello", "/who", "")

    assert script.text.count("You said: Hello") == 1


async def test_as_switches_identity_by_number_or_name_prefix(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "/as 2", "Hi", "/as la")

    assert script.prompts == ["[Lan] > ", "[Minh] > ", "[Minh] > ", "[Lan] > "]
    assert "You are now Minh." in script.text
    assert api.last(MINH_ID).plain_text == "You said: Hi"


async def test_switching_back_reprints_the_last_keyboard(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "Hello", "/as 2", "/as 1")

    assert script.text.count("[1] Calm") == 2


async def test_an_unknown_identity_is_reported(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "/as Zed", "/as 9")

    assert script.text.count("No one matches") == 2
    assert script.prompts[-1] == "[Lan] > "


async def test_who_lists_everyone_with_their_number(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "/who")

    assert "  1. Lan (id 5001)  ← you" in script.text
    assert "  2. Minh (id 6002)" in script.text


async def test_a_message_for_another_person_is_announced_once_and_shown_after_switching(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "/escalate", "Hello", "/as 2")

    assert script.text.count("(new message for Minh — type /as 2 to see it)") == 1
    assert "Approve refund & apology?" in script.text


async def test_photos_are_rendered_with_their_file_id_and_caption(
    app: AnyApplication, api: FakeBotApi, people: list[Person]
) -> None:
    script = await run(app, api, people, "/receipt")

    assert "[photo photo-abc]\nYour receipt" in script.text


async def test_link_buttons_and_documents_render_readably() -> None:
    message = SentMessage(
        message_id=1,
        chat_id=LAN_ID,
        kind="document",
        date=0,
        filename="policy.pdf",
        buttons=[[Button("Read online", url="https://example.test/policy")]],
    )

    assert render(message)[1:] == [
        "[document policy.pdf]",
        "  [1] Read online (link: https://example.test/policy)",
    ]


async def test_the_terminal_reader_returns_typed_lines_then_none_at_end_of_input(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    typed = iter(["hello"])

    def fake_input(prompt: str) -> str:
        assert prompt == "[Lan] > "
        line = next(typed, None)
        if line is None:
            raise EOFError
        return line

    monkeypatch.setattr("builtins.input", fake_input)

    assert await read_terminal_line("[Lan] > ") == "hello"
    assert await read_terminal_line("[Lan] > ") is None
