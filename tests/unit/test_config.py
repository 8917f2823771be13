"""Settings are validated at start with messages that say what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings
from flows.policy import Policy

ROOT = Path(__file__).resolve().parents[2]
GOOD_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_is_valid_and_documents_exactly_the_defaults() -> None:
    assert load_settings(ROOT / "config.example.toml", {}) == Settings()


def test_the_environment_overrides_the_token_and_database(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite+aiosqlite:///x.db"\n')
    env = {"TELEGRAM_BOT_TOKEN": GOOD_TOKEN, "DATABASE_URL": "postgresql+asyncpg://h/db"}
    settings = load_settings(path, env)
    assert settings.telegram.token.get_secret_value() == GOOD_TOKEN
    assert settings.database.url == "postgresql+asyncpg://h/db"


def test_a_malformed_token_is_explained_without_being_echoed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, '[telegram]\ntoken = "not-a-token-secret"\n'), {})
    message = str(err.value)
    assert "BotFather" in message
    assert "console" in message
    assert "not-a-token-secret" not in message


def test_an_unknown_key_and_a_wrong_type_are_both_named(tmp_path: Path) -> None:
    path = write(tmp_path, '[complaints]\nstaff_limit = 5\ntext_limit = "long"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path, {})
    assert "complaints.staff_limit: unknown key" in str(err.value)
    assert "complaints.text_limit" in str(err.value)


def test_an_unknown_time_zone_is_refused_with_an_example(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Asia/Ho_Chi_Minh"):
        load_settings(write(tmp_path, '[people]\ndefault_timezone = "Mars/Base"\n'), {})


def test_broken_toml_is_reported_with_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[telegram\n"), {})


def test_a_missing_named_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_settings(tmp_path / "absent.toml", {})


def test_partners_have_a_name_in_each_language_and_a_stable_code(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[reviews]\npartners = [{ vi = "Công ty Sao Mai", en = "Sao Mai Company" }, '
        '"Bưu điện Hà Nội"]\n',
    )
    sao_mai, post = load_settings(path, {}).policy().partners
    assert (sao_mai.code, sao_mai.name("vi"), sao_mai.name("en")) == (
        "cong_ty_sao_mai",
        "Công ty Sao Mai",
        "Sao Mai Company",
    )
    assert (post.code, post.name("en")) == ("buu_dien_ha_noi", "Bưu điện Hà Nội")


@pytest.mark.parametrize(
    ("partners", "said"),
    [
        ('[{ fr = "Société" }]', "reviews.partners.0.fr: unknown key"),
        ("[{}]", 'partners = [{ vi = "Công ty Sao Mai"'),
        ('["Sao Mai", "sao mai"]', "two partners have the same name (sao_mai)"),
        ('"Sao Mai"', "give each partner its name"),
        ('[{ vi = "' + "x" * 61 + '" }]', "at most 60 characters"),
    ],
)
def test_a_partner_without_a_usable_name_is_explained(
    tmp_path: Path, partners: str, said: str
) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, f"[reviews]\npartners = {partners}\n"), {})
    assert said in str(err.value)


def test_the_policy_carries_the_configured_limits(tmp_path: Path) -> None:
    path = write(tmp_path, '[complaints]\nstaff_compensation_limit = 100\ncurrency = "USD"\n')
    policy = load_settings(path, {}).policy()
    assert (policy.staff_compensation_limit, policy.currency) == (100, "USD")


@pytest.mark.parametrize(
    ("lines", "named"),
    [
        ('[database]\nurl = "postgres://u:p@h/db"\n', "database.url"),
        ('[database]\nurl = "postgresql://u:p@h/db"\n', "database.url"),
        ('[database]\nurl = "not a url"\n', "database.url"),
        ("[people]\nadmins = [100000000000000000000]\n", "people.admins"),
        ("[people]\nadmins = [0]\n", "people.admins"),
        ("[complaints]\nat_risk_days = 100000000000\n", "complaints.at_risk_days"),
        ("[reminders]\noverdue_grace_hours = 1e12\n", "reminders.overdue_grace_hours"),
        ("[reviews]\nlong_standing_years = 1e9\n", "reviews.long_standing_years"),
        ("[telegram]\ncalls_per_second = 0.000001\n", "telegram.calls_per_second"),
        ('[scripts]\noverride = "/nonexistent/words.toml"\n', "scripts.override"),
        ("[reminders]\nlease_seconds = 100000000000000\n", "reminders.lease_seconds"),
    ],
)
def test_settings_that_would_break_the_bot_later_are_refused_at_once(
    tmp_path: Path, lines: str, named: str
) -> None:
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        load_settings(write(tmp_path, lines), {})


def test_a_webhook_address_on_the_health_checks_path_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[telegram]\nmode = "webhook"\nwebhook_url = "https://bot.example.com/healthz"\n',
    )
    with pytest.raises(ConfigError, match="health check"):
        load_settings(path, {})


@pytest.mark.parametrize(("content", "said"), [(b"\xff\xfe[tele", "not UTF-8"), (None, "cannot")])
def test_a_config_file_that_cannot_be_read_as_text_is_explained(
    tmp_path: Path, content: bytes | None, said: str
) -> None:
    path = tmp_path / "config.toml"
    if content is None:
        path.mkdir()  # a folder where the file should be
    else:
        path.write_bytes(content)
    with pytest.raises(ConfigError, match=said):
        load_settings(path, {})


def test_partners_whose_long_names_begin_alike_or_have_no_latin_letters_get_distinct_codes(
    tmp_path: Path,
) -> None:
    from bot.callbacks import case_button

    names = [
        "Công ty TNHH Giao nhận Vận tải Sài Gòn",
        "Công ty TNHH Giao nhận Vận tải Sài Gòn Express",
        "Почта России",
        "Яндекс Доставка",
    ]
    listed = ", ".join(f'"{n}"' for n in names)
    policy = load_settings(write(tmp_path, f"[reviews]\npartners = [{listed}]\n"), {}).policy()
    codes = [p.code for p in policy.partners]
    assert codes[0] == "cong_ty_tnhh_giao_nhan_van_tai_s"  # as before: the log keeps it
    assert codes[2] == "partner"
    assert len(set(codes)) == 4
    assert [p.name("vi") for p in policy.partners] == names
    for code in codes:  # each fits a button's 64 bytes with the largest case and version
        case_button(2**31 - 1, 2**31 - 1, "c", code)


def test_a_partner_named_in_decomposed_letters_is_read_composed(tmp_path: Path) -> None:
    import unicodedata

    name = "Công ty Cổ phần Chuyển phát Nhanh Bưu điện Việt Nam"  # 51 letters
    decomposed = unicodedata.normalize("NFD", name)
    assert len(decomposed) > 60  # as a macOS editor may save it
    path = write(tmp_path, f'[reviews]\npartners = ["{decomposed}"]\n')
    [partner] = load_settings(path, {}).policy().partners
    assert partner.name("vi") == name


def test_a_settings_file_named_by_cs_config_that_is_not_there_stops_the_start(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "etc" / "config.toml"
    with pytest.raises(ConfigError, match="CS_CONFIG") as err:
        load_settings(None, {"CS_CONFIG": str(missing)})
    assert str(missing) in str(err.value)


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("DATABASE_URL", "postgres://bot:hunter2@db/csbot", "database.url"),
        ("MINIAPP_URL", "http://bot.example.com/app/", "miniapp.url"),
        ("TELEGRAM_WEBHOOK_SECRET", "has spaces", "telegram.webhook_secret"),
    ],
)
def test_a_bad_environment_override_is_named_as_the_variable_it_came_from(
    tmp_path: Path, variable: str, value: str, key: str
) -> None:
    path = write(tmp_path, "")
    with pytest.raises(ConfigError) as err:
        load_settings(path, {variable: value})
    assert f"{key} (from {variable})" in str(err.value)


def test_a_database_address_refused_never_shows_its_password(tmp_path: Path) -> None:
    path = write(tmp_path, '[database]\nurl = "mysql://bot:hunter2@db/csbot"\n')
    with pytest.raises(ConfigError, match=r"database\.url") as err:
        load_settings(path, {})
    assert "hunter2" not in str(err.value)
    assert "mysql://bot:***@db/csbot" in str(err.value)


@pytest.mark.parametrize(
    "line",
    [
        "opens = 8",  # a number of seconds to pydantic: 00:00:08 in UTC
        "closes = 72000",
        'digest_time = "08:00+07:00"',
        "digest_time = 8",
        'opens = "8 o\'clock"',
    ],
)
def test_a_time_of_day_that_is_not_a_plain_local_time_is_refused_with_an_example(
    tmp_path: Path, line: str
) -> None:
    key = line.split(" =")[0]
    with pytest.raises(ConfigError, match=rf"reminders\.{key}: .*\"08:00\""):
        load_settings(write(tmp_path, f"[reminders]\n{line}\n"), {})


def test_times_of_day_may_be_toml_times_or_text(tmp_path: Path) -> None:
    path = write(tmp_path, '[reminders]\nopens = 07:30:00\ncloses = "19:00"\n')
    reminders = load_settings(path, {}).reminders
    assert (reminders.opens.isoformat(), reminders.closes.isoformat()) == ("07:30:00", "19:00:00")


def test_settings_left_out_give_the_rules_as_the_flows_write_them() -> None:
    assert Settings().policy() == Policy()


def test_webhook_mode_without_an_address_points_to_a_deployment_guide_that_exists(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, '[telegram]\nmode = "webhook"\n'), {})
    message = str(err.value)
    assert "docs/deployment.md" in message
    assert (ROOT / "docs" / "deployment.md").is_file()
    assert '"Deployment" in README.md' not in message  # the README has no such section
