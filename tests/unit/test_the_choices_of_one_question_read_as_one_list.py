"""The buttons of one question read as one list, in each language: the same grammatical form.

A reviewer read "Unprofitable" beside "Is mean to or abuses staff", "Won back" beside a bare
"Left for good", a clause ("A competitor made a better offer") among nouns, one outcome with
what happens next ("Satisfied — close") beside one without ("Could not reach"); later, among
exit reasons named as things ("Dịch vụ chưa chu đáo"), one said what we did ("Lỡ hẹn với
khách", now "Cuộc hẹn bị lỡ"). The forms that can be told by their shape are checked for
every question of every procedure and every verdict and reminder row; the lists people read
most are pinned side by side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.render import DECISIONS
from flows.scripts import LOCALES
from tests.unit.wording import SCRIPTS, forms, renderer

#: A label that opens with a subject or a finite verb is a clause; one that does not is a
#: noun or a verb phrase. A list holds one kind or the other.
CLAUSE = {
    "en": r"(I|We|It|They|Is|Are|Was|Were|Do|Does|Did|Can|Cannot|Will|Keeps|Has|Have)\b",
    "vi": r"(Bên|Khách|Em|Mình|Chúng tôi)\b",
}
ARTICLE = r"(The|A|An)\b"
EMOJI = re.compile(r"^[^\w“\"(]")


def choice_lists(locale: str) -> Iterator[tuple[str, list[str]]]:
    """Every set of buttons answering one question (a partner, named by the company, aside),
    every decision's verdicts and every reminder's row, as labelled in `locale`."""
    seen: set[tuple[str, ...]] = set()
    texts = SCRIPTS.texts[locale]
    for _, _, field in forms():
        options = tuple(o for o in field.options if f"option.{o}" in texts) if field else ()
        if len(options) > 1 and options not in seen:
            seen.add(options)
            yield field.name if field else "", [texts[f"option.{o}"] for o in options]
    for kind, verdicts in DECISIONS.items():
        yield f"verdicts {kind}", [texts[f"button.verdict_{v}"] for v in verdicts]
    for row in ("button.follow_up.", "button.fix."):
        yield row, [text for key, text in texts.items() if key.startswith(row)]


def _all_or_none(labels: list[str], holds: re.Pattern[str] | str) -> bool:
    said = [bool(re.search(holds, label)) for label in labels]
    return all(said) or not any(said)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_list_of_choices_opens_alike(locale: str) -> None:
    lists = dict(choice_lists(locale))
    named = {"reasons", "incident_kind", "exit_reasons", "goodwill", "verdicts decision_request"}
    assert named <= set(lists)
    shapes = {
        "an emoji first": EMOJI,
        "what happens next after a dash": " — ",
        "a subject or a verb first (a clause)": rf"^\W*{CLAUSE[locale]}",
    }
    if locale == "en":
        shapes["an article first"] = rf"^\W*{ARTICLE}"
    uneven = [
        (name, shape, labels)
        for name, labels in lists.items()
        for shape, holds in shapes.items()
        if not _all_or_none(labels, holds)
    ]
    assert uneven == []


#: The lists read most, side by side: each a list of nouns or each one of verb phrases.
PINNED = {
    "reasons": {
        "en": [
            "Complaints about trifles",
            "Abuse or mistreatment of staff",
            "No prospect of more business",
            "No referrals of new business",
            "Little or no profit",
            "Unethical or shady proposals",
            "Poor fit with our mission or values",
        ],
        "vi": [
            "Kêu ca chuyện vặt",
            "Cư xử tệ, xúc phạm nhân viên",
            "Không thể mang thêm doanh thu",
            "Không giới thiệu khách mới",
            "Không mang lại lợi nhuận",
            "Đề nghị việc sai trái, mờ ám",
            "Không còn phù hợp sứ mệnh, giá trị",
        ],
    },
    "client_types": {
        "en": [
            "The exploiter",
            "The fear-monger",
            "The slow payer",
            "The uncivil client",
            "The “I win, you lose” client",
        ],
        "vi": [
            "Đòi giá rẻ, phục vụ 24/7",
            "Gây áp lực, đe dọa",
            "Chậm thanh toán",
            "Chửi bới, thiếu lịch sự",
            "Nhận hết công, đổ hết lỗi",
        ],
    },
    "goodwill": {
        "en": ["Refund the last period", "Cancel the final invoice", "Offer something else"],
        "vi": ["Hoàn tiền kỳ cuối", "Hủy hóa đơn cuối cùng", "Hỗ trợ cách khác"],
    },
    "exit_reasons": {
        "en": [
            "Price or quality",
            "Better offer elsewhere",
            "Inattentive service",
            "Missed appointment",
            "Unresolved complaint",
            "All of these",
        ],
        "vi": [
            "Giá hoặc chất lượng",
            "Ưu đãi tốt hơn ở nơi khác",
            "Dịch vụ chưa chu đáo",
            "Cuộc hẹn bị lỡ",
            "Khiếu nại chưa được giải quyết",
            "Tất cả những điều trên",
        ],
    },
    "result": {
        "en": ["😊 Won back", "👋 Gone for good"],
        "vi": ["😊 Khách ở lại", "👋 Khách rời đi hẳn"],
    },
    "needs": {
        "en": ["Fully met", "Partly met", "Not met"],
        "vi": ["Đáp ứng đầy đủ", "Đáp ứng một phần", "Chưa đáp ứng"],
    },
    "standing": {
        "en": ["😊 Staying", "🤔 Still deciding", "👋 Thinking of leaving"],
        "vi": ["😊 Sẽ ở lại", "🤔 Còn lưỡng lự", "👋 Có ý rời đi"],
    },
    "rung_outcome": {
        "en": [
            "✅ Resolved — keep the customer",
            "❌ Not resolved — move on",
            "⏳ Too early to tell — wait and see",
        ],
        "vi": [
            "✅ Đã giải quyết — giữ khách",
            "❌ Chưa giải quyết — đi tiếp",
            "⏳ Chưa rõ — chờ xem",
        ],
    },
    "outcome": {
        "en": ["😊 Satisfied — close", "😞 Still unhappy — reopen", "📵 No answer — call again"],
        "vi": [
            "😊 Hài lòng — đóng hồ sơ",
            "😞 Vẫn chưa hài lòng — mở lại",
            "📵 Không liên lạc được — hẹn gọi lại",
        ],
    },
    "verdicts decision_request": {
        "en": ["✅ Approve", "❌ Decline", "⏳ Put off"],
        "vi": ["✅ Duyệt", "❌ Từ chối", "⏳ Để sau"],
    },
}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_lists_read_most_are_worded_as_one_list(locale: str) -> None:
    lists = dict(choice_lists(locale))
    assert {name: lists[name] for name in PINNED} == {
        name: wording[locale] for name, wording in PINNED.items()
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_reasons_named_in_a_sentence_read_as_one_list(locale: str) -> None:
    # "Cannot bring more business and unprofitable": a verb beside an adjective
    said = renderer(locale).value_of("reasons", ["no_more_business", "unprofitable"])
    assert (
        said
        == {
            "en": "No prospect of more business and little or no profit",
            "vi": "Không thể mang thêm doanh thu và không mang lại lợi nhuận",
        }[locale]
    )
