"""The Bot API as Telegram keeps it for one bot, whatever carries the calls.

`BotApi` answers Bot API methods with Telegram-shaped JSON and holds what Telegram holds: each
chat's messages as a client shows them (HTML parsed, or refused, as Telegram does), their
inline buttons, edits and deletions, callback answers, files, the updates waiting for
getUpdates until a later offset confirms them, the registered webhook and its secret; it also
records every call and plays injected faults. The adapters carry the calls: `standin.inprocess`
as PTB's request backend, `standin.server` over HTTP on 127.0.0.1.

Every method takes the lock, so an HTTP adapter's threads and a test reading the state agree;
the lock is notified after every change, for whoever waits on it.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from standin.errors import (
    ANSWER_TOO_LONG,
    NOT_FOUND,
    NOT_MODIFIED,
    SECRET_INVALID,
    WEBHOOK_ACTIVE,
    ApiError,
    Fault,
    FaultKind,
    JSONDict,
    Reply,
    ok,
)
from standin.messages import (
    FILE_KINDS,
    MAX_ANSWER_LENGTH,
    Body,
    FileKind,
    MessageKind,
    SentMessage,
    apply_body,
    chat_json,
    inline_markup,
    media_json,
    now,
    read_caption,
    read_int,
    read_markup,
    read_text,
)

BOT_USER_ID = 777000111
BOT_FIRST_NAME = "CS Assistant"
DEFAULT_BOT_USERNAME = "cs_assistant_bot"
FIRST_INCOMING_MESSAGE_ID = 1_000_000
MAX_UPDATES_PER_CALL = 100
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Call(NamedTuple):
    """One Bot API call the bot made, with its parameters as they arrived."""

    method: str
    params: JSONDict


class BotApi:
    """Answer Bot API methods and hold the chats, updates and webhook Telegram holds."""

    #: Seconds a getUpdates call with nothing to return is held at most, whatever it asks.
    long_poll_cap = 0.0

    def __init__(self, username: str = DEFAULT_BOT_USERNAME, first_update_id: int = 1) -> None:
        self.bot_user: JSONDict = {
            "id": BOT_USER_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.lock = threading.Condition()
        self.calls: list[Call] = []
        self.answers: list[JSONDict] = []
        #: Every update sent to the bot, by id; `pending` are those getUpdates still holds.
        self.updates: dict[int, JSONDict] = {}
        self.pending: list[JSONDict] = []
        self.handed_out: set[int] = set()
        #: The parameters of the webhook registered with setWebhook; empty when none is.
        self.webhook: JSONDict = {}
        self._chats: dict[int, dict[int, SentMessage]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._first_message_id = 1
        self._faults: dict[str, deque[Fault]] = {}
        self._update_ids = itertools.count(first_update_id)
        self._incoming_message_ids = itertools.count(FIRST_INCOMING_MESSAGE_ID)
        self._file_ids = itertools.count(1)
        self._methods: dict[str, Callable[[JSONDict], object]] = {
            "getme": lambda _params: self.bot_user,
            "sendmessage": self._send_message,
            **{
                f"send{kind.replace('_', '')}": partial(self._send_file, kind=kind)
                for kind in FILE_KINDS
            },
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            **{
                name: lambda _params: True
                for name in (
                    "sendchataction",
                    "setmycommands",
                    "setchatmenubutton",
                    "deletemycommands",
                    "close",
                    "logout",
                )
            },
        }

    # ------------------------------------------------------------------ calls

    def receive(self, method: str, params: JSONDict) -> Fault | None:
        """Record a call as it arrives; return the injected fault it must meet, if any."""
        with self.lock:
            self.calls.append(Call(method, params))
            self.lock.notify_all()
            faults = self._faults.get(method.lower())
            return faults.popleft() if faults else None

    def answer(self, method: str, params: JSONDict) -> Reply:
        """Run one Bot API method and return Telegram's answer to it."""
        with self.lock:
            try:
                implementation = self._methods.get(method.lower())
                if implementation is None:
                    raise ApiError(404, NOT_FOUND)
                return ok(implementation(params))
            except ApiError as failure:
                return failure.reply()
            finally:
                self.lock.notify_all()

    def fail_next(
        self,
        method: str,
        kind: FaultKind,
        times: int = 1,
        retry_after: float = 1,
        migrate_to_chat_id: int = 0,
    ) -> None:
        """Make the next `times` calls of a Bot API method fail in the given way."""
        # Telegram sends whole seconds in retry_after; a fraction keeps retrying tests fast.
        fault = Fault(kind, retry_after, migrate_to_chat_id)
        with self.lock:
            self._faults.setdefault(method.lower(), deque()).extend([fault] * times)

    def called(self, method: str) -> list[Call]:
        """Return the calls of one method, in order."""
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def methods(self) -> list[str]:
        """Return the names of the methods called so far, in order."""
        with self.lock:
            return [call.method for call in self.calls]

    # ---------------------------------------------------------------- updates

    def next_update_id(self) -> int:
        """Allocate the next update_id for an incoming update."""
        with self.lock:
            return next(self._update_ids)

    def continue_after(self, update_id: int) -> None:
        """Number the next incoming updates after `update_id` (a bot that has handled updates
        up to it takes a lower id for one already handled, and ignores it)."""
        with self.lock:
            self._update_ids = itertools.count(update_id + 1)

    def continue_messages_after(self, message_id: int) -> None:
        """Number the bot's next messages in every chat after `message_id`, as Telegram never
        gives a chat's id twice: a bot that kept a message's id from a run before (a case's
        card) edits that message, never a new one that took its number."""
        with self.lock:
            self._first_message_id = message_id + 1
            self._message_ids.clear()

    def keep(self, update: JSONDict) -> int:
        """Keep an update sent to the bot (for redelivery and inspection); return its id."""
        with self.lock:
            self.updates[update["update_id"]] = update
            return int(update["update_id"])

    def hold(self, update: JSONDict) -> int:
        """Keep an update and hold it for getUpdates until a later offset confirms it."""
        with self.lock:
            self.pending.append(update)
            self.lock.notify_all()
            return self.keep(update)

    def start_poll(self, params: JSONDict) -> float:
        """Take a getUpdates call as it arrives; return how long it may wait for news.

        Telegram forgets the updates below the offset as soon as the call arrives, answers at
        once when it has something to say, and otherwise waits up to the call's timeout.
        """
        with self.lock:
            self._confirm(params)
            if self.has_news():
                return 0.0
        return min(float(params.get("timeout") or 0), self.long_poll_cap)

    def has_news(self) -> bool:
        """Tell whether a getUpdates call would be answered at once (updates, or a conflict)."""
        with self.lock:
            return bool(self.pending or self.webhook)

    def fetched(self, update_id: int) -> bool:
        """Tell whether getUpdates has handed out `update_id` (handled or not)."""
        with self.lock:
            return update_id in self.handed_out

    def acknowledged(self, update_id: int) -> bool:
        """Tell whether the bot confirmed `update_id` by asking for a later offset."""
        with self.lock:
            return update_id in self.handed_out and all(
                update["update_id"] != update_id for update in self.pending
            )

    # ------------------------------------------------------------------ chats

    def messages(self, chat_id: int, include_deleted: bool = False) -> list[SentMessage]:
        """Return the bot's messages in a chat, oldest first."""
        with self.lock:
            chat = self._chats.get(chat_id, {})
            return [m for m in chat.values() if include_deleted or not m.deleted]

    def last(self, chat_id: int) -> SentMessage:
        """Return the bot's most recent message in a chat."""
        messages = self.messages(chat_id)
        if not messages:
            raise LookupError(f"the bot has sent nothing to chat {chat_id}")
        return messages[-1]

    def last_with_buttons(self, chat_id: int) -> SentMessage | None:
        """Return the bot's most recent message in a chat that has inline buttons."""
        with_buttons = [message for message in self.messages(chat_id) if message.buttons]
        return with_buttons[-1] if with_buttons else None

    def find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        """Return one of the bot's messages by id, deleted or not."""
        with self.lock:
            return self._chats.get(chat_id, {}).get(message_id)

    def forget(self, chat_id: int, keep: int = 1) -> None:
        """Drop all but the latest `keep` of the bot's messages in a chat, deleted or not.

        For long runs, whose memory would otherwise grow with every message. Message ids keep
        counting, so a forgotten id is never reused; the bot editing or deleting a forgotten
        message gets "message to edit not found", as for a message that never existed.
        """
        with self.lock:
            chat = self._chats.get(chat_id, {})
            for message_id in list(chat)[: max(len(chat) - keep, 0)]:
                del chat[message_id]

    def chat_ids(self) -> list[int]:
        """Return the ids of all chats the bot has sent something to."""
        with self.lock:
            return list(self._chats)

    def next_incoming_message_id(self) -> int:
        """Allocate the next message id for a message written by a user."""
        with self.lock:
            return next(self._incoming_message_ids)

    def new_file_id(self, prefix: str) -> str:
        """Allocate a unique file_id such as ``photo-3``."""
        with self.lock:
            return f"{prefix}-{next(self._file_ids)}"

    def message_json(self, message: SentMessage) -> JSONDict:
        """Return a bot message as Telegram serialises it, with its current keyboard."""
        data: JSONDict = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": chat_json(message.chat_id),
            "from": self.bot_user,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        text_key, entities_key = (
            ("text", "entities") if message.kind == "text" else ("caption", "caption_entities")
        )
        if message.text is not None:
            data[text_key] = message.plain_text
        if message.entities:
            data[entities_key] = message.entities
        data.update(media_json(message))
        inline = inline_markup(message.reply_markup)
        if inline is not None:
            data["reply_markup"] = inline
        return data

    # ---------------------------------------------------------------- methods

    def _store(self, params: JSONDict, kind: MessageKind, body: Body | None) -> SentMessage:
        """Record a new bot message in the chat named by params."""
        chat_id = read_int(params, "chat_id", "chat not found")
        markup, buttons = read_markup(params)
        chat = self._chats.setdefault(chat_id, {})
        message = SentMessage(
            message_id=next(
                self._message_ids.setdefault(chat_id, itertools.count(self._first_message_id))
            ),
            chat_id=chat_id,
            kind=kind,
            date=now(),
            reply_markup=markup,
            buttons=buttons,
        )
        if body is not None:
            apply_body(message, body)
        chat[message.message_id] = message
        return message

    def _send_message(self, params: JSONDict) -> JSONDict:
        """Implement sendMessage."""
        return self.message_json(self._store(params, "text", read_text(params)))

    def _send_file(self, params: JSONDict, kind: FileKind) -> JSONDict:
        """Implement sendPhoto, sendDocument, sendVoice, sendAudio, sendVideo and
        sendVideoNote (which takes no caption), by file_id or upload."""
        source = params.get(kind)
        if source is None:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        caption = None if kind == "video_note" else read_caption(params)
        message = self._store(params, kind, caption)
        if isinstance(source, dict):
            message.file_id = self.new_file_id(f"{kind}-upload")
            message.filename = source["filename"]
            message.mime_type = source["mime_type"]
        else:
            message.file_id = str(source)
        return self.message_json(message)

    def _target(self, params: JSONDict, verb: str) -> SentMessage:
        """Return the existing message an edit or delete refers to."""
        not_found = f"message to {verb} not found"
        chat_id = read_int(params, "chat_id", not_found)
        message = self._chats.get(chat_id, {}).get(read_int(params, "message_id", not_found))
        if message is None or message.deleted:
            raise ApiError(400, f"Bad Request: {not_found}")
        return message

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        """Implement editMessageText; an omitted reply_markup removes the keyboard."""
        message = self._target(params, "edit")
        if message.kind != "text":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        return self._edit(message, read_text(params), params)

    def _edit_message_caption(self, params: JSONDict) -> JSONDict:
        """Implement editMessageCaption; an omitted caption removes it."""
        message = self._target(params, "edit")
        if message.kind == "text":
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        body = read_caption(params) or Body(None, None, "", [])
        return self._edit(message, body, params)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        """Implement editMessageReplyMarkup."""
        return self._edit(self._target(params, "edit"), None, params)

    def _edit(self, message: SentMessage, body: Body | None, params: JSONDict) -> JSONDict:
        """Apply an edit in place, refusing one that changes nothing visible."""
        markup, buttons = read_markup(params)
        shown = (message.plain_text, message.entities, inline_markup(message.reply_markup))
        new_text = (body.plain_text, body.entities) if body else shown[:2]
        if (*new_text, inline_markup(markup)) == shown:
            raise ApiError(400, NOT_MODIFIED)
        if body is not None:
            apply_body(message, body)
        message.reply_markup, message.buttons = markup, buttons
        message.edit_date, message.edited = now(), True
        message.version += 1
        return self.message_json(message)

    def _delete_message(self, params: JSONDict) -> bool:
        """Implement deleteMessage."""
        message = self._target(params, "delete")
        message.deleted = True
        message.version += 1
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        """Implement answerCallbackQuery, keeping the answer for assertions; a notification
        longer than Telegram's 200 characters is refused, as Telegram refuses it."""
        text = str(params.get("text") or "")
        if len(text.encode("utf-16-le")) // 2 > MAX_ANSWER_LENGTH:
            raise ApiError(400, ANSWER_TOO_LONG)
        self.answers.append(params)
        return True

    def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Implement getUpdates: what is held after the offset, refused while a webhook is set."""
        if self.webhook:
            raise ApiError(409, WEBHOOK_ACTIVE)
        self._confirm(params)
        limit = min(max(int(params.get("limit") or MAX_UPDATES_PER_CALL), 1), MAX_UPDATES_PER_CALL)
        batch = self.pending[:limit]
        self.handed_out.update(int(update["update_id"]) for update in batch)
        return batch

    def _confirm(self, params: JSONDict) -> None:
        """Forget the held updates below a getUpdates offset: the bot is done with them."""
        offset = int(params.get("offset") or 0)
        self.pending = [update for update in self.pending if update["update_id"] >= offset]

    def _set_webhook(self, params: JSONDict) -> bool:
        """Implement setWebhook; an empty URL removes the webhook, as Telegram allows."""
        if not params.get("url"):
            return self._delete_webhook(params)
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.fullmatch(str(secret)):
            raise ApiError(400, SECRET_INVALID)
        self.webhook = params
        return True

    def _delete_webhook(self, params: JSONDict) -> bool:
        """Implement deleteWebhook, dropping the held updates only when asked to."""
        self.webhook = {}
        if str(params.get("drop_pending_updates")).lower() == "true":
            self.pending.clear()
        return True

    def _get_webhook_info(self, _params: JSONDict) -> JSONDict:
        """Implement getWebhookInfo."""
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
