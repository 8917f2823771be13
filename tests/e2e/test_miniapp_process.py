"""The real `main.py run` in polling mode serves the Mini App on its own web server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx

from bot.miniapp.init_data import init_data_for
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_telegram_transport import STAFF_ID, TOKEN, free_port, start_bot
from tests.e2e.test_telegram_transport import bot_api as bot_api  # the fixture


def test_a_polling_bot_serves_the_case_log_and_its_api_beside_the_poller(
    tmp_path: Path, bot_api: FakeBotApi
) -> None:
    port = free_port()
    bot = start_bot(tmp_path, bot_api, f"webhook_port = {port}\n[miniapp]\nenabled = true")
    try:
        bot_api.wait_for("the bot to poll", lambda: bot_api.called("getUpdates"), timeout=20)
        base = f"http://127.0.0.1:{port}"
        signed = init_data_for(STAFF_ID, "Lan", "en", TOKEN, datetime.now(UTC))
        with httpx.Client(base_url=base, timeout=10) as client:
            assert client.get("/healthz").text == "ok"
            assert "app.js" in client.get("/app/").text
            me = client.get("/app/api/me", headers={"Authorization": f"tma {signed}"})
            assert me.status_code == 200, me.text
            assert me.json()["oversees"] is True  # the configured admin
            assert client.get("/app/api/me").status_code == 401
            assert client.post("/telegram", json={}).status_code == 404  # no webhook here
    finally:
        code, _ = bot.stop()
        print(bot.output())  # shown when the test fails
    assert code == 0, bot.output()
    assert "setWebhook" not in bot_api.methods()
    assert "Traceback" not in bot.output()
    assert signed not in bot.output()
