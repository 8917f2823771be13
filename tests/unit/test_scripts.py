"""Every word the bot says exists in every shipped language."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.incidents import INCIDENT_FORM
from flows.policy import Policy
from flows.procedures.complaint import (
    CATEGORIES,
    COMPLAINT,
    FIVE_STEPS,
    INTAKE,
    OUTCOMES,
    STEP_FORMS,
    Step,
    compensate_form,
)
from flows.procedures.review import REVIEW, Rung, review_form
from flows.scripts import ADDRESSING, LOCALES, Scripts, is_script, placeholders, plain

SCRIPTS = Scripts.load()
NOW = datetime(2026, 11, 23, tzinfo=UTC)


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
            for source in (
                transition["source"]
                if isinstance(transition["source"], list)
                else [transition["source"]]
            ):
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


def test_translations_use_the_same_placeholders_apart_from_the_forms_of_address() -> None:
    for key in SCRIPTS.keys("en"):
        english = placeholders(SCRIPTS.texts["en"][key])
        for locale in LOCALES:
            found = placeholders(SCRIPTS.texts[locale][key])
            if is_script(key):
                found, english = found - ADDRESSING, english - ADDRESSING
            assert found == english, (locale, key)


def test_scripts_are_filled_with_the_form_of_address_and_the_staff_name() -> None:
    text = SCRIPTS.say("vi", "step.apologise.script", address="chị Mai", you="chị", staff="Lan")
    assert text.startswith("Dạ, em chào chị Mai. Em là Lan")


def test_a_company_file_overrides_single_keys(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text(
        '[en.step.apologise]\nscript = "Dear {customer}, we apologise."\n', encoding="utf-8"
    )
    scripts = Scripts.load(own)
    assert scripts.get("en", "step.apologise.script", customer="Ann") == "Dear Ann, we apologise."
    assert scripts.texts["vi"] == SCRIPTS.texts["vi"]


def test_an_override_may_name_anything_scripts_are_filled_with(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text(
        '[vi.step.fix]\nscript = "Dạ, {address} ơi, em là {staff}, em xử lý ngay ạ."\n',
        encoding="utf-8",
    )
    text = Scripts.load(own).say("vi", "step.fix.script", address="chị Mai", staff="Lan")
    assert text == "Dạ, chị Mai ơi, em là Lan, em xử lý ngay ạ."


def test_an_override_with_a_placeholder_the_bot_does_not_fill_is_refused(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text('[vi.step.fix]\nscript = "Dạ, {khach} ơi"\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"step\.fix\.script uses \['khach'\]"):
        Scripts.load(own)


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
    monkeypatch.setattr(Scripts, "load", classmethod(lambda cls, *_: cls(texts)))
    settings = Settings.model_validate({"database": {"url": "sqlite+aiosqlite:///:memory:"}})
    with pytest.raises(ConfigError, match=r"\[vi\.ask\] skip_reason = "):
        build_application(settings)


def test_an_override_may_add_only_the_new_keys_it_is_given(tmp_path: Path) -> None:
    own = tmp_path / "ours.toml"
    own.write_text('[en.option]\ncoupon = "Coupon"\n', encoding="utf-8")
    assert Scripts.load(own, {"option.coupon"}).get("en", "option.coupon") == "Coupon"
    with pytest.raises(ValueError, match="unknown keys"):
        Scripts.load(own)


def test_the_readme_example_of_a_company_override_loads_and_speaks(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("**A company's own wording.**", 1)[1].split("```toml\n", 1)[1]
    own = tmp_path / "ours.toml"
    own.write_text(example.split("```", 1)[0], encoding="utf-8")
    scripts = Scripts.load(own)
    said = scripts.say("vi", "step.apologise.script", address="chị Mai", you="chị", staff="Lan")
    assert (
        said
        == "Dạ, em chào chị Mai. Em là Lan của Siêu thị Sao Mai ạ. Em thành thật xin lỗi chị ạ."
    )
    assert scripts.get("vi", "address.named", name="Mai") == "quý khách Mai"


def test_wording_is_read_without_its_markup_as_every_reader_sees_it() -> None:
    assert plain("📊 <b>Báo cáo</b> &amp; <i>tiến độ</i> &lt;3") == "📊 Báo cáo & tiến độ <3"
    assert plain('<a href="https://t.me/x">Mở</a>') == "Mở"


#: Words that count, as English writes them after a number.
COUNTED = (
    "times|days|months|hours|weeks|years|minutes|occasions|customers|complaints|files|"
    "characters|cases|requests|events|steps|people"
)


def test_no_english_word_after_a_number_reads_as_a_plural_when_the_number_is_one() -> None:
    counted = re.compile(r"\{(\w+)\} (" + COUNTED + r")\b")
    unmarked = {
        key: match.group(0)
        for key, text in SCRIPTS.texts["en"].items()
        if (match := counted.search(text))
    }
    assert unmarked == {}, "write the word in both forms: {days} {days|day|days}"


@pytest.mark.parametrize(
    ("days", "title"),
    [(1, "(1 day)"), (2, "(2 days)"), (0, "(0 days)"), ("1,000", "(1,000 days)")],
)
def test_a_word_after_a_number_takes_the_form_its_number_calls_for(
    days: object, title: str
) -> None:
    said = SCRIPTS.get("en", "report.title", first="1/9", last="1/9", days=days)
    assert said.endswith(title)
    vietnamese = SCRIPTS.get("vi", "report.title", first="1/9", last="1/9", days=days)
    assert f"{days} ngày" in vietnamese
    script = SCRIPTS.say("en", "record.complaints_framed", first="a", last="b", you="you", count=1)
    assert "told us 1 time that" in script


def test_a_word_in_both_forms_names_its_number_as_a_placeholder() -> None:
    assert placeholders("{days} {days|day|days} and {n}") == {"days", "n"}


@pytest.mark.parametrize(
    ("locale", "named"), [("vi", "giờ Việt Nam, UTC+7"), ("en", "Vietnam time, UTC+7")]
)
def test_a_time_zone_is_named_in_the_readers_words_whichever_name_it_goes_by(
    locale: str, named: str
) -> None:
    assert SCRIPTS.zone(locale, "Asia/Ho_Chi_Minh") == named
    assert SCRIPTS.zone(locale, "Asia/Saigon") == named  # the older name of the same zone
    city = SCRIPTS.zone(locale, "America/Argentina/Buenos_Aires")  # else by its city
    assert city == ("giờ Buenos Aires" if locale == "vi" else "Buenos Aires time")
