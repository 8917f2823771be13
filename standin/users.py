"""A Telegram user's side of a private chat with the bot: the updates a client sends, and the
bot's messages as the client shows them. The adapters' drivers (`Person`, `TelegramUser`) only
add how an update reaches the bot.
"""

from __future__ import annotations

import re

from standin.core import BotApi
from standin.entities import utf16_len
from standin.errors import JSONDict
from standin.messages import SentMessage, chat_json, now


class ChatUser:
    """One Telegram user: their identity, their chat with the bot, the updates they make."""

    def __init__(
        self,
        api: BotApi,
        telegram_id: int,
        first_name: str,
        language_code: str = "en",
        username: str | None = None,
    ) -> None:
        self.api = api
        self.telegram_id = telegram_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username

    @property
    def chat_id(self) -> int:
        """Return the id of this user's private chat with the bot (equal to the user id)."""
        return self.telegram_id

    @property
    def user(self) -> JSONDict:
        """Return this user as a Telegram User object."""
        user: JSONDict = {
            "id": self.telegram_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.username:
            user["username"] = self.username
        return user

    @property
    def messages(self) -> list[SentMessage]:
        """Return the bot's messages in this user's chat."""
        return self.api.messages(self.chat_id)

    @property
    def last(self) -> SentMessage:
        """Return the bot's most recent message in this user's chat."""
        return self.api.last(self.chat_id)

    @property
    def last_text(self) -> str:
        """Return the visible text (HTML removed) of the bot's most recent message."""
        return self.last.plain_text

    @property
    def buttons(self) -> list[str]:
        """Return the labels of the most recent bot message with buttons."""
        message = self.api.last_with_buttons(self.chat_id)
        return message.button_labels if message else []

    def message_id_of(self, update_id: int) -> int:
        """Return the id of the user message carried by an update this user sent."""
        update = self.api.updates[update_id]
        return int((update.get("message") or update["edited_message"])["message_id"])

    def said(self, text: str) -> JSONDict:
        """Return the update of a text message in the private chat."""
        return self.new_message(self._private_chat(), text_fields(text))

    def new_message(self, chat: JSONDict, fields: JSONDict) -> JSONDict:
        """Return the update of a new message from this user in a chat."""
        message = {
            "message_id": self.api.next_incoming_message_id(),
            "date": now(),
            "chat": chat,
            "from": self.user,
            **fields,
        }
        return {"update_id": self.api.next_update_id(), "message": message}

    def pressed(self, label_or_data: str, message: SentMessage | None = None) -> JSONDict:
        """Return the update of pressing a button: on `message`, else on the newest message
        that has it (a person scrolls up to the card above a timeline), else on the newest
        with buttons, whose missing button is then named."""
        target = message or self._showing(label_or_data)
        if target is None:
            raise LookupError(f"no bot message with buttons in {self.first_name}'s chat")
        button = target.find_button(label_or_data)
        return self._callback(str(button.callback_data), self.api.message_json(target))

    def _showing(self, label_or_data: str) -> SentMessage | None:
        offering = [m for m in self.api.messages(self.chat_id) if m.offers(label_or_data)]
        return offering[-1] if offering else self.api.last_with_buttons(self.chat_id)

    def pressed_data(self, data: str, message_id: int | None = None) -> JSONDict:
        """Return the update of a callback query with arbitrary, possibly forged, data."""
        return self._callback(data, self._callback_message(message_id))

    def _private_chat(self) -> JSONDict:
        """Return this user's private chat with the bot."""
        chat: JSONDict = {"id": self.chat_id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat

    def _callback_message(self, message_id: int | None) -> JSONDict:
        """Return the message a callback query is attached to, inventing one if needed."""
        if message_id is None:
            messages = self.messages
            found = self.api.last_with_buttons(self.chat_id) or (
                messages[-1] if messages else None
            )
        else:
            found = self.api.find_message(self.chat_id, message_id)
        if found is not None:
            return self.api.message_json(found)
        return {
            "message_id": message_id or 1,
            "date": now(),
            "chat": chat_json(self.chat_id),
            "from": self.api.bot_user,
            "text": "…",
        }

    def _callback(self, data: str, message: JSONDict) -> JSONDict:
        """Return a callback_query update from this user."""
        update_id = self.api.next_update_id()
        query = {
            "id": f"cbq-{update_id}",
            "from": self.user,
            "message": message,
            "chat_instance": f"chat-instance-{self.chat_id}",
            "data": data,
        }
        return {"update_id": update_id, "callback_query": query}


#: A command at the start of a message, as Telegram reads one (`/new`, `/case@bot`).
BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


def text_fields(text: str) -> JSONDict:
    """Return the text of a user message, with a bot_command entity for a leading command
    (as Telegram marks one: a slash, then Latin letters, digits or underscores; "/ 5pm" is
    plain text)."""
    fields: JSONDict = {"text": text}
    if command := BOT_COMMAND.match(text):
        length = utf16_len(command[0])
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return fields
