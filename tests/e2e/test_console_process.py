"""The README's path for a newcomer: the real `main.py console` process, typed at."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lan (staff) opens a complaint and walks the five steps; Minh (supervisor) approves the
# compensation; Lan follows up, closes the case and reads its timeline.
SCRIPT = [
    "/new",
    "1",
    "Phạm Thị Mai",
    "0912345678",
    "1",
    "2020",
    "5tr",
    "Giao nhầm cỡ giày",
    "4",
    "2",
    "2",
    "Chị ấy đã bình tĩnh",
    "Đổi ngay cỡ đúng trong hôm nay",
    "1",
    "Chị cần giày cho đám cưới thứ Bảy",
    "5",
    "1tr",
    "/as 2",
    "1",
    "\\OK, nhớ gọi lại",
    "/as 1",
    "1",
    "2",
    "1",
    "/case 1",
]


def typed_at(command: str, config: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `main.py <command>` on `config` (no token from the environment), typing `lines`."""
    env = {**os.environ, "CS_CONFIG": str(config)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "main.py", command],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def console_settings(tmp_path: Path) -> tuple[Path, Path]:
    """A database and a settings file naming it, reminders off, in `tmp_path`."""
    database = tmp_path / "console.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{database}"\n[reminders]\nenabled = false\n',
        encoding="utf-8",
    )
    return database, config


def test_a_newcomer_walks_a_whole_complaint_with_an_approval_in_the_console(
    tmp_path: Path,
) -> None:
    database, config = console_settings(tmp_path)
    result = typed_at("run", config, SCRIPT)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "No Telegram token is configured" in out  # the banner explains how to connect
    assert "@BotFather" in out
    assert "🔔 Cần duyệt hồ sơ #1" in out  # the supervisor got the request
    assert "Minh đã duyệt khoản đền bù" in out  # and the staff member was told
    timeline = out.rsplit("Lịch sử xử lý", 1)[1]
    for entry in (
        "Đã xin lỗi",
        "Ghi nhận khắc phục",
        "Ghi nhận điều khách quan tâm",
        "Đã duyệt đền bù",
        "OK, nhớ gọi lại",
        "Khách hài lòng — đóng hồ sơ",
    ):
        assert entry in timeline
    with sqlite3.connect(database) as db:
        state, value = db.execute(
            "SELECT state, compensation_value FROM cases WHERE id = 1"
        ).fetchone()
        kinds = [k for (k,) in db.execute("SELECT kind FROM case_events ORDER BY seq")]
    assert (state, value) == ("closed", 1_000_000)
    assert kinds == [
        "opened",
        "open",
        "apologised",
        "fixed",
        "empathised",
        "compensated",
        "approved",
        "approval_comment",
        "scheduled",
        "satisfied",
    ]


def test_console_mode_on_a_real_bots_settings_keeps_to_a_database_of_its_own(
    tmp_path: Path,
) -> None:
    real = tmp_path / "bot.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "123456:REAL-BOT-TOKEN-never-used-here"\n'
        f'[database]\nurl = "sqlite+aiosqlite:///{real}"\nmigrate_on_start = false\n',
        encoding="utf-8",
    )
    result = typed_at("console", config, ["/new", "/quit"])
    assert result.returncode == 0, result.stderr
    assert f"its own database: sqlite+aiosqlite:///{tmp_path / 'console.sqlite3'}" in (
        result.stdout
    )
    assert not real.exists()  # the real bot's database: not created, not touched
    with sqlite3.connect(tmp_path / "console.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone() == (1,)


#: What a newcomer types to see the README's taste of console mode, in English: the README
#: leaves out (…) the intake's answers and the steps between.
TASTE = [
    "/language",
    "2",
    "/new",
    "1",
    "Ms Phạm Thị Mai",
    "0912345678",
    "1",
    "2020",
    "5m",
    "Wrong shoe size",
    "4",
    "2",
    "2",
    "She calmed down once I owned the mistake",
    "Exchange today",
    "1",
    "Wedding on Saturday",
    "5",
    "1m",
    "/as 2",
    "/quit",
]


def _readme_taste() -> list[str]:
    """The lines of the README's console taste the console prints (not what is typed)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("A taste (console mode", 1)[1].split("```text\n", 1)[1]
    lines = block.split("```", 1)[0].splitlines()
    return [line for line in lines if line.strip() not in ("", "…") and "] > " not in line]


def test_the_readmes_taste_of_console_mode_is_what_the_console_prints(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "taste.sqlite3"}"\n'
        '[people]\ndefault_locale = "en"\n[reminders]\nenabled = false\n',
        encoding="utf-8",
    )
    result = typed_at("console", config, TASTE)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.splitlines()
    flowing = " ".join(" ".join(printed).split())  # the README wraps long messages
    shown = _readme_taste()
    assert len(shown) >= 20
    rows = [line for line in shown if line.startswith("  [")]
    assert [row for row in rows if row not in printed] == []  # keyboards, row by row
    texts = [" ".join(line.split()) for line in shown if not line.startswith("  [")]
    assert [text for text in texts if text not in flowing] == []


def test_the_console_started_again_on_its_database_answers_at_once(tmp_path: Path) -> None:
    # update ids started at 1 again, and the bot ignored every one it had handled before
    _, config = console_settings(tmp_path)
    first = typed_at("console", config, ["/new", "/cases", "/quit"])
    assert first.returncode == 0, first.stderr
    again = typed_at("console", config, ["/cases", "/quit"])
    assert again.returncode == 0, again.stderr
    assert "#1 · chưa chọn khách hàng" in again.stdout.split("\n", 5)[-1]


def test_a_case_left_in_the_console_is_taken_up_after_a_restart_with_its_buttons(
    tmp_path: Path,
) -> None:
    """Console mode started again on its database: `/new` takes up the case left at its
    first question, its card drawn with its buttons, and a number presses one. Before, the
    stand-in numbered its messages from 1 again, so the bot, stripping the card it kept from
    the last run by its id, stripped the new card that had taken that number: a card
    without buttons, "there is no button 1"."""
    database, config = console_settings(tmp_path)
    first = typed_at("console", config, ["/new", "/quit"])
    assert first.returncode == 0, first.stderr
    again = typed_at("console", config, ["/new", "1", "/quit"])
    assert again.returncode == 0, again.stderr
    assert "there is no button" not in again.stdout
    assert "[1] ➕ Khách hàng mới" in again.stdout  # the card, with its buttons
    assert "➡️ Khách hàng mới: họ tên đầy đủ" in again.stdout  # and the one pressed
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM cases").fetchone() == (1,)


def test_the_console_started_again_says_where_the_cases_are_before_a_number_is_pressed(
    tmp_path: Path,
) -> None:
    """Started again, the console shows no message of the run before, so a number typed
    first has no keyboard to press: it says so once at start, and the refusal of a number
    points to /cases. Before, "there is no button 1" and nothing else."""
    _, config = console_settings(tmp_path)
    first = typed_at("console", config, ["/new", "/quit"])
    assert first.returncode == 0, first.stderr
    assert "Started again" not in first.stdout
    again = typed_at("console", config, ["1", "/quit"])
    assert again.returncode == 0, again.stderr
    assert "Started again on the same database" in again.stdout
    assert "there is no button 1 right now" in again.stdout
    assert "To pick up a case, type /cases." in again.stdout
