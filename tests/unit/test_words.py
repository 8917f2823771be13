"""The words hold to the glossary and the style guide: terms, register, scripts, buttons."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import Settings
from bot.miniapp import views as miniapp
from bot.render import FILTER_ROWS, LABEL_BUDGET, SHORT_BUDGET, Renderer, visible_length
from bot.render.base import variant_of
from bot.wording import load_scripts
from flows.case_filter import KINDS
from flows.case_log import LogPage, LogQuery, LogRow
from flows.model import Case, CaseKind, CustomerKind, IncidentKind, Role, Staff
from flows.outcomes import CaseView, Local, Notify, Phrase, ShowCases
from flows.policy import Policy
from flows.procedures import PROCEDURES
from flows.scripts import LOCALES, SCRIPT_PLACEHOLDERS, Scripts, is_script, placeholders, plain
from tests.unit.wording import (
    LAN,
    NOW,
    SCRIPTS,
    WITH_PARTNERS,
    WITHOUT_PARTNERS,
    case,
    customers,
    keyboards,
    record,
    renderer,
    views,
)

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
TEXTS = {locale: SCRIPTS.texts[locale] for locale in LOCALES}


def _table(heading: str) -> list[list[str]]:
    """The rows of the markdown table under a `## heading` of the glossary."""
    section = GLOSSARY.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]


def _avoided(cells: list[str]) -> list[str]:
    return [term for cell in cells for term in re.findall(r"`([^`]+)`", cell)]


AVOID = {
    "vi": _avoided(
        [row[3] for row in _table("Terms")] + [row[0] for row in _table("Calques to write around")]
    ),
    "en": _avoided(
        [row[4] for row in _table("Terms")]
        + [row[0] for row in _table("English that reads translated")]
    ),
}


def _found(pattern: str, locale: str) -> list[str]:
    return [
        f"{key}: {text}"
        for key, text in TEXTS[locale].items()
        if re.search(pattern, text, re.IGNORECASE)
    ]


# ------------------------------------------------------------------------- terms


def test_the_glossary_lists_terms_to_avoid_in_both_languages() -> None:
    assert {"phàn nàn", "giám sát", "nấc", "bởi", "Không bình luận"} <= set(AVOID["vi"])
    assert {"em nghĩ", "chúng tôi nghĩ", "nhé ạ", "đánh giá cao điều gì"} <= set(AVOID["vi"])
    assert {"ticket", "manager", "I think", "not to have had you"} <= set(AVOID["en"])


@pytest.mark.parametrize("locale", LOCALES)
def test_no_term_the_glossary_avoids_appears_in_the_wording(locale: str) -> None:
    for term in AVOID[locale]:
        assert not _found(rf"(?<!\w){re.escape(term)}(?!\w)", locale), term


def test_cap_tren_names_only_the_escalation_a_supervisor_is_quan_ly() -> None:
    # "báo (lên) cấp trên" is the glossary's word for escalating; the supervisor who approves
    # or takes a file is "quản lý" — "đang chờ cấp trên duyệt" mixed two words for one role
    assert _found(r"(?<!báo )(?<!lên )cấp trên", "vi") == []


@pytest.mark.parametrize("locale", LOCALES)
def test_an_answer_is_recorded_under_a_name_never_under_a_question(locale: str) -> None:
    # "• Có thể thay đổi?: Có thể thay đổi — cho thêm thời gian" read as an echo, with "?:"
    labels = {
        k: t for k, t in TEXTS[locale].items() if k.startswith("field.") and k.endswith(".label")
    }
    assert len(labels) > 20
    assert [key for key, text in labels.items() if text.rstrip().endswith("?")] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_an_events_name_holds_no_colon_since_what_was_done_follows_it_after_one(
    locale: str,
) -> None:
    # "Đã thử giai đoạn này, chưa giải quyết: sang giai đoạn sau: Họp với kế toán…"
    events = {k: t for k, t in TEXTS[locale].items() if k.startswith("event.")}
    assert len(events) > 20
    assert [key for key, text in events.items() if ":" in text] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_question_ends_in_one_aside_not_two_in_a_row(locale: str) -> None:
    # "… về lời xin lỗi không? (hoặc bấm Bỏ qua) (tối đa 1.000 ký tự)"
    r = renderer(locale)
    prompts = {r.prompt(view.field, NOW) for _, view in views() if view.field is not None}
    assert any(r.t("case.limit_or_skip", limit=1000)[:8] in p for p in prompts)
    assert [p for p in prompts if ") (" in p] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_reasons_note_asks_about_the_reason_as_its_button_names_it(locale: str) -> None:
    # "Ghi chú cho “không mang lại lợi nhuận”: …", "Note for “is mean to or abuses our staff”"
    # (the button says "Is mean to or abuses staff"): a form's label, not a question
    from flows.procedures.review import REASONS

    for reason in REASONS:
        prompt = TEXTS[locale][f"field.note_{reason}.prompt"]
        ticked = ("Bạn đã đánh dấu", "You ticked")[locale == "en"]
        assert prompt.startswith(f"{ticked} “{TEXTS[locale][f'option.{reason}']}”: "), prompt
        assert prompt.endswith("?"), prompt


def test_thế_nào_never_closes_a_statement() -> None:
    assert not _found(r"thế nào\s*[.!,:;]|thế nào$", "vi")


def test_vietnamese_tone_marks_follow_the_newer_placement() -> None:
    # hóa, xóa, hủy, tùy, thủy: the mark sits on the main vowel, not on the glide
    assert not _found(r"(?<![qQ])(o[àáảãạ]|o[èéẻẽẹ]|u[ỳýỷỹỵ])(?![a-zđăâêôơư])", "vi")


def test_the_bot_calls_every_member_of_staff_bạn_never_anh_chị() -> None:
    said_to_staff = {
        key: text
        for key, text in TEXTS["vi"].items()
        if not is_script(key) and not key.startswith(("address.", "option."))
    }
    assert [key for key, text in said_to_staff.items() if "anh/chị" in text.lower()] == []


#: Calls that refuse with a message: its key is their first argument (`super().__init__` in
#: the refusals' own classes).
REFUSING = {"Refused", "InvalidInput", "ForgetRefused", "__init__"}


def _called(node: ast.Call) -> str:
    return getattr(node.func, "id", None) or getattr(node.func, "attr", "")


def _refusals() -> set[str]:
    """Every message of the error or refusal kind: the `[error]` table, the Mini App's
    `error_*` words, the `refused` tables, and every key the code raises as a refusal."""
    raised: set[str] = set()
    for package in ("bot", "flows", "storage"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and _called(node) in REFUSING and node.args:
                    first = node.args[0]
                    if isinstance(first, ast.Constant) and isinstance(first.value, str):
                        raised.add(first.value)
    grouped = {
        key
        for key in TEXTS["vi"]
        if key.startswith("error.")
        or ".refused." in key
        or key.rsplit(".", 1)[1].startswith("error_")
    }
    return grouped | (raised & set(TEXTS["vi"]))


REFUSALS = _refusals()
#: How a refusal must not open: with what to do, before saying what happened.
ASKING_FIRST = {
    "vi": r"\W*(bạn )?(vui lòng|hãy)\b",
    "en": r"\W*(please|choose|type|send|give|tick|open|use|press|write|answer)\b",
}


def test_every_vietnamese_refusal_asks_bạn_never_an_impersonal_vui_lòng() -> None:
    # "Vui lòng gõ giá trị bằng số…", "Hãy viết một ngày đã qua…": said to nobody
    assert {"error.not_a_number", "invite.invalid", "handover.not_yours_now"} <= REFUSALS
    unaddressed = [
        f"{key}: {TEXTS['vi'][key]}"
        for key in sorted(REFUSALS)
        if re.search(r"(?<!bạn )(?<!\w)(vui lòng|hãy)(?!\w)", TEXTS["vi"][key], re.IGNORECASE)
    ]
    assert unaddressed == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_refusal_says_what_happened_before_what_to_do(locale: str) -> None:
    # "Vui lòng đánh dấu ít nhất một mục…", "Please give a date between…": what went wrong?
    asking_first = [
        f"{key}: {TEXTS[locale][key]}"
        for key in sorted(REFUSALS)
        if re.match(ASKING_FIRST[locale], TEXTS[locale][key], re.IGNORECASE)
    ]
    assert asking_first == []


# ------------------------------------------------------------------------ scripts


def _scripts(locale: str, business: bool) -> dict[str, str]:
    """Every customer script as a reader sees it, for one kind of customer."""
    wanted = "business" if business else "woman, titled"
    r = renderer(locale)
    said: dict[str, str] = {}
    for who, view in views():
        if who == wanted and view.record and len(view.record.incidents) == 3:
            text = r.script(view)
            if text:
                said[
                    f"{view.case.kind}.{view.case.state}.{view.field.name if view.field else ''}"
                ] = text
    return said


def test_every_vietnamese_script_for_a_person_speaks_the_hotline_register() -> None:
    for where, text in _scripts("vi", business=False).items():
        assert "ạ" in text, where
        assert re.search(r"\b(em|bên em)\b", text), where


#: Business variants said on the hotline, in "em"'s voice (a complaint, a check-in): the
#: company speaks as "chúng tôi" only when the contract itself is at stake (words.md).
HOTLINE_BUSINESS = ("step.apologise.", "step.empathise.", "step.check_in.")


def test_business_scripts_of_the_ladder_and_the_goodbye_say_chúng_tôi_never_em() -> None:
    variants = [
        key
        for key in TEXTS["vi"]
        if is_script(key) and key.endswith("_business") and not key.startswith(HOTLINE_BUSINESS)
    ]
    # the ladder, the five moves, the typed alternative; the goodwill waiting for approval,
    # given (within the limit, or approved), and asked again once declined
    assert len(variants) == 13
    for key in variants:
        assert "chúng tôi" in TEXTS["vi"][key].lower(), key
        assert not re.search(r"(?<!\w)em(?!\w)", TEXTS["vi"][key], re.IGNORECASE), key


@pytest.mark.parametrize("locale", LOCALES)
def test_every_script_for_a_business_without_a_contact_addresses_the_company_itself(
    locale: str,
) -> None:
    # "Kính chào anh/chị", "em xin lỗi anh/chị": a person nobody named, not the company
    r, checked = renderer(locale), 0
    for who, view in views():
        said = plain(r.script(view) or "") if who == "business" else ""
        if not said:
            continue
        checked += 1
        where = (view.case.kind, view.case.state, view.field and view.field.name, said)
        if locale == "vi":
            assert "anh/chị" not in said.lower(), where
            assert "quý công ty" in said.lower(), where
        else:  # no name to greet: "Hello." alone, never "Hello ." nor a title
            assert not re.search(r"\b(Mr|Ms)\b", said), where
            assert "Hello " not in said, where
    assert checked > 50
    assert r.address(customers()["business"]) == (
        ("quý công ty", "quý công ty") if locale == "vi" else ("", "you")
    )


#: Words that only fit a person: feelings, moods, health, family. A company has none of them
#: ("em rất hiểu cảm giác của quý công ty"); its work is held up, its team troubled.
PERSONAL = {
    "vi": (
        "cảm giác",
        "cảm xúc",
        "cảm thấy",
        "bực",
        "khó chịu",
        "phiền lòng",
        "lo lắng",
        "mệt mỏi",
        "buồn",
        "tức giận",
        "sức khỏe",
        "gia đình",
        "người nhà",
        "hỏi thăm",
        "ai cũng",
    ),
    "en": ("feel", "upset", "bother", "worr", "tired", "health", "family", "annoy", "angry"),
}
STANDINGS = (None, "given", "approved", "promised", "reopened", "declined")
_VARIANT = re.compile(r"(_(given|approved|promised|reopened|declined))?(_business)?$")


def _personal(locale: str, said: str) -> list[str]:
    return [w for w in PERSONAL[locale] if re.search(rf"(?<!\w){w}", said.lower())]


@pytest.mark.parametrize("locale", LOCALES)
def test_no_script_for_a_company_with_no_contact_speaks_of_feelings(locale: str) -> None:
    # every card of every procedure, as drawn for the company itself ("quý công ty")
    r, checked = renderer(locale), 0
    for who, view in views():
        said = plain(r.script(view) or "") if who == "business" else ""
        if said:
            checked += 1
            assert not _personal(locale, said), (view.case.kind, view.case.state, said)
    assert checked > 50
    # and every script in each variant the card may pick for it: an offer given, approved
    # or promised already — however the case stands
    view = next(v for who, v in views() if who == "business")
    params = r.script_params(view)
    bases = {_VARIANT.sub("", k) for k in TEXTS[locale] if is_script(k) and "heading" not in k}
    for base in bases:
        for standing in STANDINGS:
            key = variant_of(SCRIPTS, locale, base, standing, business=True)
            said = plain(SCRIPTS.say(locale, key, **params))
            assert not _personal(locale, said), (key, said)


def test_a_script_said_once_an_offer_may_be_given_has_a_business_variant_where_its_script_does():
    # otherwise a business would hear the approved goodwill in "em"'s voice
    for locale in LOCALES:
        for key in TEXTS[locale]:
            base, _, standing = key.rpartition("_")
            fits = is_script(key) and standing in ("given", "approved")
            if fits and f"{base}_business" in TEXTS[locale]:
                assert f"{key}_business" in TEXTS[locale], key


def test_a_business_customer_gets_the_business_variant() -> None:
    said = _scripts("vi", business=True)
    assert "chúng tôi" in said["problem_review.termination_conversation.appreciate"]
    assert "quý công ty" in said["problem_review.termination_conversation.alternative"]


#: Option codes that are English words: a Vietnamese reader must never see one.
CODES = (
    {
        key.removeprefix("option.")
        for key in TEXTS["en"]
        if key.startswith("option.") and key not in ("option.anh", "option.chi")
    }
    | set(Role)
    | set(IncidentKind)
    | set(CaseKind)
    | {"blocked"}
)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_rendered_script_is_whole_and_free_of_codes_and_internal_marks(locale: str) -> None:
    checked = 0
    for policy in (WITH_PARTNERS, WITHOUT_PARTNERS):
        r = renderer(locale, policy)
        for _, view in views(policy):
            text = r.script(view)
            if text is None:
                continue
            checked += 1
            where = (view.case.state, view.field and view.field.name, view.customer)
            for mark in ("{", "}", "—", "None", "[", "]", "'", "  ", " .", " ,"):
                assert mark not in text, (mark, where, text)
            codes = [
                c for c in CODES if ("_" in c or locale == "vi") and re.search(rf"\b{c}\b", text)
            ]
            assert codes == [], (codes, where, text)
            for incident in set(IncidentKind) - {IncidentKind.other}:  # kinds stay with staff
                label = re.escape(r.option(incident))
                assert not re.search(rf"(?<!\w){label}(?!\w)", text, re.I), (incident, where)
    assert checked > 500


@pytest.mark.parametrize("locale", LOCALES)
def test_a_date_in_words_read_aloud_is_written_as_people_say_it_never_as_2026_11_23(
    locale: str,
) -> None:
    # "From 2026-03-10 to 2026-10-20, you told us 3 times…": nobody says that to a customer
    dated = 0
    for _, view in views():
        text = plain(renderer(locale).script(view) or "")
        dated += bool(re.search(r"\d/20\d\d|\d [A-Z][a-z]+ 20\d\d", text))
        assert not re.search(r"\d{4}-\d\d-\d\d", text), text
    assert dated > 10  # the goodbye's framing, for each kind of customer


@pytest.mark.parametrize("locale", LOCALES)
def test_no_script_asks_the_customer_more_than_two_questions_in_one_breath(locale: str) -> None:
    # the exit interview asked five in a row ("…chất lượng ạ? Có bên nào…? Hay do…? Hay là…?")
    asked = {}
    for _, view in views():
        text = plain(renderer(locale).script(view) or "")
        asked[text] = text.count("?")
    assert max(asked.values()) == 2
    assert [text for text, questions in asked.items() if questions > 2] == []


def test_the_exit_interview_leaves_its_further_questions_to_ask_one_at_a_time() -> None:
    view = next(
        v for who, v in views() if v.field and v.field.name == "exit_reasons" and who == "formal"
    )
    card = plain(renderer("vi").card(view).text)
    advice, script = card.split("➡️")[0].split("Lưu ý:")[1].split("Lời thoại gợi ý:")
    assert "từng câu một" in advice
    assert "“Có khiếu nại nào của quý khách chưa được giải quyết không ạ?”" in advice
    assert script.count("?") == 1


def test_the_renderer_fills_every_placeholder_a_script_may_use() -> None:
    _, view = next(views())
    assert set(renderer("vi").script_params(view)) == SCRIPT_PLACEHOLDERS


def test_a_sentence_whose_placeholder_is_empty_is_left_out() -> None:
    # nothing documented about the customer: the goodbye's framing says neither sentence
    view = next(
        v
        for who, v in views()
        if v.field and v.field.name == "frame" and who == "formal" and not v.record.incidents
    )
    view.record = record(0, complaints=0)
    said = renderer("vi").script(view)
    assert said is not None
    assert "chưa được suôn sẻ" not in said
    assert "chưa hài lòng với dịch vụ" not in said
    assert said.startswith("Dạ, em xin phép chia sẻ thật lòng với quý khách ạ. Bên em tự thấy")


@pytest.mark.parametrize("locale", LOCALES)
def test_move_five_with_no_partner_configured_leaves_a_gap_for_the_alternative(
    locale: str,
) -> None:
    # never a goodbye that names no alternative: "…" where staff say the one they suggest
    for who, view in views(WITHOUT_PARTNERS):
        if view.field is None or view.field.name != "alternative":
            continue
        said = plain(renderer(locale, WITHOUT_PARTNERS).script(view) or "")
        offered = {"vi": "tham khảo … ", "en": " … "}[locale]
        assert offered in said, (who, said)
        assert "…." not in said, (who, said)
    view = next(v for who, v in views() if v.field and v.field.name == "alternative")
    with_partners = renderer("vi").script(view)
    assert with_partners is not None
    assert "tham khảo Công ty Sao Mai hoặc Bưu điện Hà Nội ạ." in with_partners


@pytest.mark.parametrize("locale", LOCALES)
def test_words_ending_in_a_gap_end_their_sentence_once(locale: str) -> None:
    # an offer not yet known, or typed words that trail off: "…", never "…."
    for _, view in views():
        said = plain(renderer(locale).script(view) or "")
        assert "…." not in said, said
    view = next(v for _, v in views() if v.field and v.field.name == "alternatives")
    view.case.draft = {"alternative": "own_alternative", "own_alternative": "Công ty Ánh Dương…"}
    said = plain(renderer(locale).script(view) or "")
    assert "Công ty Ánh Dương…" in said
    assert "Công ty Ánh Dương…." not in said


@pytest.mark.parametrize(
    ("address", "said"),
    [("Ms Mai", "Hello Ms Mai. This is Lan from customer care."),
     ("", "Hello. This is Lan from customer care.")],
)  # fmt: skip
def test_a_part_in_brackets_is_said_only_where_its_placeholder_has_words(
    address: str, said: str
) -> None:
    script = SCRIPTS.say("en", "step.awaiting_follow_up.script", address=address, staff="Lan")
    assert script.startswith(said)
    assert "[" not in script


def test_the_goodbye_reminds_of_occasions_without_naming_what_they_were() -> None:
    view = next(
        v
        for who, v in views()
        if v.field
        and v.field.name == "frame"
        and who == "woman, titled"
        and v.record
        and len(v.record.incidents) == 3
    )
    said = renderer("vi").script(view) or ""
    assert said.startswith("Dạ, em xin phép chia sẻ thật lòng với chị ạ. Thời gian qua, từ 02/09")
    assert "Trả tiền trễ" not in said
    assert "thô lỗ" not in said
    view.record = record(0, complaints=0)
    assert "ạ. Bên em tự thấy mình chưa phục vụ chị" in (renderer("vi").script(view) or "")
    view.record = record(2, complaints=0)
    for incident in view.record.incidents:
        incident.happened_on = date(2026, 11, 23)  # two occasions on one day: no range
    assert "chị ạ. Hôm 23/11/2026, đã có 2 lần" in (renderer("vi").script(view) or "")
    assert (renderer("en").script(view) or "").startswith(
        "If I may, I would like to be open with you. On 23 November 2026, there were 2 occasions"
    )


#: What the frame move opens with before the occasions, in each language (to a person): it
#: asks leave to be open with them, in both.
VERY_FIRST = {
    "vi": "Dạ, em xin phép chia sẻ thật lòng với chị ạ. ",
    "en": "If I may, I would like to be open with you. ",
}


#: The frame move for a customer who told us three times they were unhappy, as each reader
#: reads it: the complaints counted and dated in the customer's terms, the company speaking
#: as itself to a business.
COMPLAINTS_FRAMED = {
    ("vi", "woman, titled"): (
        "Từ 10/03/2026 đến 20/10/2026, chị đã 3 lần báo với bên em là chị chưa hài lòng với"
        " dịch vụ ạ. Bên em tự thấy"
    ),
    ("en", "woman, titled"): (
        "From 10 March 2026 to 20 October 2026, you told us 3 times that you were not happy"
        " with our service. We have not"
    ),
    ("vi", "business"): (
        "Từ 10/03/2026 đến 20/10/2026, quý công ty đã 3 lần cho chúng tôi biết dịch vụ chưa"
        " đạt yêu cầu. Chúng tôi nhận thấy"
    ),
    ("en", "business"): (
        "From 10 March 2026 to 20 October 2026, your company told us 3 times that our service"
        " fell short of your requirements. We realise"
    ),
}


@pytest.mark.parametrize(("locale", "who"), list(COMPLAINTS_FRAMED))
def test_the_goodbye_says_how_often_the_customer_told_us_they_were_unhappy(
    locale: str, who: str
) -> None:
    view = next(
        v
        for name, v in views()
        if v.field and v.field.name == "frame" and name == who and v.record
    )
    view.record = record(0)  # no incident: the complaints open the framing
    said = plain(renderer(locale).script(view) or "")
    first = "" if who == "business" else VERY_FIRST[locale]
    assert said.startswith(first + COMPLAINTS_FRAMED[locale, who]), said
    if who == "business":
        assert not re.search(r"(?<!\w)em(?!\w)", said, re.IGNORECASE), said


@pytest.mark.parametrize(
    ("locale", "one", "one_day"),
    [
        (
            "vi",
            "Hôm 20/10/2026, chị đã báo với bên em là chị chưa hài lòng với dịch vụ ạ.",
            "Hôm 20/10/2026, chị đã 2 lần báo với bên em",
        ),
        (
            "en",
            "On 20 October 2026, you told us that you were not happy with our service.",
            "On 20 October 2026, you told us 2 times that",
        ),
    ],
    ids=["vi", "en"],
)
def test_one_complaint_or_several_on_one_day_are_framed_without_a_range_and_none_not_at_all(
    locale: str, one: str, one_day: str
) -> None:
    view = next(
        v
        for name, v in views()
        if v.field and v.field.name == "frame" and name == "woman, titled" and v.record
    )
    last = datetime(2026, 10, 20, 3, 0, tzinfo=UTC)
    view.record = record(0, complaints=1)
    view.record.complaints_between = (last, last)
    assert (renderer(locale).script(view) or "").startswith(VERY_FIRST[locale] + one)
    view.record = record(0, complaints=2)
    view.record.complaints_between = (last - timedelta(hours=2), last)
    assert (renderer(locale).script(view) or "").startswith(VERY_FIRST[locale] + one_day)
    view.record = record(0, complaints=0)
    no_complaint = renderer(locale).script(view) or ""
    assert no_complaint.startswith(
        VERY_FIRST[locale] + ("Bên em tự thấy", "We have not")[locale == "en"]
    ), no_complaint


def test_scripts_address_the_customer_by_title_and_given_name() -> None:
    said = {
        name: renderer(locale).script(
            CaseView(case("complaint", "apologise"), LAN, customer, field=None)
        )
        for name, customer in customers().items()
        for locale in ("vi",)
    }
    assert (said["woman, titled"] or "").startswith("Dạ, em chào chị Mai. Em là Lan")
    assert "xin lỗi chị về" in (said["woman, titled"] or "")
    assert (said["man, untitled"] or "").startswith("Dạ, em chào anh/chị Hùng.")
    assert (said["formal"] or "").startswith("Dạ, em chào quý khách.")
    assert (said["business with a contact"] or "").startswith("Dạ, em chào anh Tuấn.")
    english = renderer("en").script(
        CaseView(case("complaint", "apologise"), LAN, customers()["formal"], field=None)
    )
    assert (english or "").startswith("Hello. My name is Lan")  # no name: the greeting alone


def test_no_script_is_shown_before_the_customer_is_chosen() -> None:
    for _, view in views():
        if view.field is not None and view.field.kind == "customer":
            assert renderer("vi").script(view) is None
            assert "Lời thoại gợi ý" not in renderer("vi").card(view).text


def test_advice_for_staff_is_shown_as_advice_not_as_words_for_the_customer() -> None:
    view = next(
        v for _, v in views() if v.case.state == "reassess" and v.field and v.field.kind == "text"
    )
    text = renderer("vi").card(view).text
    assert "💡 <b>Lưu ý:</b>" in text
    assert "Lời thoại gợi ý" not in text


# ------------------------------------------------------------------------ buttons


@pytest.mark.parametrize("locale", LOCALES)
def test_status_words_in_lists_fit_twelve_characters(locale: str) -> None:
    for key, text in TEXTS[locale].items():
        if key.startswith("step.") and key.endswith(".short"):
            assert visible_length(text) <= SHORT_BUDGET, (key, text)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_keyboard_the_bot_can_draw_fits_a_phone_screen(locale: str) -> None:
    drawn = 0
    for name, markup in keyboards(locale):
        for row in markup.inline_keyboard if markup else ():
            assert 1 <= len(row) <= 4, (name, [b.text for b in row])
            for button in row:
                drawn += 1
                budget = LABEL_BUDGET[len(row)]
                assert visible_length(button.text) <= budget, (name, button.text, budget)
    assert drawn > 5_000


def test_long_reasons_are_one_to_a_row() -> None:
    view = next(v for _, v in views() if v.field and v.field.name == "reasons")
    markup = renderer("vi").card(view).markup
    assert markup is not None
    reasons = [row for row in markup.inline_keyboard if row[0].text.startswith(("✅", "▫️"))]
    assert len(reasons) == 7
    assert all(len(row) == 1 for row in reasons)


def test_a_label_is_measured_as_a_reader_sees_it() -> None:
    assert visible_length("▫️ Chậm trễ") == 10  # the emoji's variation selector is invisible
    assert visible_length("Nguyễn Thị Hương") == 16


def test_every_case_kind_has_a_filter_button() -> None:
    kinds = "".join(codes for what, codes in FILTER_ROWS if what == "kind")
    assert set(kinds) == {"-", *KINDS}
    assert set(KINDS.values()) == set(PROCEDURES)
    assert CustomerKind.business in {c.kind for c in customers().values()}


# ------------------------------------------------------------------------ exports


def test_a_sheet_with_a_column_left_unclassified_does_not_load() -> None:
    from storage.exports import SHEETS, Sheet

    cases = SHEETS["cases"]
    unclassified = {k: v for k, v in cases.columns.items() if k != "summary"}
    with pytest.raises(TypeError, match="classify every column"):
        Sheet("cases", unclassified, cases.query)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_export_column_file_and_code_is_named_in_each_language(locale: str) -> None:
    from zoneinfo import ZoneInfo

    from storage.exports import SHEETS, Words

    words = Words(SCRIPTS, locale, "VND")
    for sheet in SHEETS.values():
        header = sheet.header(ZoneInfo("Asia/Ho_Chi_Minh"), words)
        assert len(set(header)) == len(header), sheet.name
        assert re.fullmatch(r"[a-z-]+", words(f"export.file.{sheet.name}")), sheet.name
    outcomes = ("resolved", "cancelled", "retained", "terminated", "customer_terminated")
    outcomes += ("defected", "won_back", "stays", "undecided", "leaving")
    keys = [f"case_kind.{kind}" for kind in CaseKind] + [f"resolution.{o}" for o in outcomes]
    assert [key for key in keys if not SCRIPTS.has(locale, key)] == []


@pytest.mark.parametrize("locale", LOCALES)
def test_the_frontline_guide_names_buttons_as_the_bot_draws_them(locale: str) -> None:
    guide = (ROOT / "docs" / f"frontline-guide.{locale}.md").read_text(encoding="utf-8")
    labels = {text for key, text in TEXTS[locale].items() if key.startswith("button.")}
    named = [
        b for b in re.findall(r"\*\*([^*]+)\*\*", guide) if not b[0].isalnum() and b[0] != "/"
    ]
    assert len(named) >= 8
    assert [b for b in named if b not in labels] == []


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        ("vi", "Lan muốn đền bù cho khách như sau — Giảm giá, trị giá 2.000.000 VND"),
        ("en", "wants to offer the customer this compensation — Discount, worth 2,000,000 VND"),
    ],
)
def test_an_approval_request_names_the_compensation_apart_from_the_sentence(
    locale: str, sentence: str
) -> None:
    view = CaseView(case("complaint", "awaiting_approval"), LAN, None, field=None)
    asked = {"type": "discount", "value": 2_000_000, "limit": 500_000, "limit_now": 500_000}
    note = Notify(LAN, "approval_request", view, asked)
    assert sentence in plain(renderer(locale).decision_text(note))


#: The notices this round added, as supervisors and owners get them.
NEW_NOTICES = [
    ("case_cancelled", {"by": "Minh", "reason": "Trùng hồ sơ #7"}),
    ("case_closed_by_termination", {"by": "Minh", "review": 9}),
    ("request_withdrawn", {"by": "Lan"}),
    ("request_withdrawn_yours", {"by": "Minh"}),
    ("request_withdrawn_asked", {"by": "Minh"}),
    ("case_closed_by_defection", {"by": "Minh", "interview": 9}),
    # a case handed over: to its new owner, and to its former one
    ("handed_to_you", {"by": "Minh"}),
    ("handed_away", {"by": "Minh", "to": "Hòa"}),
    ("taken_away", {"by": "Minh"}),
    ("worked_on", {"by": "Minh"}),  # a supervisor moved someone's case on
]
MOMENT = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
#: Who a decision was told to: nobody, the owner having left.
#: What a press of 📝 Keep as note is told when nothing is kept, or kept already.
KEPT_REFUSALS = ("already", "replaced", "gone", "not_yours", "case_ended")
#: The refusals of typed text that offer 📝 Keep as note.
KEEP_OFFERED = (
    "approval.waiting_keep",
    "error.use_buttons_keep",
    "error.use_buttons_now_keep",
    "error.send_file_keep",
    "input.question_moved_keep",
    "input.edit_not_read_typed_keep",
)
TOLD_NOBODY = Phrase("approval.told.nobody", {"owner": "Lan"})
#: The messages this round added or reworded, with what fills them.
#: Why an answer typed could not be read, inside the refusal that quotes it back.
UNREAD = Phrase("error.not_a_number")
#: The refusals of a day typed that names no one day, one for each kind of question.
VAGUE_DAYS = ("vague_day_ahead", "vague_day_past", "vague_since")
NEW_MESSAGES = [
    *((f"kept.{why}", {"case": 123}) for why in KEPT_REFUSALS),
    *((key, {"case": 123, "text": "Khách hẹn gọi lại"}) for key in KEEP_OFFERED),
    ("error.unread", {"case": 123, "text": "Khách hẹn gọi lại", "why": UNREAD}),
    ("error.unread_keep", {"case": 123, "text": "Khách hẹn gọi lại", "why": UNREAD}),
    ("approval.kept_focus", {}),
    ("error.case_ended", {"case": 123}),
    ("error.not_whole_amount", {}),
    # a day typed that names no one day, or a lunar one: quoted back, with the forms wanted
    *((f"error.{why}", {"typed": "mấy hôm trước"}) for why in VAGUE_DAYS),
    ("error.lunar_day", {"typed": "sau Tết"}),
    ("error.today_end_passed", {"hour": "17:00"}),
    ("record.none_picked", {}),
    ("review.notice_late", {"case": 123, "renewal": date(2027, 1, 10), "months": 3}),
    (
        "reminder.delivery_problem",
        {"who": "Lan", "what": "theo dõi", "reason": "đã chặn bot"},
    ),
    # added since: typed text, times, the ladder, a request's wait, the check-in's flag
    ("intake.phone_on_record", {"phone": "0903123456"}),
    ("input.question_moved", {"case": 123, "text": "Giao lại bằng xe riêng"}),
    # typed text that meets no open question, quoted back
    ("error.not_expecting_text", {"text": "Giao lại bằng xe riêng"}),
    ("error.case_ended_typed", {"case": 123, "text": "Giao lại bằng xe riêng"}),
    ("error.use_buttons_now", {"case": 123, "text": "Giao lại bằng xe riêng"}),
    ("approval.waiting", {"case": 123, "text": "Giao lại bằng xe riêng"}),
    ("input.sent_twice", {"case": 123}),
    ("input.sent_twice_done", {"case": 123}),
    ("input.already_saved_done", {"case": 123}),
    ("evidence.already_saved", {"case": 123}),
    ("input.other_case", {"case": 123, "current": 124}),
    # typed text the bot could not use, quoted back (round 36)
    ("input.other_case_typed", {"case": 123, "current": 124, "text": "Giao lại bằng xe riêng"}),
    ("input.edit_not_read_typed", {"text": "Giao lại bằng xe riêng"}),
    ("input.label_typed", {"text": "Bỏ qua ⏭"}),
    ("input.forwarded_not_kept", {"text": "Giao lại bằng xe riêng"}),
    ("input.own_message_forwarded", {}),  # the bot's own message forwarded back
    ("error.use_buttons", {"case": 123, "text": "Giao lại bằng xe riêng"}),
    ("error.send_file", {"case": 123, "text": "Giao lại bằng xe riêng"}),
    ("time.moved", {"asked": Local(MOMENT, BERLIN), "when": Local(MOMENT, BERLIN)}),
    ("time.moved_day", {"asked": Local(MOMENT, BERLIN), "when": Local(MOMENT, BERLIN)}),
    ("time.moved_told", {"asked": Local(MOMENT, BERLIN), "when": Local(MOMENT, BERLIN)}),
    ("time.moved_day_told", {"asked": Local(MOMENT, BERLIN), "when": Local(MOMENT, BERLIN)}),
    ("error.time_skipped", {"day": date(2027, 3, 28), "time": "02:30", "zone": BERLIN}),
    ("review.caution_first", {"case": 123}),
    ("review.already_open", {"name": "Lê Văn Tám", "case": 123}),
    ("reminder.waited", {"since": MOMENT}),
    ("case.flag_after_check_in", {}),
    ("timeline.closed_by_defection", {"case": 123}),
    (
        "customer.at_risk_after_check_in",
        {"since": MOMENT, "by": "Lan", "case": 123, "standing": "Khách có ý rời đi"},
    ),
    ("cases.more_not_listed", {"count": 20}),
    ("evidence.not_resent", {"count": 2, "total": 5, "case": 123}),
    ("customer.more_matches", {"count": 8}),
    ("customer.more_at_risk", {"count": 20}),
    ("customer.at_stake_listed", {"count": 20, "value": "12.000.000 VND"}),
    ("digest.more", {"count": 5, "where": "/followups"}),
    ("button.carry_on", {}),
    ("button.leave_question", {}),
    ("input.edit_not_read", {}),
    ("customer.at_risk_wished", {"improve": "Giao hàng buổi tối"}),
    ("customer.forgotten", {}),
    ("customer.forgotten_name", {"number": 123}),
    # a reminder of someone who left, handed to a supervisor: whose promise it was
    (
        "reminder.handed_over.follow_up_overdue",
        {"case": 123, "customer": "Lê Văn Tám", "due": MOMENT, "staff": "Hòa"},
    ),
    (
        "reminder.handed_over.fix_due",
        {
            "case": 123,
            "customer": "Lê Văn Tám",
            "staff": "Hòa",
            "action": "Giao lại",
            "promised": MOMENT,
        },
    ),
    ("reminder.handed_over.ladder_check", {"case": 123, "customer": "Lê Văn Tám", "staff": "Hòa"}),
    ("staff.left", {}),  # /staff: someone who left, whose open cases' reminders are handed over
    ("followups.overdue", {"due": "26/11 09:00"}),  # /followups marks the overdue ones
    # the defection rate counts those who chose to leave, not those the company let go
    ("report.defection_rate", {"rate": "5%", "defected": 7, "active": 140}),
    ("review.grounds_not_ticked", {"case": 123}),  # straight to a decision: keep the ground
    # stop 24: a copy of a goodwill request decided, a company's complaints framed on one
    # day, and a start given as a month in the export's "given as" column
    ("request_closed.goodwill.approved", {"case": 123, "by": "Minh"}),
    ("request_closed.goodwill.declined", {"case": 123, "by": "Minh"}),
    ("record.complaint_framed_business", {"day": "20/10/2026"}),
    ("record.complaints_framed_one_day_business", {"day": "20/10/2026", "count": 3}),
    ("export.given_as.month", {}),
    # a customer of less than a year, never "0 năm" / "0 years"
    ("record.tenure_under_a_year", {}),
    # a colleague's open case on a customer's record: its number only
    ("record.open_with_colleagues", {"cases": "#12, #15"}),
    # a supervisor hands a case over
    ("handover.pick", {"case": 123, "owner": "Lan"}),
    ("handover.nobody", {"case": 123}),
    ("handover.not_allowed", {}),
    ("handover.not_active", {"case": 123}),
    ("handover.already_theirs", {"case": 123, "name": "Hòa"}),
    ("handover.nobody_to_decide", {"case": 123, "name": "Hòa"}),
    ("handover.not_yours_now", {"case": 123, "name": "Hòa"}),
    ("handover.done", {"case": 123, "giver": "Lan", "taker": "Hòa"}),
    ("handover.taken", {"case": 123, "giver": "Lan"}),
    ("timeline.handed_over", {"giver": "Lan", "taker": "Hòa"}),
    ("button.hand_over", {}),
    ("button.hand_over_case", {"case": 123}),
    ("button.take_it_myself", {}),
    # this stop's messages no walk draws in both languages: decisions whose asker left, the
    # reminders and lists of cases left behind, a withdrawal's log line, counts said in words
    *[
        (f"approval.recorded.{subject}.{verdict}", {"case": 123, "told": TOLD_NOBODY})
        for subject, verdict in (
            ("compensation", "declined"),
            ("termination", "approved"),
            ("termination", "declined"),
            ("termination", "later"),
            ("goodwill", "approved"),
            ("goodwill", "declined"),
        )
    ],
    # who a decision was told to, said as it is in each confirmation; a comment typed by a
    # supervisor made staff since deciding; a request nobody may decide any more
    *[(f"approval.told.{who}", {"owner": "Lan", "asker": "Minh"}) for who in ("both", "asker")],
    *[(f"approval.told.{who}", {"owner": "Lan"}) for who in ("owner", "nobody")],
    ("approval.told.nobody_both", {"owner": "Lan", "asker": "Minh"}),
    ("approval.comment_saved", {"case": 123, "told": TOLD_NOBODY}),
    ("approval.comment_not_supervisor", {"case": 123, "text": "Đề nghị phiếu quà tặng"}),
    ("approval.comment_not_supervisor_sent", {"case": 123}),
    # a digest's cases left unfinished; the Mini App's text boxes and screen-reader names
    ("digest.untouched", {"count": 2}),
    ("digest.left_at", {"step": "apologise", "when": "2026-11-23 09:00"}),
    # a supervisor's digest: everyone else's cases left unfinished, each with its owner
    ("digest.others_untouched", {"count": 2}),
    ("digest.left_by", {"owner": "Lan", "step": "apologise", "when": "2026-11-23 09:00"}),
    ("miniapp.limit_count", {"count": 12, "limit": 1000}),
    ("miniapp.limit_over", {"over": 3, "limit": 1000}),
    ("miniapp.open_case_label", {"case": 12, "what": "Phạm Thị Mai"}),
    *[(f"miniapp.{name}_label", {}) for name in ("back", "previous", "next")],
    ("miniapp.tabs_label", {}),
    ("miniapp.tab_approvals_count", {"count": 2}),
    ("reminder.nobody_decides", {"case": 123}),
    ("reminder.nobody_decides_none", {"case": 123}),
    ("reminder.kind.nobody_decides", {}),
    ("approval.comment_not_typed", {}),
    ("event.withdraw", {}),
    ("reminder.owner_left_more", {"who": "Lan"}),
    ("reminder.kind.owner_left", {}),
    ("step.termination_conversation.short", {}),
    ("error.date_too_far", {"days": 1}),
    ("report.too_long", {"days": 366}),
    ("export.done", {"files": 3, "zone": "UTC+7"}),
    ("export.done_some", {"files": 2, "total": 3, "zone": "UTC+7"}),
    ("export.none", {}),
    ("zone.other", {"city": "Berlin"}),
    ("error.no_words", {}),
    ("error.no_such_day", {"day": "31/04", "days": 30}),
    ("error.no_leap_day", {"year": "2025"}),
    (
        "error.no_leap_day_near",
        {
            "first": "2025",
            "second": "2026",
            "example": "29/02/2024",
            "other_example": "28/02/2026",
        },
    ),
    # a second role on someone's case: a request for another supervisor once the case is
    # theirs, the limit changed since a request, a case handed to someone in the middle of
    # something else
    ("request_closed.taken", {"case": 123}),
    ("request_closed.demoted", {"case": 123}),
    ("request_closed.left", {"case": 123}),
    ("approval.limit_now", {"limit": "5.000.000 VND"}),
    ("notify.handed_busy_case", {"current": 123}),
    ("notify.handed_busy", {}),
    # stop 38: move 5's advice where no partner is configured, and no button names one
    ("field.alternative.advice_unlisted", {"customer": "Lê Văn Tám"}),
]


@pytest.mark.parametrize(
    ("locale", "returned"),
    [("vi", "giai đoạn đang làm khi xin quyết định"), ("en", "the rung it was on when")],
)
def test_a_declined_termination_says_the_review_returns_to_the_rung_it_left_not_the_last(
    locale: str, returned: str
) -> None:
    # "back on the last rung" / "quay về giai đoạn cuối": after ⚖ Decide now on the first
    # rung the review returns there, and "giai đoạn cuối" reads as the ending itself
    for kind in ("approval.recorded", "notify.decision"):
        key = f"{kind}.termination.declined"
        assert returned in TEXTS[locale][key], key
        assert not re.search("last rung|giai đoạn cuối", TEXTS[locale][key]), key


@pytest.mark.parametrize(("kind", "params"), NEW_NOTICES)
def test_each_new_notice_reads_whole_in_both_languages(kind: str, params: dict[str, Any]) -> None:
    view = CaseView(case("complaint", "cancelled"), LAN, None, field=None)
    shown = {
        locale: plain(renderer(locale).notify(Notify(LAN, kind, view, params)).text)
        for locale in LOCALES
    }
    assert shown["vi"] != shown["en"]
    for text in shown.values():
        assert "{" not in text
        assert "#123" in text
        assert all(str(value) in text for value in params.values())


@pytest.mark.parametrize(("key", "params"), NEW_MESSAGES)
def test_each_new_message_reads_whole_in_both_languages(key: str, params: dict[str, Any]) -> None:
    shown = {locale: plain(renderer(locale).t(key, **params)) for locale in LOCALES}
    assert shown["vi"] != shown["en"]
    typed = [str(value) for value in params.values() if isinstance(value, str | int)]
    for text in shown.values():
        assert text.strip()
        assert "{" not in text
        assert all(value in text for value in typed)


#: How each reader reads a zone the scripts name, one named by its city (the last part of
#: its code, spaced), and a fixed offset whose code reads the other way round.
ZONES_SAID = {
    "vi": {
        "Asia/Ho_Chi_Minh": "giờ Việt Nam, UTC+7",
        "Asia/Saigon": "giờ Việt Nam, UTC+7",
        "Europe/Berlin": "giờ Berlin",
        "America/Argentina/Buenos_Aires": "giờ Buenos Aires",
        "Etc/GMT-7": "giờ UTC+7",
    },
    "en": {
        "Asia/Ho_Chi_Minh": "Vietnam time, UTC+7",
        "Asia/Saigon": "Vietnam time, UTC+7",
        "Europe/Berlin": "Berlin time",
        "America/Argentina/Buenos_Aires": "Buenos Aires time",
        "Etc/GMT-7": "UTC+7 time",
    },
}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_naming_a_time_zone_names_it_in_the_readers_words_never_by_its_code(
    locale: str,
) -> None:
    # "Ở múi giờ Europe/Berlin không có 02:30 ngày 28/03/2027": a code, not words
    naming = [key for key, text in TEXTS[locale].items() if "{zone}" in text]
    assert {"error.time_skipped", "export.done", "export.done_some"} <= set(naming)
    for code, said in ZONES_SAID[locale].items():
        for key in naming:
            params: dict[str, Any] = dict.fromkeys(placeholders(TEXTS[locale][key]), 3)
            text = plain(renderer(locale).t(key, **params | {"zone": ZoneInfo(code)}))
            assert said in text, (key, text)
            assert code not in text, (key, text)
            assert "_" not in text, (key, text)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_moment_on_a_colleagues_calendar_names_its_zone_in_the_readers_words(
    locale: str,
) -> None:
    # "24/11/2026 22:00 (Europe/Berlin) is outside working hours"
    on_calendar = [key for key in TEXTS[locale] if key.startswith("time.")]
    assert len(on_calendar) >= 5
    for key in on_calendar:
        params = dict.fromkeys(placeholders(TEXTS[locale][key]), Local(MOMENT, BERLIN))
        read_elsewhere = plain(renderer(locale).t(key, **params))
        assert f"({ZONES_SAID[locale]['Europe/Berlin']})" in read_elsewhere, read_elsewhere
        assert "Europe/" not in read_elsewhere
        own = Renderer(SCRIPTS, WITH_PARTNERS, locale, BERLIN)
        assert "(" not in plain(own.t(key, **params))  # on one's own calendar: no zone named


TYPED = {"alternative": "own_alternative", "own_alternative": "Nhà sách Phương Nam"}
PICKED = {"alternative": "buu_dien_ha_noi"}


@pytest.mark.parametrize(
    ("locale", "draft", "said"),
    [
        ("vi", TYPED, "quý khách có thể tham khảo Nhà sách Phương Nam ạ."),
        ("en", TYPED, "you could try Nhà sách Phương Nam."),
        ("vi", PICKED, "quý khách có thể tham khảo Bưu điện Hà Nội ạ."),
        ("en", PICKED, "you could try Ha Noi Post."),
    ],
)
def test_the_card_recording_move_five_names_the_option_picked_or_typed(
    locale: str, draft: dict[str, str], said: str
) -> None:
    view = next(
        v for who, v in views() if v.field and v.field.name == "alternatives" and who == "formal"
    )
    view.case.draft = dict(draft)
    text = renderer(locale).script(view) or ""
    assert said in text
    assert "…" not in text


@pytest.mark.parametrize(("locale", "said"), [("en", "from no. 1,001"), ("vi", "1.001")])
def test_a_page_of_a_long_case_list_says_where_it_starts_the_readers_way(
    locale: str, said: str
) -> None:
    from flows.case_filter import CaseFilter
    from flows.outcomes import ShowCases

    shown = ShowCases([(case("complaint", "fix"), None)], True, filter=CaseFilter(offset=1000))
    heading = plain(renderer(locale).cases(shown).text).split("\n")[0]
    assert said in heading


@pytest.mark.parametrize(
    ("locale", "left"),
    [
        ("en", "Lan (left: their reminders go to the supervisors)"),
        ("vi", "Lan (đã nghỉ việc, lời nhắc chuyển cho quản lý)"),
    ],
)
def test_a_case_owner_who_has_left_is_said_to_have_wherever_the_case_names_them(
    locale: str, left: str
) -> None:
    gone = Staff(telegram_id=1001, name="Lan", role="staff", id=1, active=False)
    view = CaseView(case("complaint", "awaiting_follow_up"), gone, customers()["formal"], None)
    r = renderer(locale)
    row = LogRow(123, "complaint", "fix", "Lan", 1, "Lê Hoa", None, MOMENT, MOMENT, None, False)
    assert plain(r.case_summary(view)).split("\n")[1].endswith(f": {left}")  # handled by
    assert plain(r.reminder("overdue_notice", view, {}).text).count(left) == 2  # and its card
    assert miniapp.log_page(r, LogPage([row], LogQuery(), more=False))["rows"][0]["owner"] == left
    still_here = CaseView(view.case, LAN, view.customer, None)
    assert "Lan (" not in plain(r.case_summary(still_here))


@pytest.mark.parametrize(
    ("listing", "locale", "late", "on_time"),
    [
        ("followups", "en", "⚠ 26 Nov 09:00, overdue", "26 Nov 09:00"),
        ("followups", "vi", "⚠ 26/11 09:00, quá hạn", "26/11 09:00"),
        ("cases", "en", "⚠ call due, overdue", "call due"),
        ("cases", "vi", "⚠ chờ gọi lại, quá hạn", "chờ gọi lại"),
    ],
)
def test_every_list_of_cases_marks_the_overdue_follow_ups_as_the_digest_lists_them_apart(
    listing: str, locale: str, late: str, on_time: str
) -> None:
    overdue = case("complaint", "awaiting_follow_up")
    waiting = case("complaint", "awaiting_follow_up")
    overdue.overdue_since, waiting.id = MOMENT, 124
    formal = customers()["formal"]
    shown = ShowCases([(overdue, formal), (waiting, formal)], True, listing=listing)
    rendered = renderer(locale).cases(shown)
    lines = plain(rendered.text).split("\n")
    assert lines[1:3] == [f"• #123 · Lê Hoa · {late}", f"• #124 · Lê Hoa · {on_time}"]
    labels = [row[0].text for row in rendered.markup.inline_keyboard]
    assert ("⚠" in labels[0], "⚠" in labels[1]) == (True, False)


#: How the words offer each compensation and goodwill, as the case recorded it.
OFFERS = {
    "vi": {
        "voucher": "phiếu quà tặng trị giá 200.000 VND",
        "discount": "khoản giảm giá 200.000 VND",
        "free_service": "dịch vụ miễn phí trị giá 200.000 VND",
        "gift": "món quà trị giá 200.000 VND",
        "refund": "khoản hoàn tiền 200.000 VND",
        "refund_last_period": "hoàn tiền kỳ cuối (200.000 VND)",
        "cancel_final_invoice": "hủy hóa đơn cuối cùng (200.000 VND)",
        "other_goodwill": "một khoản trị giá 200.000 VND",
    },
    "en": {
        "voucher": "a voucher worth 200,000 VND",
        "discount": "a discount of 200,000 VND",
        "free_service": "a free service worth 200,000 VND",
        "gift": "a gift worth 200,000 VND",
        "refund": "a refund of 200,000 VND",
        "refund_last_period": "a refund of your last period (200,000 VND)",
        "cancel_final_invoice": "the cancellation of your final invoice (200,000 VND)",
        "other_goodwill": "a goodwill gesture worth 200,000 VND",
    },
}
GOODWILL_TYPES = ("refund_last_period", "cancel_final_invoice", "other_goodwill")


def _offering(kind: str, state: str, value: int = 200_000) -> Case:
    if kind in GOODWILL_TYPES:
        return case(CaseKind.problem_review, state, {"goodwill": kind, "goodwill_value": value})
    offering = case(CaseKind.complaint, state)
    offering.compensation_type, offering.compensation_value = kind, value
    return offering


@pytest.mark.parametrize("locale", LOCALES)
def test_the_words_name_each_offer_as_the_case_recorded_its_type_and_amount(locale: str) -> None:
    draw = renderer(locale)
    for kind, said in OFFERS[locale].items():
        state = "termination_conversation" if kind in GOODWILL_TYPES else "follow_up"
        assert draw.offer(_offering(kind, state)) == said


@pytest.mark.parametrize("locale", LOCALES)
def test_words_said_before_an_offer_is_recorded_leave_its_place_for_staff_to_fill(
    locale: str,
) -> None:
    draw = renderer(locale)
    assert draw.offer(_offering("voucher", "compensate")) == "…"  # its amount still to come
    assert draw.offer(_offering("none", "follow_up")) == "…"
    assert draw.offer(_offering("refund_last_period", "termination_conversation", 0)) == "…"


@pytest.mark.parametrize(
    ("locale", "label", "offered", "said"),
    [
        ("vi", "Buổi spa", None, "buổi spa trị giá 500.000 VND"),
        ("en", "Spa day", None, "spa day worth 500,000 VND"),
        (
            "en",
            "Spa day",
            "a spa day for two worth {value}",
            "a spa day for two worth 500,000 VND",
        ),
    ],
)
def test_a_compensation_type_of_the_companys_own_is_offered_by_its_label_or_its_own_words(
    locale: str, label: str, offered: str | None, said: str
) -> None:
    texts = {loc: dict(SCRIPTS.texts[loc]) for loc in LOCALES}
    texts[locale]["option.spa_day"] = label
    if offered:
        texts[locale]["offer.spa_day"] = offered
    policy = Policy(compensation_catalogue=("voucher", "spa_day", "none"))
    draw = Renderer(Scripts(texts), policy, locale, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert draw.offer(_offering("spa_day", "follow_up", 500_000)) == said


def test_a_company_file_may_word_how_its_own_compensation_type_is_offered(
    tmp_path: Path,
) -> None:
    own = tmp_path / "ours.toml"
    own.write_text(
        '[vi.option]\nspa_day = "Buổi spa"\n[en.option]\nspa_day = "Spa day"\n'
        '[en.offer]\nspa_day = "a spa day for two worth {value}"\n',
        encoding="utf-8",
    )
    settings = Settings.model_validate(
        {
            "database": {"url": "sqlite+aiosqlite:///:memory:"},
            "complaints": {"compensation_catalogue": ["voucher", "spa_day", "none"]},
            "scripts": {"override": str(own)},
        }
    )
    scripts = load_scripts(settings)
    assert scripts.get("en", "offer.spa_day", value="1") == "a spa day for two worth 1"
    assert not scripts.has("vi", "offer.spa_day")  # optional: offered by its label


@pytest.mark.parametrize(
    ("locale", "said"),
    [("en", "👋 Left us on 2026-11-23 (recorded in the exit interview, case #7)."),
     ("vi", "👋 Khách rời bỏ ngày 23/11/2026 (ghi nhận trong phỏng vấn rời bỏ, hồ sơ #7).")],
)  # fmt: skip
def test_a_customer_who_left_is_said_to_have_left_with_the_reasons_heard_or_without_any(
    locale: str, said: str
) -> None:
    day = datetime(2026, 11, 23, 3, tzinfo=UTC)
    interview = Case(kind=CaseKind.exit_interview, owner_id=1, opened_at=day, id=7, closed_at=day)
    r = renderer(locale)
    assert r.left_line(interview, []) == said  # an interview from before reasons were kept
    why = r.left_line(interview, ["competitor_offer"])
    assert why.startswith(said[:-1])
    assert why.endswith(f"{r.option('competitor_offer')}.")
