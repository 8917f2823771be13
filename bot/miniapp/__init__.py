"""The case log as a Telegram Mini App: a page served by the bot's own web server.

`init_data` checks who opened it, `server` answers its requests, `views` draws the chat's
renderings as JSON, `charts` draws the report's charts as SVG, `chat` opens it from Telegram
(/log and the menu button), `dev` makes development links for console mode; the page itself
is `static/` (HTML, CSS and plain JavaScript, no build step, no library).
"""
