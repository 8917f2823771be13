"""The command line: diagrams, registering staff, and a clear word on bad settings."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from main import cli


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "cli.sqlite3"}"\n', encoding="utf-8"
    )
    return path


def test_the_complaint_diagram_is_printed_as_mermaid() -> None:
    result = CliRunner().invoke(cli, ["flows", "diagram", "complaint"])
    assert result.exit_code == 0
    assert result.output.startswith("stateDiagram-v2")
    assert "compensate --> awaiting_approval: compensated [needs_approval]" in result.output


def test_staff_are_registered_from_the_shell_and_can_be_updated(config: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(
        cli,
        [
            "staff",
            "add",
            "--config",
            str(config),
            "--telegram-id",
            "42",
            "--name",
            "Hoà",
            "--role",
            "supervisor",
            "--timezone",
            "Asia/Ho_Chi_Minh",
        ],
    )
    assert first.exit_code == 0, first.output
    assert "Registered Hoà (Telegram id 42) as supervisor" in first.output
    again = runner.invoke(
        cli,
        [
            "staff",
            "add",
            "--config",
            str(config),
            "--telegram-id",
            "42",
            "--name",
            "Hoà",
            "--role",
            "admin",
        ],
    )
    assert "now admin, was supervisor" in again.output
    moved = runner.invoke(
        cli,
        [
            *("staff", "add", "--config", str(config), "--telegram-id", "42", "--name", "Hoà"),
            *("--timezone", "Europe/Berlin"),
        ],
    )
    assert moved.exit_code == 0, moved.output
    assert "Updated Hoà (Telegram id 42): admin." in moved.output  # no role given: kept
    gone = runner.invoke(
        cli, ["staff", "deactivate", "--config", str(config), "--telegram-id", "42"]
    )
    assert gone.exit_code == 0, gone.output
    back = runner.invoke(
        cli, ["staff", "add", "--config", str(config), "--telegram-id", "42", "--name", "Hoà"]
    )
    assert "active again (they had been deactivated)" in back.output


def test_an_unknown_time_zone_is_refused(config: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "staff",
            "add",
            "--config",
            str(config),
            "--telegram-id",
            "1",
            "--name",
            "X",
            "--timezone",
            "Nowhere/City",
        ],
    )
    assert result.exit_code == 2
    assert "unknown time zone" in result.output


def test_a_bad_setting_stops_the_start_with_an_explanation(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[telegram]\ntoken = "oops"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--config", str(path)])
    assert result.exit_code == 2
    assert "BotFather" in result.output


def test_the_database_is_migrated_from_the_shell(config: Path) -> None:
    result = CliRunner().invoke(cli, ["db", "upgrade", "--config", str(config)])
    assert result.exit_code == 0
    assert "up to date" in result.output


@pytest.mark.parametrize(
    "flow", ["complaint", "termination", "exit_interview", "check_in", "customer"]
)
def test_the_docs_show_the_diagrams_the_machines_generate(flow: str) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "procedures.md"
    generated = CliRunner().invoke(cli, ["flows", "diagram", flow]).output.strip()
    assert f"```mermaid\n{generated}\n```" in docs.read_text(encoding="utf-8")


def test_staff_who_leave_are_deactivated_from_the_shell(config: Path) -> None:
    runner = CliRunner()
    added = runner.invoke(
        cli, ["staff", "add", "--config", str(config), "--telegram-id", "42", "--name", "Lan"]
    )
    assert added.exit_code == 0, added.output
    gone = runner.invoke(
        cli, ["staff", "deactivate", "--config", str(config), "--telegram-id", "42"]
    )
    assert gone.exit_code == 0, gone.output
    assert "Deactivated Lan (Telegram id 42)" in gone.output
    unknown = runner.invoke(
        cli, ["staff", "deactivate", "--config", str(config), "--telegram-id", "43"]
    )
    assert unknown.exit_code != 0
    assert "nobody with Telegram id 43" in unknown.output


@pytest.mark.parametrize(
    "name", ["complaint", "termination", "exit_interview", "check_in", "customer"]
)
def test_every_procedure_has_its_diagram(name: str) -> None:
    result = CliRunner().invoke(cli, ["flows", "diagram", name])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("stateDiagram-v2")
    assert "[*] -->" in result.output


def test_all_the_diagrams_print_one_after_the_other() -> None:
    result = CliRunner().invoke(cli, ["flows", "diagram", "all"])
    assert result.exit_code == 0
    assert result.output.count("stateDiagram-v2") == 5


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--telegram-id", "1", "--name", "   "], "the name is empty"),
        (["--telegram-id", "1", "--name", "x" * 3000], "the name is over 120 characters"),
        (["--telegram-id", str(10**20), "--name", "Lan"], "--telegram-id"),
        (["--telegram-id", "0", "--name", "Lan"], "--telegram-id"),
    ],
)
def test_staff_add_refuses_a_bad_name_or_id_with_a_usage_error(
    config: Path, args: list[str], said: str
) -> None:
    result = CliRunner().invoke(cli, ["staff", "add", "--config", str(config), *args])
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    "command",
    [["report", "week"], ["export", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "x"]],
)
def test_reading_from_the_shell_before_any_database_says_so_and_creates_none(
    config: Path, command: list[str], tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, [*command[:1], "--config", str(config), *command[1:]])
    assert result.exit_code == 1, result.output
    assert "there is no database yet" in result.output
    assert not (tmp_path / "cli.sqlite3").exists()


def test_reading_from_the_shell_a_database_behind_the_code_says_what_to_do(
    config: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade", "--config", str(config)]).exit_code == 0
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '0001'")
    result = runner.invoke(cli, ["report", "--config", str(config), "week"])
    assert result.exit_code == 1
    assert "run `python main.py db upgrade`" in result.output


def test_an_export_to_a_place_that_cannot_be_written_is_said_plainly(
    config: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade", "--config", str(config)]).exit_code == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    period = ["--from", "2026-11-01", "--to", "2026-11-30"]
    out = ["--out", str(blocker / "inside")]
    result = runner.invoke(cli, ["export", "--config", str(config), *period, *out])
    assert result.exit_code == 1, result.output
    assert "cannot write" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["db", "upgrade"],
        ["staff", "add", "--telegram-id", "42", "--name", "Lan"],
        ["staff", "deactivate", "--telegram-id", "42"],
        ["customer", "forget", "7", "--yes"],
        ["report", "week"],
        ["export", "--from", "2026-11-01", "--to", "2026-11-30", "--out", "x"],
        ["console"],
    ],
)
def test_a_database_that_cannot_be_reached_is_said_plainly_with_its_password_hidden(
    tmp_path: Path, command: list[str]
) -> None:
    config = tmp_path / "config.toml"
    unreachable = "postgresql+asyncpg://bot:hunter2@127.0.0.1:1/csbot"  # nothing listens on 1
    config.write_text(f'[database]\nurl = "{unreachable}"\n', encoding="utf-8")
    words = command[:2] if command[0] in ("db", "staff", "customer") else command[:1]
    args = [*words, "--config", str(config), *command[len(words) :]]
    result = CliRunner().invoke(cli, args, input="/quit\n")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert "cannot reach the database postgresql+asyncpg://bot:***@127.0.0.1:1/csbot" in (
        result.output
    )
    assert "hunter2" not in result.output
    assert "cannot write" not in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["db", "upgrade"],
        ["staff", "add", "--telegram-id", "42", "--name", "Lan"],
        ["staff", "deactivate", "--telegram-id", "42"],
        ["customer", "forget", "7", "--yes"],
    ],
)
def test_a_database_a_newer_version_migrated_is_refused_by_the_shell_with_what_to_do(
    config: Path, tmp_path: Path, command: list[str]
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade", "--config", str(config)]).exit_code == 0
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    result = runner.invoke(cli, [*command[:2], "--config", str(config), *command[2:]])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # not alembic's traceback
    assert "newer than this code knows" in result.output


@pytest.mark.parametrize("listen", ["127.0.0.1", "no-such-host.invalid"])
def test_a_mini_app_server_that_cannot_listen_is_said_plainly_in_console_mode(
    tmp_path: Path, listen: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "cli.sqlite3"}"\n'
            f'[telegram]\nwebhook_listen = "{listen}"\nwebhook_port = {port}\n'
            "[miniapp]\nenabled = true\n",
            encoding="utf-8",
        )
        result = CliRunner().invoke(cli, ["console", "--config", str(config)], input="/quit\n")
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # not tornado's traceback
    assert f"cannot listen on {listen}:{port}" in result.output
    assert "telegram.webhook_listen" in result.output


def test_deactivating_someone_already_deactivated_says_nothing_changed(config: Path) -> None:
    runner = CliRunner()
    add = ["staff", "add", "--config", str(config), "--telegram-id", "42", "--name", "Lan"]
    assert runner.invoke(cli, add).exit_code == 0
    deactivate = ["staff", "deactivate", "--config", str(config), "--telegram-id", "42"]
    assert "Deactivated Lan" in runner.invoke(cli, deactivate).output
    again = runner.invoke(cli, deactivate)
    assert again.exit_code == 0, again.output
    assert again.output == "Lan (Telegram id 42) was already deactivated; nothing changed.\n"


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ('[en.step.apologize]\nscript = "typo"\n', "unknown keys ['step.apologize.script']"),
        ('[vi.step.fix]\nscript = "Dạ, {khach} ơi"\n', "step.fix.script uses ['khach']"),
        ("[en.step\n", "not valid TOML"),
        (b"\xff\xfe[en]", "not UTF-8"),
    ],
)
@pytest.mark.parametrize("command", ["run", "console", "check", "report"])
def test_a_company_wording_file_the_bot_cannot_use_stops_every_command_with_the_key_named(
    config: Path, tmp_path: Path, words: str | bytes, said: str, command: str
) -> None:
    own = tmp_path / "ours.toml"
    if isinstance(words, bytes):
        own.write_bytes(words)
    else:
        own.write_text(words, encoding="utf-8")
    with config.open("a", encoding="utf-8") as settings:
        settings.write(f'[scripts]\noverride = "{own}"\n')
    result = CliRunner().invoke(cli, [command, "--config", str(config)], input="/quit\n")
    assert result.exit_code in (1, 2), result.output
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert "scripts.override" in result.output
    assert said in result.output


def test_a_compensation_type_a_company_adds_needs_its_wording_and_may_have_it(
    config: Path, tmp_path: Path
) -> None:
    own = tmp_path / "ours.toml"
    base = config.read_text(encoding="utf-8")
    catalogue = '[complaints]\ncompensation_catalogue = ["voucher", "coupon", "none"]\n'
    config.write_text(f'{base}{catalogue}[scripts]\noverride = "{own}"\n', encoding="utf-8")
    own.write_text('[vi.option]\ncoupon = "Phiếu mua hàng"\n', encoding="utf-8")
    refused = CliRunner().invoke(cli, ["console", "--config", str(config)], input="/quit\n")
    assert refused.exit_code == 2, refused.output
    assert '[en.option] coupon = "…"' in refused.output
    own.write_text(
        '[vi.option]\ncoupon = "Phiếu mua hàng"\n[en.option]\ncoupon = "Coupon"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["console", "--config", str(config)], input="/quit\n")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("period", "said"),
    [
        (["2026-09-30", "2026-09-01"], "the first day comes after the last"),
        (["2020-01-01", "2026-01-01"], "at most 732 days"),
        (["2099"], "that period has not begun yet"),
        (["13/2026"], "a calendar period (this month, last quarter, 11/2026"),
        (["fortnight"], "give week, month, quarter, a calendar period"),
    ],
)
def test_a_report_period_that_cannot_be_used_is_told_why(
    config: Path, period: list[str], said: str
) -> None:
    result = CliRunner().invoke(cli, ["report", "--config", str(config), *period])
    assert result.exit_code == 2, result.output
    assert said in result.output


def test_the_bot_on_a_database_that_cannot_be_reached_says_so_before_calling_telegram(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    unreachable = "postgresql+asyncpg://bot:hunter2@127.0.0.1:1/csbot"
    config.write_text(f'[database]\nurl = "{unreachable}"\n', encoding="utf-8")
    token = {"TELEGRAM_BOT_TOKEN": "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"}
    result = CliRunner().invoke(cli, ["run", "--config", str(config)], env=token)
    assert result.exit_code == 1, result.output
    assert "cannot reach the database postgresql+asyncpg://bot:***@127.0.0.1:1/csbot" in (
        result.output
    )
    assert "Traceback" not in result.output
    assert "hunter2" not in result.output
