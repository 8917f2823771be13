"""The Bot API stand-in in process: PTB's request backend, and a user who talks to the bot.

``FakeBotApi`` plugs into PTB as its request backend (console mode and the conversation
tests) and answers every call from the core. ``Person`` builds real update JSON and feeds it
to a PTB ``Application``, so handlers run exactly as in production.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from telegram import Update
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from standin.core import BotApi
from standin.errors import Fault, JSONDict, Reply
from standin.messages import SentMessage, now, photo_size
from standin.users import ChatUser, text_fields

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


class FakeBotApi(BotApi, BaseRequest):
    """Answer the Bot API calls of a PTB Application in process."""

    #: Nobody queues updates in process (`Person` hands them to the Application), so a
    #: getUpdates call only pauses briefly, as an empty long poll would.
    long_poll_cap = 0.05

    @property
    def read_timeout(self) -> float | None:
        """Return the default read timeout PTB adds to long-polling timeouts."""
        return 5.0

    async def initialize(self) -> None:
        """Do nothing: the stand-in holds no connections."""

    async def shutdown(self) -> None:
        """Do nothing: the stand-in holds no connections."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> Reply:
        """Answer one Bot API call, named by the last segment of url.

        The answer comes after a turn of the event loop, as an answer over the network
        would: other chats' updates, the reminder loop and queued work go on meanwhile.
        """
        name = url.rsplit("/", 1)[-1]
        params = _read_params(request_data)
        fault = self.receive(name, params)
        await asyncio.sleep(0)
        if fault is not None:
            return _play(fault)
        if name.lower() == "getupdates":
            await asyncio.sleep(self.start_poll(params))
        return self.answer(name, params)


def _play(fault: Fault) -> Reply:
    """Raise the error PTB's HTTP client raises for a transport fault, or return the answer."""
    if fault.kind == "timeout":
        raise TimedOut("Injected timeout")
    if fault.kind == "network":
        raise NetworkError("Injected network failure")
    return fault.reply()


def _read_params(request_data: RequestData | None) -> JSONDict:
    """Return the call's parameters, with uploaded files described by name and mime type."""
    if request_data is None:
        return {}
    params: JSONDict = dict(request_data.parameters)
    for part, (filename, _content, mime_type) in request_data.multipart_data.items():
        params[part] = {"filename": filename, "mime_type": mime_type}
    return params


class Person(ChatUser):
    """Play one Telegram user talking to the bot through a real PTB Application.

    The Application may call the Bot API through either adapter: only its updates come from
    here.
    """

    def __init__(
        self,
        application: AnyApplication,
        api: BotApi,
        telegram_id: int,
        first_name: str,
        language_code: str = "vi",
        username: str | None = None,
    ) -> None:
        super().__init__(api, telegram_id, first_name, language_code, username)
        self.application = application

    async def send(self, text: str) -> int:
        """Send a text message; a leading /command gets a bot_command entity."""
        return await self._deliver(self.said(text))

    async def send_in_group(self, text: str, group_chat_id: int) -> int:
        """Send a text message in a group chat."""
        chat = {"id": group_chat_id, "type": "group", "title": "Group chat"}
        return await self._send_message(chat, text_fields(text))

    async def send_photo(self, file_id: str | None = None, caption: str | None = None) -> int:
        """Send a photo; the largest size carries file_id."""
        file_id = file_id or self.api.new_file_id("photo")
        sizes = [photo_size(f"{file_id}-thumb", 90), photo_size(file_id, 1280)]
        fields: JSONDict = {"photo": sizes}
        if caption is not None:
            fields["caption"] = caption
        return await self._send_message(self._private_chat(), fields)

    async def send_document(
        self,
        file_id: str | None = None,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
    ) -> int:
        """Send a document."""
        file_id = file_id or self.api.new_file_id("document")
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "mime_type": mime_type,
        }
        return await self._send_message(self._private_chat(), {"document": document})

    async def send_sticker(self, file_id: str = "sticker-1") -> int:
        """Send a sticker."""
        sticker = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return await self._send_message(self._private_chat(), {"sticker": sticker})

    async def send_voice(self, file_id: str = "voice-1", seconds: int = 3) -> int:
        """Send a voice message."""
        voice = {"file_id": file_id, "file_unique_id": file_id, "duration": seconds}
        return await self._send_message(self._private_chat(), {"voice": voice})

    async def send_audio(self, file_id: str = "audio-1", file_name: str | None = None) -> int:
        """Send an audio file (a recorded call), with its file name if it has one."""
        audio: JSONDict = {"file_id": file_id, "file_unique_id": file_id, "duration": 60}
        if file_name is not None:
            audio["file_name"] = file_name
        return await self._send_message(self._private_chat(), {"audio": audio})

    async def send_video(self, file_id: str = "video-1", caption: str | None = None) -> int:
        """Send a video, with words under it if given."""
        video = {"file_id": file_id, "file_unique_id": file_id, "duration": 10}
        fields: JSONDict = {"video": {**video, "width": 640, "height": 360}}
        if caption is not None:
            fields["caption"] = caption
        return await self._send_message(self._private_chat(), fields)

    async def send_video_note(self, file_id: str = "video-note-1") -> int:
        """Send a video note (the round video recorded in the chat)."""
        note = {"file_id": file_id, "file_unique_id": file_id, "duration": 5, "length": 240}
        return await self._send_message(self._private_chat(), {"video_note": note})

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Send a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send_message(self._private_chat(), {"location": location})

    async def send_contact(self, phone_number: str, first_name: str | None = None) -> int:
        """Share a contact; without a first name it is this user's own contact."""
        contact: JSONDict = {"phone_number": phone_number, "first_name": first_name}
        if first_name is None:
            contact.update(first_name=self.first_name, user_id=self.telegram_id)
        return await self._send_message(self._private_chat(), {"contact": contact})

    async def edit(self, message_id: int, new_text: str) -> int:
        """Edit one of this user's earlier text messages."""
        message = {
            "message_id": message_id,
            "date": now(),
            "edit_date": now(),
            "chat": self._private_chat(),
            "from": self.user,
            **text_fields(new_text),
        }
        return await self._deliver(
            {"update_id": self.api.next_update_id(), "edited_message": message}
        )

    async def press(self, label_or_data: str, message: SentMessage | None = None) -> int:
        """Press a button on a message (default: the latest one with buttons)."""
        return await self._deliver(self.pressed(label_or_data, message))

    async def press_data(self, data: str, message_id: int | None = None) -> int:
        """Send a callback query with arbitrary, possibly forged, data."""
        return await self._deliver(self.pressed_data(data, message_id))

    async def redeliver(self, update_id: int) -> int:
        """Deliver an already sent update again, with the same update_id."""
        if update_id not in self.api.updates:
            raise LookupError(f"no update {update_id} was sent")
        await self._process(self.api.updates[update_id])
        return update_id

    async def _send_message(self, chat: JSONDict, fields: JSONDict) -> int:
        """Send a new message from this user in a chat."""
        return await self._deliver(self.new_message(chat, fields))

    async def _deliver(self, update: JSONDict) -> int:
        """Keep and process one update, as the updater would hand it over."""
        update_id = self.api.keep(update)
        await self._process(update)
        return update_id

    async def _process(self, update: JSONDict) -> None:
        """Feed update JSON to the Application like the updater would."""
        bot = self.application.bot
        await self.application.process_update(Update.de_json(copy.deepcopy(update), bot))
