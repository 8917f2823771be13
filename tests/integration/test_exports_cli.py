"""The shell commands: report (with the demo chart), export with a progress bar, forget, and
the lists that give the numbers staff and customer commands take."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.render.png_chart import PNG_SIGNATURE
from main import cli
from storage.engine import create_engine
from storage.migrate import upgrade
from tests.integration.test_exports_report_figures import build


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """Settings for a SQLite database holding the hand-computed fixture."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"

    async def prepare() -> None:
        engine = create_engine(url)
        await upgrade(engine)
        await build(engine)
        await engine.dispose()

    asyncio.run(prepare())
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{url}"\n[people]\ndefault_locale = "en"\n', encoding="utf-8"
    )
    return path


def test_the_report_command_prints_the_figures_and_writes_the_chart(
    config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "chart.png"
    result = CliRunner().invoke(
        cli, ["report", "--config", str(config), "2026-11-02", "2026-11-15", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Report 2026-11-02 – 2026-11-15 (14 days)" in result.output
    assert "Customers lost: 2, worth 5,000,000 VND a year" in result.output
    assert "<b>" not in result.output
    assert out.read_bytes().startswith(PNG_SIGNATURE)


def test_the_demo_report_needs_no_database(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "example.png"
    result = CliRunner().invoke(
        cli, ["report", "week", "--demo", "--out", str(out), "--locale", "vi"]
    )
    assert result.exit_code == 0, result.output
    assert "Báo cáo" in result.output
    assert out.read_bytes().startswith(PNG_SIGNATURE)


def test_a_bad_period_is_a_usage_error(config: Path) -> None:
    result = CliRunner().invoke(cli, ["report", "--config", str(config), "fortnight"])
    assert result.exit_code == 2
    assert "give week, month, quarter, a calendar period" in result.output


def test_the_export_command_writes_three_files_with_a_progress_bar(
    config: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export"
    result = CliRunner().invoke(
        cli,
        ["export", "--config", str(config), "--from", "2026-11-02", "--to", "2026-11-15",
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Exporting rows" in result.output
    assert "cases_2026-11-02_2026-11-15.csv: 11 rows" in result.output
    with (out / "customers_2026-11-02_2026-11-15.csv").open(encoding="utf-8-sig") as handle:
        assert next(row["Name"] for row in csv.DictReader(handle)) == "Khách 1"


def test_the_export_command_writes_in_the_language_asked_for(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    result = CliRunner().invoke(
        cli,
        ["export", "--config", str(config), "--from", "2026-11-02", "--to", "2026-11-15",
         "--out", str(out), "--locale", "vi"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "ho-so_2026-11-02_2026-11-15.csv: 11 rows" in result.output
    with (out / "khach-hang_2026-11-02_2026-11-15.csv").open(encoding="utf-8-sig") as handle:
        first = next(csv.DictReader(handle))
    assert (first["Tên"], first["Loại khách"]) == ("Khách 1", "Cá nhân")


@pytest.mark.parametrize(
    ("first", "last", "said"),
    [
        ("2026-11-15", "2026-11-02", "the first day comes after the last"),
        ("2020-01-01", "2026-01-01", "the period is too long: at most 732 days"),
        ("2099-01-01", "2099-01-31", "that period has not begun yet"),
    ],
)
def test_an_export_period_that_cannot_be_used_is_refused_with_the_reason(
    config: Path, tmp_path: Path, first: str, last: str, said: str
) -> None:
    result = CliRunner().invoke(
        cli,
        ["export", "--config", str(config), "--from", first, "--to", last,
         "--out", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 2
    assert said in result.output


def test_forgetting_asks_first_then_reports_what_changed(config: Path) -> None:
    runner = CliRunner()
    declined = runner.invoke(
        cli, ["customer", "forget", "--config", str(config), "1"], input="n\n"
    )
    assert declined.exit_code == 1
    done = runner.invoke(cli, ["customer", "forget", "--config", str(config), "1"], input="y\n")
    assert done.exit_code == 0, done.output
    assert "Customer #1 forgotten: 5 cases marked" in done.output
    again = runner.invoke(cli, ["customer", "forget", "--config", str(config), "1", "--yes"])
    assert "was already forgotten" in again.output


def test_only_a_supervisor_may_be_named_as_the_one_who_asked(config: Path) -> None:
    result = CliRunner().invoke(
        cli, ["customer", "forget", "--config", str(config), "2", "--by", "999", "--yes"]
    )
    assert result.exit_code == 1
    assert "not an active supervisor or admin" in result.output


def shell(config: Path, *args: str, given: str | None = None) -> tuple[int, str]:
    """Run a shell command on the fixture's database: its exit code and what it printed."""
    done = CliRunner().invoke(cli, [*args, "--config", str(config)], input=given)
    return done.exit_code, done.output


def test_staff_list_gives_everyone_their_telegram_id_and_those_who_left_come_last(
    config: Path,
) -> None:
    shell(config, "staff", "add", "--telegram-id", "2003", "--name", "Bảo")
    shell(config, "staff", "add", "--telegram-id", "2002", "--name", "Lan")
    shell(config, "staff", "deactivate", "--telegram-id", "2003")

    code, listed = shell(config, "staff", "list")

    assert code == 0, listed
    lines = listed.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["2002", "Lan"],
        ["2001", "Minh"],
        ["2003", "Bảo"],
    ]
    assert lines[0].endswith("Lan  · staff, active · Asia/Ho_Chi_Minh (default) · no open case")
    assert "Minh  · supervisor, active" in lines[1]
    assert "open case" in lines[1]
    assert "Bảo  · staff, left" in lines[2]


def test_customer_find_gives_the_numbers_a_name_finds_and_never_a_forgotten_customer(
    config: Path,
) -> None:
    code, found = shell(config, "customer", "find", "Khach")
    assert code == 0, found
    assert [line.split()[0] for line in found.splitlines()] == ["#1", "#2", "#3", "#4", "#5"]
    assert found.splitlines()[0].startswith("#1  Khách 1  · 0903000001 · individual · ")

    shell(config, "customer", "forget", "1", "--yes")
    assert "#1 " not in shell(config, "customer", "find", "khách")[1]
    assert shell(config, "customer", "find", "Hương") == (0, "No customer matches 'Hương'.\n")


def test_forgetting_names_the_customer_before_asking_and_a_number_nobody_has_asks_nothing(
    config: Path,
) -> None:
    code, said = shell(config, "customer", "forget", "2", given="n\n")
    assert code == 1
    named, asked = said.splitlines()[:2]
    assert named.startswith("#2  Khách 2  · 0903000002")
    assert asked.startswith("Forget customer #2: name, phone and notes about them, for good?")
    assert "#2  Khách 2" in shell(config, "customer", "find", "Khách 2")[1]  # still there

    code, said = shell(config, "customer", "forget", "99")
    assert code == 1
    assert "there is no customer #99" in said
    assert "Forget customer" not in said
