"""Values written the reader's way, and customers addressed the Vietnamese way."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.address import default_given_name, form_of_address, given_name, read_title, rename
from flows.formats import Formats, roughly
from flows.model import Customer
from tests.unit.wording import renderer

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
VI, EN = Formats("vi", HCM), Formats("en", HCM)


def test_numbers_and_money_group_thousands_the_readers_way() -> None:
    assert VI.money(1_000_000) == "1.000.000 VND"
    assert EN.money(1_000_000) == "1,000,000 VND"
    assert VI.number(2_000) == "2.000"


def test_decimals_and_percentages_use_the_readers_decimal_mark() -> None:
    assert VI.decimal(2.5) == "2,5"
    assert EN.decimal(2.5) == "2.5"
    assert VI.decimal(3.94) == "3,9"
    assert VI.decimal(4.0) == "4"
    assert VI.decimal(1234.5) == "1.234,5"
    assert VI.percent(0.125) == "12,5%"


def test_dates_are_day_first_in_vietnamese_and_iso_in_english() -> None:
    assert VI.day(date(2026, 12, 31)) == "31/12/2026"
    assert VI.day("2026-12-31") == "31/12/2026"
    assert EN.day(date(2026, 12, 31)) == "2026-12-31"
    moment = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    assert VI.moment(moment) == "23/11/2026 09:00"
    assert VI.moment(moment, brief=True) == "23/11 09:00"
    assert EN.moment(moment.isoformat()) == "2026-11-23 09:00"


def test_lists_read_as_people_write_them() -> None:
    assert Formats.join(["A", "B", "C"], "và") == "A, B và C"
    assert Formats.join(["A", "B"], "or") == "A or B"
    assert Formats.join(["A"], "và") == "A"
    assert Formats.join([], "và") == ""
    assert (
        Formats.join(["Đòi giá rẻ, phục vụ 24/7", "Gây áp lực, đe dọa", "Thiếu lịch sự"], "và")
        == "Đòi giá rẻ, phục vụ 24/7; Gây áp lực, đe dọa; Thiếu lịch sự"
    )


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        (
            "reasons",
            ["trivial_complaints", "unprofitable"],
            "Kêu ca chuyện vặt và không mang lại lợi nhuận",
        ),
        ("client_types", ["slow_payer"], "Chậm thanh toán"),
        ("goodwill_value", 2_000_000, "2.000.000 VND"),
        ("goodwill_approval", "approved", "✅ Đã duyệt"),
        ("renewal_date", "2026-12-31", "31/12/2026"),
        ("incident_date", "2026-11-20", "20/11/2026"),
        ("wait_until", "2026-12-01T02:00:00+00:00", "01/12/2026 09:00"),
        ("alternative", "cong_ty_sao_mai", "Công ty Sao Mai"),
        ("standing", "stays", "😊 Sẽ ở lại"),
        ("note", None, "bỏ qua"),
    ],
)
def test_every_recorded_value_is_written_by_its_kind(name: str, value: object, shown: str) -> None:
    assert renderer("vi").value_of(name, value) == shown


def test_choices_listed_in_a_sentence_go_on_in_lower_case_in_both_languages() -> None:
    # "Lý do: Không thể mang thêm doanh thu và Không mang lại lợi nhuận" read as two sentences
    reasons = ["no_more_business", "unprofitable", "abuses_staff"]
    assert (
        renderer("vi").value_of("reasons", reasons)
        == "Không thể mang thêm doanh thu; không mang lại lợi nhuận; cư xử tệ, xúc phạm nhân viên"
    )
    assert (
        renderer("en").value_of("reasons", reasons[:2])
        == "No prospect of more business and little or no profit"
    )
    types = ["exploiter", "always_wins", "slow_payer"]
    assert (
        renderer("en").value_of("client_types", types)
        == "The exploiter; the “I win, you lose” client; the slow payer"
    )
    assert (
        renderer("vi").value_of("client_types", types[1:])
        == "Nhận hết công, đổ hết lỗi; chậm thanh toán"
    )


def test_partners_listed_in_a_sentence_keep_their_names() -> None:
    assert renderer("vi").alternatives({}) == "Công ty Sao Mai hoặc Bưu điện Hà Nội"


def test_a_partner_is_named_in_the_readers_language() -> None:
    assert renderer("en").value_of("alternative", "cong_ty_sao_mai") == "Sao Mai Company"


def test_tenure_reads_two_and_a_half_years_the_vietnamese_way() -> None:
    from tests.unit.wording import record

    lines = renderer("vi").record_section(record(0))
    assert "Là khách hàng được 2,5 năm" in lines
    assert "Giá trị 5.000.000 VND mỗi năm, tính đến nay khoảng 12.500.000 VND" in lines


@pytest.mark.parametrize(
    ("years", "vi", "en"),
    [
        (0.0, "Là khách hàng chưa đầy một năm", "Customer for less than a year"),
        (0.4, "Là khách hàng chưa đầy một năm", "Customer for less than a year"),
        (1.0, "Là khách hàng được 1 năm", "Years as a customer: 1"),
        (7.9, "Là khách hàng được 7,9 năm", "Years as a customer: 7.9"),
    ],
)
def test_a_customers_years_read_right_whatever_the_number_never_0_years_nor_1_years(
    years: float, vi: str, en: str
) -> None:
    from tests.unit.wording import record

    for locale, said in (("vi", vi), ("en", en)):
        shown = record(0)
        shown.tenure_years = years
        assert said in renderer(locale).record_section(shown)


# ------------------------------------------------------------------ forms of address


def test_a_title_typed_before_the_name_is_read_and_kept_apart() -> None:
    assert read_title("chị Nguyễn Thị Mai") == read_title("  chị   Nguyễn Thị Mai ")
    assert read_title("chị Nguyễn Thị Mai").title == "chi"
    assert read_title("chị Nguyễn Thị Mai").rest == "Nguyễn Thị Mai"
    assert read_title("anh Hùng").title == "anh"
    assert read_title("quý khách").title == "quy_khach"
    assert read_title("Ms Mai Pham").title == "chi"


def test_a_title_typed_without_its_marks_in_lower_case_is_read_as_the_title() -> None:
    assert read_title("chi Mai") == read_title("chị Mai")
    assert read_title("quy khach") == read_title("quý khách")
    assert read_title("ong Tùng").title == "anh"
    assert (read_title("co Lan").title, read_title("co Lan").said) == ("chi", "cô")
    assert read_title("bac Ba").titled
    assert read_title("Chi Nguyễn").title is None  # with a capital: the given name Chi
    assert read_title("Chi").rest == "Chi"


def test_a_name_that_starts_with_a_capital_anh_is_a_name_not_a_title() -> None:
    assert read_title("Anh Thư").title is None
    assert read_title("Anh Thư").rest == "Anh Thư"


def test_a_title_that_is_also_a_name_is_a_title_in_lower_case_only() -> None:
    assert read_title("Ông Văn Tùng").rest == "Ông Văn Tùng"  # Ông, a family name
    assert read_title("ông Tùng").title == "anh"
    assert read_title("Chị Mai").title == "chi"  # a phone's keyboard capitalises it
    assert read_title("Bác Ba").titled
    assert read_title("Bác Ba").title is None  # a kinship title that tells nothing
    assert read_title("Cô Lan").said == "Cô"


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("Nguyễn Thị Mai", "Mai"),
        ("Nguyen Van An", "An"),  # no marks, but a family name first
        ("Hà Anh", "Anh"),  # marks: Vietnamese order
        ("Nguyễn Tuấn Anh", "Tuấn Anh"),  # "Anh" alone would be heard as the title
        ("Trần Thị Anh", "Anh"),  # a middle word is no part of it
        ("Mai Pham", "Mai"),  # Western order: the family name last
        ("Tuan Nguyen", "Tuan"),
        ("John Smith", "John"),
        ("Emily", "Emily"),
        ("", ""),
    ],
)
def test_the_default_given_name_follows_the_order_the_name_is_written_in(
    name: str, given: str
) -> None:
    assert default_given_name(name) == given


def test_the_given_name_is_the_last_word_unless_staff_chose_another() -> None:
    assert default_given_name("Nguyễn Thị Mai") == "Mai"
    mai = Customer(name="Nguyễn Thị Mai", search_key="")
    assert given_name(mai) == "Mai"
    assert form_of_address(mai) == "named"
    rename(mai, "chị Mai Anh")
    assert (mai.title, given_name(mai), form_of_address(mai)) == ("chi", "Mai Anh", "chi")
    rename(mai, "quý khách")
    assert (mai.title, mai.given_name, form_of_address(mai)) == (
        "quy_khach",
        "Mai Anh",
        "quy_khach",
    )


def test_a_business_is_addressed_through_its_contact_person_if_known() -> None:
    company = Customer(name="Công ty Sao Mai", search_key="", kind="business")
    assert (given_name(company), form_of_address(company)) == ("", "company")
    rename(company, "anh Tuấn")
    assert (given_name(company), form_of_address(company)) == ("Tuấn", "anh")


@pytest.mark.parametrize(
    ("title", "given", "vi", "en"),
    [
        ("chi", None, ("chị Mai", "chị"), ("Ms Mai", "you")),
        ("anh", "Hùng", ("anh Hùng", "anh"), ("Mr Hùng", "you")),
        (None, None, ("anh/chị Mai", "anh/chị"), ("Mai", "you")),
        ("quy_khach", None, ("quý khách", "quý khách"), ("", "you")),
    ],
)
def test_the_form_of_address_is_worded_in_each_language(
    title: str | None, given: str | None, vi: tuple[str, str], en: tuple[str, str]
) -> None:
    customer = Customer(name="Nguyễn Thị Mai", search_key="", title=title, given_name=given)
    assert renderer("vi").address(customer) == vi
    assert renderer("en").address(customer) == en


def test_an_estimate_keeps_three_significant_digits() -> None:
    assert [roughly(v) for v in (23_679_671, 23_983_573.4, 950_000, 1_234, 87, 0)] == [
        23_700_000,
        24_000_000,
        950_000,
        1_230,
        87,
        0,
    ]


def test_a_whole_percentage_is_written_without_a_decimal() -> None:
    assert [VI.percent(r) for r in (1.0, 0.65, 0.0, 0.1234)] == ["100%", "65%", "0%", "12,3%"]
    assert [EN.percent(r) for r in (1.0, 0.999)] == ["100%", "99.9%"]
