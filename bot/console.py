"""Console mode: chat with the bot from a terminal, playing several Telegram users in turn."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Awaitable, Callable, Iterator

from standin.inprocess import AnyApplication, FakeBotApi, Person
from standin.messages import Button, SentMessage

ReadLine = Callable[[str], Awaitable[str | None]]
Write = Callable[[str], None]

SEPARATOR = "─" * 40
#: What leaves the console: never /exit, which is the bot's own (an exit interview).
QUIT_COMMANDS = ("/quit",)


#: Longer numbers (phone numbers, amounts, years) are sent as text.
MAX_BUTTON_DIGITS = 2
#: Said at start on a database worked on before: the cases are there, the messages are not.
RESUMED = (
    "Started again on the same database: every case is where it was left, but the messages "
    "before are not shown. Type /cases to pick a case up at its step."
)


async def read_terminal_line(prompt: str) -> str | None:
    """Read a terminal line without blocking the loop; None at end of input or on Ctrl-C."""
    # A daemon thread, not asyncio.to_thread: a pool thread stuck in input() keeps asyncio.run
    # from exiting after Ctrl-C until Enter is pressed. Ctrl-C ends input so callers stop cleanly.
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str | None] = loop.create_future()

    def settle(line: str | None) -> None:
        if not answer.done():
            answer.set_result(line)

    def read() -> None:
        try:
            line: str | None = input(prompt)
        except EOFError:
            line = None
        with contextlib.suppress(RuntimeError):  # the loop may be closed by now
            loop.call_soon_threadsafe(settle, line)

    threading.Thread(target=read, name="console-input", daemon=True).start()
    with _ctrl_c_calls(loop, lambda: settle(None)):
        return await answer


@contextlib.contextmanager
def _ctrl_c_calls(loop: asyncio.AbstractEventLoop, callback: Callable[[], None]) -> Iterator[None]:
    """Route Ctrl-C to callback for the duration, where the platform allows it."""
    previous = signal.getsignal(signal.SIGINT)
    try:
        loop.add_signal_handler(signal.SIGINT, callback)
    except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
        yield
        return
    try:
        yield
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        signal.signal(signal.SIGINT, previous)


async def run_console(
    application: AnyApplication,
    api: FakeBotApi,
    people: list[Person],
    *,
    read_line: ReadLine | None = None,
    write: Write = print,
    resumed: bool = False,
) -> None:
    """Let a human act as each of ``people`` in turn until /quit, end of input or Ctrl-C;
    `resumed`: started again on a database the bot has already worked on, whose chat
    history (the stand-in's) is gone while its cases are not."""
    console = _Console(api, people, write)
    console.banner(application.bot.username)
    if resumed:
        write(RESUMED)
    console.show_news()
    read = read_line or read_terminal_line
    while True:
        try:
            line = await read(console.prompt)
        except (EOFError, KeyboardInterrupt):
            line = None
        if line is None or not await console.handle(line.strip()):
            break
    write("Bye.")


def render(message: SentMessage) -> list[str]:
    """Return a bot message as readable console lines, buttons numbered across rows."""
    lines = [SEPARATOR]
    if message.edited:
        lines.append("(edited)")
    if message.kind == "photo":
        lines.append(f"[photo {message.file_id}]")
    elif message.kind != "text":  # a document, a voice message, a video…
        lines.append(f"[{message.kind} {message.filename or message.file_id}]")
    if message.plain_text:
        lines.append(message.plain_text)
    number = 0
    for row in message.buttons:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {_label(button)}")
        lines.append("  " + "   ".join(labels))
    return lines


def _label(button: Button) -> str:
    """Return a button's label, marking link buttons."""
    return button.text if button.url is None else f"{button.text} (link: {button.url})"


class _Console:
    """Track who is speaking and which bot messages have been shown."""

    def __init__(self, api: FakeBotApi, people: list[Person], write: Write) -> None:
        if not people:
            raise ValueError("console mode needs at least one person")
        self.api = api
        self.people = people
        self.write = write
        self.current = people[0]
        self.shown: dict[tuple[int, int], int] = {}
        self.announced: set[tuple[int, int]] = set()

    @property
    def prompt(self) -> str:
        """Return the prompt naming the current identity."""
        return f"[{self.current.first_name}] > "

    def banner(self, bot_username: str) -> None:
        """Explain how to use the console."""
        self.write(
            f"Console mode — talking to @{bot_username} as {self.current.first_name}.\n"
            "Type a message to send it; a number up to 99 presses that button of the latest "
            "keyboard.\n"
            "/as N or /as name switches identity, /who lists identities, "
            "/quit (or Ctrl-D, Ctrl-C) leaves.\n"
            "Start a line with \\ to send it as typed, e.g. \\42 or \\/as."
        )

    async def handle(self, line: str) -> bool:
        """Act on one line of input; return False when the user wants to leave."""
        if line in QUIT_COMMANDS:
            return False
        if line.startswith("\\"):
            await self.current.send(line[1:])
        elif line == "/who":
            self.list_people()
        elif line == "/as" or line.startswith("/as "):
            self.switch(line[3:].strip())
        elif line.isdigit() and len(line) <= MAX_BUTTON_DIGITS:
            await self.press_number(int(line))
        elif line:
            await self.current.send(line)
        self.show_news()
        return True

    def list_people(self) -> None:
        """List the identities with their numbers."""
        for index, person in enumerate(self.people, start=1):
            marker = "  ← you" if person is self.current else ""
            self.write(f"  {index}. {person.first_name} (id {person.telegram_id}){marker}")

    def switch(self, wanted: str) -> None:
        """Become another person, chosen by number or name prefix."""
        if not wanted:
            self.list_people()
            return
        person = self.find_person(wanted)
        if person is None:
            self.write(f"No one matches {wanted!r}. Type /who to list identities.")
            return
        self.current = person
        self.write(f"You are now {person.first_name}.")
        if not self.unseen(person.chat_id):
            self.reprint_latest()

    def find_person(self, wanted: str) -> Person | None:
        """Return the person with this 1-based number or name prefix, if exactly one matches."""
        if wanted.isdigit():
            index = int(wanted) - 1
            return self.people[index] if 0 <= index < len(self.people) else None
        prefix = wanted.casefold()
        matches = [p for p in self.people if p.first_name.casefold().startswith(prefix)]
        return matches[0] if len(matches) == 1 else None

    def reprint_latest(self) -> None:
        """Show the current person's latest message with buttons (or latest message) again."""
        chat_id = self.current.chat_id
        messages = self.api.messages(chat_id)
        message = self.api.last_with_buttons(chat_id) or (messages[-1] if messages else None)
        if message is None:
            self.write("(nothing from the bot yet)")
            return
        self.show(message)

    async def press_number(self, number: int) -> None:
        """Press the numbered button of the current person's latest keyboard."""
        message = self.api.last_with_buttons(self.current.chat_id)
        buttons = [button for row in message.buttons for button in row] if message else []
        if message is None or not 1 <= number <= len(buttons):
            self.write(
                f"Sorry, there is no button {number} right now. "
                f"To send {number} as a message, type \\{number}."
                + ("" if message else " To pick up a case, type /cases.")
            )
            return
        button = buttons[number - 1]
        if button.callback_data is None:
            self.write(f"Button {number} opens a link: {button.url}")
            return
        answered = len(self.api.answers)
        await self.current.press_data(button.callback_data, message.message_id)
        for answer in self.api.answers[answered:]:  # Telegram shows these over the chat
            if answer.get("text"):
                self.write(
                    f"({'alert' if answer.get('show_alert') else 'notice'}: {answer['text']})"
                )

    def unseen(self, chat_id: int) -> list[SentMessage]:
        """Return messages in a chat that are new or changed since they were last shown."""
        return [
            message
            for message in self.api.messages(chat_id)
            if self.shown.get((chat_id, message.message_id)) != message.version
        ]

    def show(self, message: SentMessage) -> None:
        """Print a message and remember which version was shown."""
        self.write("\n".join(render(message)))
        self.shown[(message.chat_id, message.message_id)] = message.version

    def show_news(self) -> None:
        """Print the current person's news and announce new messages in other chats."""
        for message in self.unseen(self.current.chat_id):
            self.show(message)
        for chat_id in self.api.chat_ids():
            if chat_id != self.current.chat_id:
                self.announce(chat_id)

    def announce(self, chat_id: int) -> None:
        """Mention, once each, new messages that arrived in someone else's chat."""
        for message in self.unseen(chat_id):
            key = (chat_id, message.message_id)
            if key in self.announced or key in self.shown:
                continue
            self.announced.add(key)
            self.write(self.announcement(message))

    def announcement(self, message: SentMessage) -> str:
        """Return the one-line notice for a message in another chat."""
        for index, person in enumerate(self.people, start=1):
            if person.chat_id == message.chat_id:
                return f"(new message for {person.first_name} — type /as {index} to see it)"
        preview = message.plain_text.splitlines()[0] if message.plain_text else message.kind
        return f"(new message in chat {message.chat_id}: {preview})"
