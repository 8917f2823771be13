"""What the README and docs/ promise, held to the code: commands, settings, environment
variables, shell commands, the frontline guides' steps, and the links between the pages."""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from telegram.ext import CommandHandler

from bot.app import build_application
from bot.config import ENVIRONMENT, Settings
from flows.procedures.complaint import FIVE_STEPS
from flows.scripts import LOCALES
from main import cli
from tests.unit.wording import SCRIPTS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
GUIDE_STEPS = {"en": "## The five steps of a complaint", "vi": "## Năm bước xử lý khiếu nại"}


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _commands_answered() -> set[str]:
    """Every command the bot registers a handler for."""
    settings = Settings.model_validate({"database": {"url": "sqlite+aiosqlite:///:memory:"}})
    app = build_application(settings)
    return {
        command
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    }


def _commands_in_the_table() -> set[str]:
    """The commands named in the first column of docs/commands.md's table."""
    rows = [line for line in _read(DOCS / "commands.md").split("\n## ", 1)[0].splitlines()]
    firsts = [row.split("|")[1] for row in rows if row.startswith("| `/")]
    return {name for cell in firsts for name in re.findall(r"`/([a-z]+)", cell)}


def test_every_command_the_bot_answers_is_in_the_commands_table_and_no_other() -> None:
    assert _commands_answered() == _commands_in_the_table()


def _settings() -> Iterator[tuple[str, str]]:
    """(section, key) of every setting."""
    for section, field in Settings.model_fields.items():
        model = field.annotation
        assert isinstance(model, type)
        for key in model.model_fields:  # type: ignore[attr-defined]
            yield section, key


def test_every_setting_is_written_out_in_the_example_file() -> None:
    example = tomllib.loads(_read(ROOT / "config.example.toml"))
    missing = [f"{s}.{k}" for s, k in _settings() if k not in example.get(s, {})]
    assert missing == []


def test_every_setting_is_named_in_its_sections_row_of_the_configuration_page() -> None:
    rows = {
        match.group(1): line
        for line in _read(DOCS / "configuration.md").splitlines()
        if (match := re.match(r"\| `\[(\w+)\]` \|", line))
    }
    assert set(rows) == set(Settings.model_fields)
    missing = [f"{s}.{k}" for s, k in _settings() if f"`{k}`" not in rows[s]]
    assert missing == []


@pytest.mark.parametrize(
    "page", ["config.example.toml", "docs/configuration.md", "docs/deployment.md"]
)
def test_every_environment_variable_is_named_where_settings_are_explained(page: str) -> None:
    text = _read(ROOT / page)
    assert [v for v in (*ENVIRONMENT, "CS_CONFIG") if v not in text] == []


def _shell_commands(
    group: click.Group = cli, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _shell_commands(command, (*path, name))
        else:
            yield " ".join((*path, name)), command


def test_every_shell_command_and_option_is_shown_in_the_docs() -> None:
    docs = "\n".join(_read(page) for page in PAGES)
    commands = list(_shell_commands())
    assert len(commands) >= 10
    assert [name for name, _ in commands if f"main.py {name}" not in docs] == []
    options = {
        option
        for _, command in commands
        for param in command.params
        if isinstance(param, click.Option)
        for option in param.opts
        if option != "--help"
    }
    assert sorted(o for o in options if o not in docs) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_frontline_guide_walks_the_five_steps_by_their_titles_in_order(locale: str) -> None:
    guide = _read(DOCS / f"frontline-guide.{locale}.md")
    section = guide.split(GUIDE_STEPS[locale] + "\n", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"^\d\. \*\*(.+?)\.\*\*", section, re.MULTILINE)
    titles = [SCRIPTS.get(locale, f"step.{step}.title") for step in FIVE_STEPS]
    assert named == titles


def _bold_in_guide(locale: str) -> list[str]:
    """What the frontline guide in `locale` sets in bold."""
    return re.findall(r"\*\*(.+?)\*\*", _read(DOCS / f"frontline-guide.{locale}.md"))


@pytest.mark.parametrize("locale", LOCALES)
def test_every_button_the_frontline_guide_names_is_labelled_so_in_its_language(
    locale: str,
) -> None:
    """A button is named in bold by its sign and words (**📝 Add a note**): a label renamed in the
    scripts and not in the guide leaves a newcomer looking for a button that is not there."""
    labels = set(SCRIPTS.texts[locale].values())
    named = [b for b in _bold_in_guide(locale) if not b[0].isalnum() and b[0] != "/"]
    assert named
    assert [b for b in named if b not in labels] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_command_the_frontline_guide_names_is_one_the_bot_answers(locale: str) -> None:
    named = {b.split()[0][1:] for b in _bold_in_guide(locale) if b.startswith("/")}
    assert named
    assert sorted(named - _commands_answered()) == []


def _links(page: Path) -> Iterator[str]:
    """The relative targets of a page's markdown links and images (no anchors, no URLs)."""
    for target in re.findall(r"\]\(([^)\s]+)\)|src=\"([^\"]+)\"", _read(page)):
        path = (target[0] or target[1]).split("#", 1)[0]
        if path and not re.match(r"[a-z]+:", path):
            yield path


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_of_a_page_leads_to_a_file_that_exists(page: Path) -> None:
    assert [link for link in _links(page) if not (page.parent / link).exists()] == []


PACKAGES = "bot|flows|storage|standin|tests|benchmarks"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_file_and_python_name_a_page_points_to_is_there(page: Path) -> None:
    text = _read(page)
    files = re.findall(rf"`((?:{PACKAGES})/[\w/.]*\w)`", text)
    assert [f for f in files if not (ROOT / f).exists()] == []
    names = re.findall(r"`((?:bot|flows|storage)\.[\w.]*\w)`", text)
    assert [name for name in names if not _resolves(name)] == []


def _resolves(dotted: str) -> bool:
    """Whether `dotted` names a module, or something in one."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False
