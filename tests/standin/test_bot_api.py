"""The Bot API stand-in lets a real PTB Application run, and records what the bot showed.

Every test runs against both adapters of the one core: in process (PTB's request backend,
as console mode and the conversation tests use it) and over HTTP on 127.0.0.1 (PTB's own
HTTP client, as the real bot process in tests/e2e talks to it).
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from standin.core import BOT_USER_ID, BotApi
from standin.inprocess import FakeBotApi, Person
from standin.server import BotApiServer

pytestmark = pytest.mark.asyncio

TOKEN = "123456:TEST-TOKEN"
HTTP_READ_TIMEOUT = 1.0
LAN_ID = 5001
GROUP_ID = -4000123
MOOD_KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("😌 Calm", callback_data="mood:calm"),
            InlineKeyboardButton("Upset", callback_data="mood:upset"),
        ],
        [InlineKeyboardButton("Angry", callback_data="mood:angry")],
    ]
)
# PTB 22 warns whenever RetryAfter is built unless PTB_TIMEDELTA is set.
RETRY_AFTER_DEPRECATION = "ignore::telegram.warnings.PTBDeprecationWarning"
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
Context = ContextTypes.DEFAULT_TYPE


def seen(context: Context) -> list[tuple[Any, ...]]:
    """Return the list the test handlers record what they received in."""
    return context.bot_data.setdefault("seen", [])


async def on_any_update(update: Update, context: Context) -> None:
    """Record every update id."""
    context.bot_data.setdefault("update_ids", []).append(update.update_id)


async def on_start(update: Update, context: Context) -> None:
    """Record the deep-link arguments and greet."""
    seen(context).append(("start", context.args))
    assert update.effective_message is not None
    await update.effective_message.reply_text("Welcome")


async def on_text(update: Update, context: Context) -> None:
    """Echo the text in bold with a mood keyboard."""
    assert update.message is not None
    assert update.message.text is not None
    await update.message.reply_html(
        f"You said: <b>{html.escape(update.message.text)}</b>", reply_markup=MOOD_KEYBOARD
    )


async def on_mood(update: Update, context: Context) -> None:
    """Record the mood by editing the message, or say it is already recorded."""
    query = update.callback_query
    assert query is not None
    assert query.data is not None
    assert query.message is not None
    seen(context).append(("callback", query.data))
    message_text = getattr(query.message, "text", "") or ""
    if message_text.startswith("Mood:"):
        await query.answer("Already recorded")
        return
    await query.edit_message_text(f"Mood: <i>{query.data.split(':')[1]}</i>", ParseMode.HTML)
    await query.answer("Noted")


async def on_other_callback(update: Update, context: Context) -> None:
    """Record any other callback data and answer silently."""
    query = update.callback_query
    assert query is not None
    seen(context).append(("callback", query.data))
    await query.answer()


async def on_media(update: Update, context: Context) -> None:
    """Record the file ids and kinds of non-text messages."""
    message = update.message
    assert message is not None
    if message.photo:
        seen(context).append(("photo", message.photo[-1].file_id))
    elif message.document:
        seen(context).append(("document", message.document.file_id, message.document.file_name))
    elif message.sticker:
        seen(context).append(("sticker", message.sticker.file_id))
    elif message.location:
        seen(context).append(("location", message.location.latitude, message.location.longitude))
    elif message.contact:
        seen(context).append(("contact", message.contact.phone_number, message.contact.user_id))


async def on_edit(update: Update, context: Context) -> None:
    """Record the new text of an edited user message."""
    assert update.edited_message is not None
    seen(context).append(("edited", update.edited_message.message_id, update.edited_message.text))


def build_application(api: BotApi) -> AnyApplication:
    """Build a real Application wired to the stand-in, with the tiny test handlers."""
    builder = ApplicationBuilder().token(TOKEN).updater(None)
    if isinstance(api, FakeBotApi):
        builder = builder.request(api).get_updates_request(api)
    else:
        assert isinstance(api, BotApiServer)
        # A short read timeout, so that an injected timeout is met quickly.
        builder = builder.base_url(api.base_url).read_timeout(HTTP_READ_TIMEOUT)
    application = builder.build()
    application.add_handler(TypeHandler(Update, on_any_update), group=-1)
    application.add_handler(CommandHandler("start", on_start))
    application.add_handler(CallbackQueryHandler(on_mood, pattern=r"^mood:"))
    application.add_handler(CallbackQueryHandler(on_other_callback))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, on_edit))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    media = filters.PHOTO | filters.Document.ALL | filters.Sticker.ALL
    application.add_handler(MessageHandler(media | filters.LOCATION | filters.CONTACT, on_media))
    return application


@pytest.fixture(params=["in process", "over HTTP"])
def api(request: pytest.FixtureRequest) -> Iterator[BotApi]:
    """Yield a fresh Bot API stand-in behind one adapter or the other."""
    if request.param == "in process":
        yield FakeBotApi()
        return
    server = BotApiServer(TOKEN).start()
    yield server
    server.stop()


@pytest_asyncio.fixture
async def app(api: BotApi) -> AsyncIterator[AnyApplication]:
    """Yield an initialized Application talking to the stand-in."""
    application = build_application(api)
    await application.initialize()
    yield application
    await application.shutdown()


@pytest.fixture
def lan(app: AnyApplication, api: BotApi) -> Person:
    """Return the customer Lan."""
    return Person(app, api, LAN_ID, "Lan", username="lan_nguyen")


async def test_get_me_reports_the_configured_bot_user(app: AnyApplication) -> None:
    assert app.bot.id == BOT_USER_ID
    assert app.bot.username == "cs_assistant_bot"
    assert app.bot.first_name == "CS Assistant"


async def test_a_custom_username_is_reported_by_get_me() -> None:
    application = build_application(FakeBotApi(username="other_bot"))
    await application.initialize()
    try:
        assert application.bot.username == "other_bot"
    finally:
        await application.shutdown()


async def test_sending_text_records_the_reply_with_its_buttons(lan: Person) -> None:
    await lan.send("Hello")

    reply = lan.last
    assert reply.chat_id == LAN_ID
    assert reply.kind == "text"
    assert reply.text == "You said: <b>Hello</b>"
    assert reply.parse_mode == "HTML"
    assert [[button.text for button in row] for row in reply.buttons] == [
        ["😌 Calm", "Upset"],
        ["Angry"],
    ]
    assert reply.buttons[0][1].callback_data == "mood:upset"
    assert lan.buttons == ["😌 Calm", "Upset", "Angry"]


async def test_html_replies_are_displayed_as_plain_text_with_utf16_entities(lan: Person) -> None:
    await lan.send("Tôi 😡 & <bực>")

    assert lan.last_text == "You said: Tôi 😡 & <bực>"
    assert lan.last.entities == [{"type": "bold", "offset": 10, "length": 14}]


async def test_the_returned_message_deserialises_with_entities(app: AnyApplication) -> None:
    message = await app.bot.send_message(
        LAN_ID, "<b>Hi</b> <a href='https://x.test'>there</a>", "HTML"
    )

    assert message.text == "Hi there"
    assert message.text_html == '<b>Hi</b> <a href="https://x.test">there</a>'
    assert message.from_user is not None
    assert message.from_user.id == BOT_USER_ID
    assert message.chat.type == "private"


async def test_message_ids_increase_per_chat(app: AnyApplication, api: BotApi) -> None:
    first = await app.bot.send_message(LAN_ID, "one")
    second = await app.bot.send_message(LAN_ID, "two")
    elsewhere = await app.bot.send_message(LAN_ID + 1, "one")

    assert (first.message_id, second.message_id, elsewhere.message_id) == (1, 2, 1)
    assert [message.text for message in api.messages(LAN_ID)] == ["one", "two"]


async def test_pressing_a_button_sends_its_callback_data_to_the_handler(
    app: AnyApplication, lan: Person
) -> None:
    await lan.send("Hello")
    await lan.press("Upset")

    assert app.bot_data["seen"] == [("callback", "mood:upset")]


async def test_pressing_edits_the_message_in_place_and_answers_the_query(
    lan: Person, api: BotApi
) -> None:
    await lan.send("Hello")
    original = lan.last

    await lan.press("Angry")

    assert lan.messages == [original]
    assert original.edited
    assert original.version == 1
    assert original.text == "Mood: <i>angry</i>"
    assert original.plain_text == "Mood: angry"
    assert original.buttons == []
    assert [answer.get("text") for answer in api.answers] == ["Noted"]


async def test_pressing_a_partial_label_or_callback_data_finds_the_button(
    app: AnyApplication, lan: Person
) -> None:
    await lan.send("Hello")
    await lan.press("calm")
    await lan.send("Again")
    await lan.press("mood:angry")

    assert app.bot_data["seen"] == [("callback", "mood:calm"), ("callback", "mood:angry")]


async def test_pressing_a_missing_button_raises_lookup_error_listing_the_buttons(
    lan: Person,
) -> None:
    await lan.send("Hello")

    with pytest.raises(LookupError, match="Upset"):
        await lan.press("Happy")


async def test_a_button_only_an_older_message_has_is_pressed_there_as_a_person_scrolls_up(
    app: AnyApplication, lan: Person
) -> None:
    await lan.send("Hello")  # the mood card
    card = lan.last
    more = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="more")]])
    await app.bot.send_message(LAN_ID, "Below the card", reply_markup=more)

    await lan.press("Upset")

    assert app.bot_data["seen"] == [("callback", "mood:upset")]
    assert card.edited
    with pytest.raises(LookupError, match="More"):  # in no message: the newest's are named
        await lan.press("Happy")


async def test_pressing_without_any_buttons_raises_lookup_error(lan: Person) -> None:
    with pytest.raises(LookupError, match="no bot message with buttons"):
        await lan.press("Calm")


async def test_pressing_an_older_message_uses_that_message(lan: Person) -> None:
    await lan.send("First")
    first = lan.last
    await lan.send("Second")

    await lan.press("Calm", message=first)

    assert first.plain_text == "Mood: calm"
    assert lan.last.plain_text == "You said: Second"


async def test_a_second_press_on_a_handled_message_gets_an_already_done_toast(
    lan: Person, api: BotApi
) -> None:
    await lan.send("Hello")
    message_id = lan.last.message_id
    await lan.press("Calm")

    await lan.press_data("mood:calm", message_id=message_id)

    assert [answer.get("text") for answer in api.answers] == ["Noted", "Already recorded"]


async def test_forged_callback_data_reaches_the_handler(app: AnyApplication, lan: Person) -> None:
    await lan.press_data("admin:delete-everything")

    assert app.bot_data["seen"] == [("callback", "admin:delete-everything")]


async def test_editing_with_identical_content_is_rejected_as_not_modified(
    app: AnyApplication,
) -> None:
    message = await app.bot.send_message(LAN_ID, "<b>Same</b>", "HTML", reply_markup=MOOD_KEYBOARD)

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_text(
            "<b>Same</b>",
            LAN_ID,
            message.message_id,
            parse_mode="HTML",
            reply_markup=MOOD_KEYBOARD,
        )


async def test_editing_text_without_markup_removes_the_keyboard(
    app: AnyApplication, api: BotApi
) -> None:
    message = await app.bot.send_message(LAN_ID, "Same", reply_markup=MOOD_KEYBOARD)

    edited = await app.bot.edit_message_text("Same", LAN_ID, message.message_id)

    assert edited.reply_markup is None
    assert api.last(LAN_ID).buttons == []


async def test_editing_only_the_keyboard_keeps_the_text(app: AnyApplication, api: BotApi) -> None:
    message = await app.bot.send_message(LAN_ID, "Pick one", reply_markup=MOOD_KEYBOARD)

    await app.bot.edit_message_reply_markup(LAN_ID, message.message_id, reply_markup=None)

    assert api.last(LAN_ID).plain_text == "Pick one"
    assert api.last(LAN_ID).buttons == []
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await app.bot.edit_message_reply_markup(LAN_ID, message.message_id, reply_markup=None)


async def test_editing_a_missing_message_is_rejected(app: AnyApplication) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("New", LAN_ID, 42)


async def test_deleting_a_message_hides_it_from_the_chat(app: AnyApplication, api: BotApi) -> None:
    message = await app.bot.send_message(LAN_ID, "Oops")

    assert await app.bot.delete_message(LAN_ID, message.message_id) is True

    assert api.messages(LAN_ID) == []
    assert api.messages(LAN_ID, include_deleted=True)[0].deleted
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("Back", LAN_ID, message.message_id)


@pytest.mark.filterwarnings(RETRY_AFTER_DEPRECATION)
@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("retry_after", RetryAfter),
        ("server", NetworkError),
        ("forbidden", Forbidden),
        ("bad_request", BadRequest),
        ("timeout", TimedOut),
        ("network", NetworkError),
    ],
)
async def test_injected_faults_raise_the_matching_error_the_requested_number_of_times(
    app: AnyApplication, api: BotApi, kind: str, error: type[Exception]
) -> None:
    api.fail_next("sendMessage", kind, times=2)  # type: ignore[arg-type]

    for _ in range(2):
        with pytest.raises(error) as raised:
            await app.bot.send_message(LAN_ID, "Hi")
        assert type(raised.value) is error
    await app.bot.send_message(LAN_ID, "Hi")

    assert [message.text for message in api.messages(LAN_ID)] == ["Hi"]
    assert [name for name, _ in api.calls].count("sendMessage") == 3


@pytest.mark.filterwarnings(RETRY_AFTER_DEPRECATION)
async def test_retry_after_carries_the_requested_delay(app: AnyApplication, api: BotApi) -> None:
    api.fail_next("sendMessage", "retry_after", retry_after=7)

    with pytest.raises(RetryAfter) as err:
        await app.bot.send_message(LAN_ID, "Hi")
    assert err.value.retry_after == timedelta(seconds=7)


@pytest.mark.filterwarnings(RETRY_AFTER_DEPRECATION)
async def test_retry_after_may_be_a_fraction_to_keep_tests_fast(
    app: AnyApplication, api: BotApi
) -> None:
    api.fail_next("sendMessage", "retry_after", retry_after=0.01)

    with pytest.raises(RetryAfter) as err:
        await app.bot.send_message(LAN_ID, "Hi")
    assert err.value.retry_after == timedelta(seconds=0.01)


async def test_blocked_bot_error_reads_like_telegram(app: AnyApplication, api: BotApi) -> None:
    api.fail_next("sendMessage", "forbidden")

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(LAN_ID, "Hi")


async def test_faults_only_affect_the_named_method(app: AnyApplication, api: BotApi) -> None:
    api.fail_next("editMessageText", "server")

    await app.bot.send_message(LAN_ID, "Still fine")

    assert api.last(LAN_ID).text == "Still fine"


async def test_an_unknown_fault_kind_is_refused(api: BotApi) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        api.fail_next("sendMessage", "gremlins")  # type: ignore[arg-type]


async def test_unknown_methods_fail_as_not_found(app: AnyApplication) -> None:
    with pytest.raises(InvalidToken, match="method not found"):
        await app.bot.get_chat(LAN_ID)


async def test_malformed_html_is_rejected_like_telegram(app: AnyApplication) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unsupported start tag"):
        await app.bot.send_message(LAN_ID, "line<br>break", "HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await app.bot.send_message(LAN_ID, "<b>unclosed", "HTML")


async def test_empty_and_oversized_texts_are_rejected(app: AnyApplication) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await app.bot.send_message(LAN_ID, "<b> </b>", "HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(LAN_ID, "x" * 4097)


async def test_a_buttons_answer_over_200_characters_is_rejected(app: AnyApplication) -> None:
    await app.bot.answer_callback_query("1", "🙂" * 100)  # 200 of Telegram's units
    with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
        await app.bot.answer_callback_query("2", "🙂" * 100 + "!")


async def test_callback_data_over_64_bytes_is_rejected(app: AnyApplication) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="é" * 33)]])

    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await app.bot.send_message(LAN_ID, "Pick", reply_markup=keyboard)


async def test_a_mini_app_button_is_a_link_to_its_page_and_the_menu_button_is_accepted(
    app: AnyApplication, api: BotApi, lan: Person
) -> None:
    page = WebAppInfo("https://example.test/app/")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Case log", web_app=page)]])

    await app.bot.send_message(LAN_ID, "Open the log", reply_markup=keyboard)
    assert await app.bot.set_chat_menu_button(menu_button=MenuButtonWebApp("Log", page))

    [[button]] = api.last(LAN_ID).buttons
    assert (button.text, button.callback_data, button.url) == ("Case log", None, page.url)
    with pytest.raises(LookupError, match=re.escape(f"is a link to {page.url}")):
        await lan.press("Case log")


async def test_redelivering_an_update_reuses_its_update_id(
    app: AnyApplication, lan: Person
) -> None:
    update_id = await lan.send("Hello")

    assert await lan.redeliver(update_id) == update_id

    assert app.bot_data["update_ids"] == [update_id, update_id]
    assert [message.plain_text for message in lan.messages] == ["You said: Hello"] * 2


async def test_update_ids_increase_across_people(app: AnyApplication, api: BotApi) -> None:
    lan = Person(app, api, LAN_ID, "Lan")
    minh = Person(app, api, LAN_ID + 1, "Minh")

    ids = [await lan.send("a"), await minh.send("b"), await lan.press("Calm")]

    assert ids == sorted(ids)
    assert len(set(ids)) == 3


async def test_a_deep_link_start_payload_reaches_the_command_handler_args(
    app: AnyApplication, lan: Person
) -> None:
    await lan.send("/start abc")

    assert app.bot_data["seen"] == [("start", ["abc"])]
    assert lan.last_text == "Welcome"


async def test_a_command_addressed_to_the_bot_by_username_matches(
    app: AnyApplication, lan: Person
) -> None:
    await lan.send("/start@cs_assistant_bot")
    await lan.send("/start@someone_else_bot")

    assert app.bot_data["seen"] == [("start", [])]


async def test_photos_and_documents_carry_file_ids_to_handlers(
    app: AnyApplication, lan: Person
) -> None:
    await lan.send_photo("photo-receipt")
    await lan.send_document("doc-invoice", file_name="invoice.pdf")

    assert app.bot_data["seen"] == [
        ("photo", "photo-receipt"),
        ("document", "doc-invoice", "invoice.pdf"),
    ]


async def test_stickers_locations_and_contacts_reach_handlers(
    app: AnyApplication, lan: Person
) -> None:
    await lan.send_sticker()
    await lan.send_location(10.77, 106.7)
    await lan.send_contact("+84901234567")

    assert app.bot_data["seen"] == [
        ("sticker", "sticker-1"),
        ("location", 10.77, 106.7),
        ("contact", "+84901234567", LAN_ID),
    ]


async def test_user_edits_arrive_as_edited_messages(app: AnyApplication, lan: Person) -> None:
    update_id = await lan.send("Helo")
    message_id = lan.message_id_of(update_id)

    await lan.edit(message_id, "Hello")

    assert app.bot_data["seen"] == [("edited", message_id, "Hello")]
    assert message_id >= 1_000_000


async def test_bot_photos_and_documents_are_recorded_with_file_ids(
    app: AnyApplication, api: BotApi
) -> None:
    photo = await app.bot.send_photo(
        LAN_ID, "photo-known", caption="<b>Receipt</b>", parse_mode="HTML"
    )
    document = await app.bot.send_document(
        LAN_ID,
        b"%PDF-1.4",
        filename="report.pdf",
        caption="Báo cáo <i>tháng</i>",
        parse_mode="HTML",
    )

    first, second = api.messages(LAN_ID)
    assert (first.kind, first.file_id, first.plain_text) == ("photo", "photo-known", "Receipt")
    assert photo.photo[-1].file_id == "photo-known"
    assert photo.caption == "Receipt"
    assert (second.kind, second.filename, second.mime_type, second.plain_text) == (
        "document",
        "report.pdf",
        "application/pdf",
        "Báo cáo tháng",
    )
    assert document.document is not None
    assert document.document.file_id == second.file_id


async def test_group_messages_carry_the_group_chat(app: AnyApplication, lan: Person) -> None:
    await lan.send_in_group("Hi all", GROUP_ID)

    reply = lan.api.last(GROUP_ID)
    assert reply.plain_text == "You said: Hi all"
    assert lan.messages == []
    assert (await app.bot.send_message(GROUP_ID, "x")).chat.type == "group"


@pytest.mark.parametrize("api", ["in process"], indirect=True)  # over HTTP: test_server.py
async def test_every_call_is_recorded_with_its_parameters(
    app: AnyApplication, api: BotApi
) -> None:
    await app.bot.send_chat_action(LAN_ID, "typing")
    await app.bot.set_my_commands([("start", "Start over")])

    assert api.calls[0][0] == "getMe"
    assert ("sendChatAction", {"chat_id": LAN_ID, "action": "typing"}) in api.calls
    assert api.calls[-1] == (
        "setMyCommands",
        {"commands": [{"command": "start", "description": "Start over"}]},
    )


async def test_get_updates_returns_nothing_after_a_short_pause(app: AnyApplication) -> None:
    started = asyncio.get_running_loop().time()

    assert await app.bot.get_updates(timeout=10) == ()

    assert 0.04 <= asyncio.get_running_loop().time() - started < 1


async def test_the_registered_webhook_is_reported_until_it_is_deleted(
    app: AnyApplication,
) -> None:
    assert await app.bot.delete_webhook() is True
    assert await app.bot.set_webhook("https://example.test/hook", secret_token="s3cret") is True
    assert (await app.bot.get_webhook_info()).url == "https://example.test/hook"
    assert await app.bot.delete_webhook() is True
    assert (await app.bot.get_webhook_info()).url == ""
    await app.bot.set_webhook("https://example.test/hook")
    assert await app.bot.set_webhook("") is True  # an empty URL removes it, as in Telegram
    assert (await app.bot.get_webhook_info()).url == ""


async def test_a_webhook_secret_with_characters_telegram_refuses_is_rejected(
    app: AnyApplication,
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await app.bot.set_webhook("https://example.test/hook", secret_token="not secret!")
    assert (await app.bot.get_webhook_info()).url == ""


async def test_updates_are_held_for_get_updates_until_a_later_offset_confirms_them(
    app: AnyApplication, api: BotApi, lan: Person
) -> None:
    first = api.hold(lan.said("Hello"))
    second = api.hold(lan.said("Again"))

    handed = await app.bot.get_updates(timeout=10)
    again = await app.bot.get_updates(offset=first)  # the first is not confirmed yet
    assert [u.update_id for u in handed] == [u.update_id for u in again] == [first, second]
    assert handed[0].message is not None
    assert handed[0].message.text == "Hello"
    assert api.fetched(first)
    assert not api.acknowledged(first)
    assert (await app.bot.get_webhook_info()).pending_update_count == 2

    assert [u.update_id for u in await app.bot.get_updates(offset=second)] == [second]
    assert api.acknowledged(first)
    assert not api.acknowledged(second)
    assert await app.bot.get_updates(offset=second + 1) == ()
    assert api.acknowledged(second)


async def test_get_updates_hands_out_at_most_the_limit_asked_for(
    app: AnyApplication, api: BotApi, lan: Person
) -> None:
    held = [api.hold(lan.said(f"message {n}")) for n in range(3)]

    assert [u.update_id for u in await app.bot.get_updates(limit=2)] == held[:2]
    assert not api.fetched(held[2])


async def test_get_updates_is_refused_while_a_webhook_is_set(app: AnyApplication) -> None:
    await app.bot.set_webhook("https://example.test/hook")

    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await app.bot.get_updates(timeout=10)


async def test_deleting_the_webhook_keeps_the_held_updates_unless_asked_to_drop_them(
    app: AnyApplication, api: BotApi, lan: Person
) -> None:
    api.hold(lan.said("Hello"))

    await app.bot.delete_webhook(drop_pending_updates=False)
    assert (await app.bot.get_webhook_info()).pending_update_count == 1
    await app.bot.delete_webhook(drop_pending_updates=True)
    assert (await app.bot.get_webhook_info()).pending_update_count == 0
    assert await app.bot.get_updates() == ()
