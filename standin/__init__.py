"""A stand-in for the Telegram Bot API: one core and two ways of talking to it.

- `standin.core` — the Bot API as Telegram keeps it for one bot: chats and their messages,
  buttons, edits, deletes, callback answers, files, held updates, the webhook, recorded calls
  and injected faults (`standin.messages`: a message read, checked and serialised;
  `standin.entities`: Telegram's HTML; `standin.errors`: its answers;
  `standin.users`: a user's side of a chat).
- `standin.inprocess` — PTB's request backend (`FakeBotApi`), with `Person` playing a user:
  console mode and the conversation tests.
- `standin.server` — the same over HTTP on 127.0.0.1 (`BotApiServer`), with `TelegramUser`:
  the real `main.py run` process in tests/e2e.

Nothing the bot serves Telegram with imports this package; only console mode does.
"""
