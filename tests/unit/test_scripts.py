"""Every word the bot says exists in every shipped language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.complaint import COMPLAINT, FIVE_STEPS, Step
from flows.forms import CATEGORIES, INTAKE, OUTCOMES, STEP_FORMS, compensate_form
from flows.policy import Policy
from flows.review import REVIEW, Rung, review_form
from flows.review_steps import INCIDENT_FORM
from flows.scripts import LOCALES, Scripts

SCRIPTS = Scripts.load()
NOW = datetime(2026, 11, 23, tzinfo=UTC)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_locale_has_exactly_the_same_keys() -> None:
    english = set(SCRIPTS.keys("en"))
    for locale in LOCALES:
        assert set(SCRIPTS.keys(locale)) == english, locale


@pytest.mark.parametrize("locale", LOCALES)
def test_every_state_has_a_title_purpose_and_short_name(locale: str) -> None:
    for state in [*Step, *Rung]:
        for part in ("title", "purpose", "short"):
            assert SCRIPTS.has(locale, f"step.{state}.{part}"), (state, part)
    for step in FIVE_STEPS:
        assert SCRIPTS.has(locale, f"step.{step}.script"), step


@pytest.mark.parametrize("locale", LOCALES)
def test_every_trigger_has_a_timeline_label(locale: str) -> None:
    from bot.render import event_key
    from flows.model import CaseEvent

    for kind, flow in (("complaint", COMPLAINT), ("problem_review", REVIEW)):
        for transition in flow.transitions:
            for source in transition["source"] if isinstance(transition["source"], list) else [
                transition["source"]
            ]:
                event = CaseEvent(0, 0, NOW, None, str(source), transition["trigger"])
                assert SCRIPTS.has(locale, event_key(kind, event)), (source, transition)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_field_and_option_has_wording(locale: str) -> None:
    fields = [*INTAKE, *compensate_form(Policy().compensation_catalogue), *INCIDENT_FORM]
    fields += [f for form in STEP_FORMS.values() for f in form]
    fields += [f for state in Rung for f in review_form(state, ())]
    for field in fields:
        assert SCRIPTS.has(locale, f"field.{field.name}.prompt"), field.name
        assert SCRIPTS.has(locale, f"field.{field.name}.label"), field.name
        for option in field.options:
            assert SCRIPTS.has(locale, f"option.{option}"), option
    for option in (*CATEGORIES, *OUTCOMES):
        assert SCRIPTS.has(locale, f"option.{option}")


def test_translations_use_the_same_placeholders() -> None:
    for key in SCRIPTS.keys("en"):
        english = set(PLACEHOLDER.findall(SCRIPTS.texts["en"][key]))
        for locale in LOCALES:
            assert set(PLACEHOLDER.findall(SCRIPTS.texts[locale][key])) == english, (locale, key)


def test_scripts_are_filled_with_the_customers_and_staff_names() -> None:
    text = SCRIPTS.get("vi", "step.apologise.script", customer="Chị Mai", staff="Lan")
    assert "Chị Mai" in text
    assert "Lan" in text


def test_a_company_file_overrides_single_keys(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text(
        '[en.step.apologise]\nscript = "Dear {customer}, we apologise."\n', encoding="utf-8"
    )
    scripts = Scripts.load(own)
    assert scripts.get("en", "step.apologise.script", customer="Ann") == "Dear Ann, we apologise."
    assert scripts.get("vi", "step.apologise.script", customer="A", staff="B") == SCRIPTS.get(
        "vi", "step.apologise.script", customer="A", staff="B"
    )


def test_an_override_with_an_unknown_key_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text('[en.step.apologize]\nscript = "typo"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown keys"):
        Scripts.load(own)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_command_has_a_menu_description(locale: str) -> None:
    from bot.app import COMMANDS

    for command in COMMANDS:
        assert SCRIPTS.has(locale, f"command.{command}"), command


def test_every_key_the_bot_builds_from_its_declarations_exists_in_every_locale() -> None:
    from bot.wording import missing_keys

    assert missing_keys(SCRIPTS) == {}


def test_the_question_for_a_skipped_rung_has_wording() -> None:
    from bot.wording import required_keys

    assert "ask.skip_reason" in required_keys()


def test_the_bot_refuses_to_start_when_a_locale_lacks_a_key_it_needs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.app import build_application
    from bot.config import ConfigError, Settings

    texts = {loc: dict(SCRIPTS.texts[loc]) for loc in LOCALES}
    del texts["vi"]["ask.skip_reason"]
    monkeypatch.setattr(Scripts, "load", classmethod(lambda cls, override=None: cls(texts)))
    settings = Settings.model_validate({"database": {"url": "sqlite+aiosqlite:///:memory:"}})
    with pytest.raises(ConfigError, match=r"ask\.skip_reason"):
        build_application(settings)
