"""Every procedure can start with a new customer; a customer's status decides what opens;
the termination conversation is logged move by move."""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import case_number, label, open_case, words

pytestmark = pytest.mark.asyncio


#: What adding a customer reads, and what a review shows of them, in each language.
WORDS = {
    "en": {
        "no match": "No customer matches",
        "New customer": "New customer",
        "Business": "Business",
        "value": "80,000,000 VND",
        "caution": "long-standing customer",
    },
    "vi": {
        "no match": "Không tìm thấy khách hàng nào khớp",
        "New customer": "Khách hàng mới",
        "Business": "Doanh nghiệp",
        "value": "80.000.000 VND",
        "caution": "khách hàng lâu năm",
    },
}


async def add_new_customer(person: Person, name: str) -> None:
    """From the customer question: nobody found, so add them."""
    words = WORDS[person.language_code]
    await person.send(name)
    assert words["no match"] in person.last_text  # folded into the card
    await person.press(words["New customer"])
    await person.send(name)
    await person.send("0912 000 111")
    await person.press(words["Business"])
    await person.send("2015")
    await person.send("80tr")


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("command", ["/problem", "/exit"])
async def test_a_review_or_an_exit_interview_can_start_with_a_customer_not_yet_known(
    world: World, who: str, command: str
) -> None:
    person: Person = getattr(world, who)
    await person.send(command)
    case_id = case_number(person.last_text)
    await add_new_customer(person, "Công ty Bình Minh")
    case = await world.case(case_id)
    assert case.customer_id is not None
    assert "Công ty Bình Minh" in person.last_text
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds == ["opened", "customer_chosen"]
    if command == "/problem":
        words = WORDS[person.language_code]
        assert words["value"] in person.last_text  # the record before the first rung
        assert words["caution"] in person.last_text  # since 2015: the caution


async def test_a_review_does_not_list_itself_among_the_customers_open_cases(
    world: World,
) -> None:
    await add_customer(world, "Công ty Hòa Bình", "business")
    complaint = await open_case(world.lan, "Công ty Hòa Bình", existing=True)
    case_id = await open_review(world.lan, "Công ty Hòa Bình")
    [line] = [ln for ln in world.lan.last_text.splitlines() if ln.startswith("Other open cases")]
    assert f"#{complaint}" in line
    assert f"#{case_id}" not in line


async def terminate(
    world: World, name: str, person: Person | None = None, supervisor: Person | None = None
) -> tuple[int, int]:
    """Walk a B2B review to its end, by `person` (Lan) with `supervisor` (Minh) approving;
    return the review and a complaint it closed."""
    person, supervisor = person or world.lan, supervisor or world.minh
    await add_customer(world, name, "business")
    complaint = await open_case(person, name, existing=True)
    case_id = await open_review(person, name)
    await climb_to_decision(person)
    await supervisor.press(label(supervisor, "Approve"))
    await person.press(label(person, "Open case"))
    await person.send("31/03/2027")
    for text in ("Thanked them for six years", "Reminded them of the late deliveries"):
        world.clock.advance(minutes=3)
        await person.send(text)
    world.clock.advance(minutes=3)
    await person.press(label(person, "Cancel the final invoice"))
    await person.send("300k")
    await person.send("They took it well")
    world.clock.advance(minutes=3)
    await person.send("Said sorry it did not work out")
    world.clock.advance(minutes=3)
    await person.press(label(person, "Another option"))
    await person.send("Công ty Ánh Dương")
    await person.send("Gave them the contact")
    assert (await world.case(case_id)).state == Rung.terminated
    return case_id, complaint


@pytest.mark.parametrize("locale", LOCALES)
async def test_each_move_of_the_termination_conversation_is_logged_when_it_is_made(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id, _ = await terminate(world, "Công ty Hòa Bình", person, supervisor)
    events = await world.events(case_id)
    moves = [e for e in events if e.kind.startswith("move_")]
    assert [e.kind for e in moves] == [
        "move_prepare",
        "move_appreciate",
        "move_frame",
        "move_goodwill",
        "move_apologise",
        "move_alternatives",
    ]
    assert len({e.at for e in moves[1:]}) == 5  # each at its own time
    assert moves[3].data == {
        "goodwill": "cancel_final_invoice",
        "goodwill_value": 300_000,
        "goodwill_response": "They took it well",
    }
    concluded = [e for e in events if e.kind == "concluded"]
    assert concluded[0].data == {"to": "terminated"}
    await person.send(f"/case {case_id}")
    timeline = "\n".join(m.plain_text for m in person.messages[-3:])
    assert words(person, "event.move_appreciate") in timeline
    assert words(person, "event.move_alternatives") in timeline


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_complaint_closed_by_a_termination_says_so(world: World, locale: str) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id, complaint = await terminate(world, "Công ty Hòa Bình", person, supervisor)
    await person.send(f"/case {complaint}")
    said = words(person, "timeline.closed_by_termination", case=case_id)
    assert said in person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_terminated_customers_card_offers_only_what_still_makes_sense(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await terminate(world, "Công ty Hòa Bình", person, supervisor)
    await person.send("/customer Hòa Bình")
    buttons = person.buttons
    assert words(person, "button.new_case") in buttons
    gone = ("button.new_review", "button.flag_at_risk", "button.new_exit")
    assert not [key for key in gone if words(person, key) in buttons], buttons
    await person.send("/problem")
    await person.send("Hòa Bình")
    await person.press("Công ty Hòa Bình")
    refused = words(person, "customer.refused.problem_review", name="Công ty Hòa Bình")
    assert refused in world.api.answers[-1]["text"]


@pytest.mark.parametrize(
    ("second_name", "second_phone", "customers"),
    [
        ("Nguyễn Thị Hương", "+84 903 123 456", 1),  # the same person: the record on file
        ("nguyen thi huong", "0903.123.456", 1),
        ("Nguyễn Văn Nam", "0903 123 456", 2),  # a household's shared phone: someone else
    ],
)
async def test_a_new_customer_with_the_name_and_phone_of_one_on_record_is_that_customer(
    world: World, second_name: str, second_phone: str, customers: int
) -> None:
    first = await open_case(world.lan, "Nguyễn Thị Hương")  # phone 0903 123 456
    await world.lan.send("/new")
    await world.lan.send("zzz")  # a search that finds nobody: the staff member adds them
    await world.lan.press("New customer")
    await world.lan.send(second_name)
    await world.lan.send(second_phone)
    await world.lan.press("Individual")
    await world.lan.send("2019")
    await world.lan.send("3tr")
    await world.lan.send("Giao hàng trễ lần nữa")
    await world.lan.press("Delay")
    await world.lan.press("High")
    assert await world.count("customers") == customers
    second = case_number(world.lan.last_text)
    same = (await world.case(first)).customer_id == (await world.case(second)).customer_id
    assert same == (customers == 1)


async def start_new_customer(person: Person, command: str, name: str, phone: str) -> int:
    """Open a case, find nobody, and type a new customer's name and phone."""
    vietnamese = person.language_code == "vi"
    await person.send(command)
    case_id = case_number(person.last_text)
    await person.send("zzz")  # a search that finds nobody: the staff member adds them
    await person.press("Khách hàng mới" if vietnamese else "New customer")
    await person.send(name)
    await person.send(phone)
    return case_id


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_phone_already_on_file_offers_its_customer_and_pressing_them_makes_the_case_theirs(
    world: World, who: str
) -> None:
    first = await open_case(world.lan, "Nguyễn Thị Hương")  # phone 0903 123 456
    person = getattr(world, who)
    second = await start_new_customer(person, "/new", "Nguyen Thi Houng", "+84 903-123-456")
    on_file = "đã có trong thông tin khách hàng" if who == "hoa" else "already on file"
    assert on_file in person.last_text
    await person.press("Nguyễn Thị Hương")
    await person.send("Giao hàng trễ lần nữa")  # the intake goes on with the complaint
    await person.press("Chậm trễ" if who == "hoa" else "Delay")
    await person.press("Nặng" if who == "hoa" else "High")
    assert await world.count("customers") == 1
    assert (await world.case(second)).customer_id == (await world.case(first)).customer_id
    assert "new_name" not in (await world.case(second)).draft


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("command", ["/problem", "/exit"])
async def test_a_procedure_that_adds_the_customer_at_once_takes_the_one_on_file_instead(
    world: World, who: str, command: str
) -> None:
    await open_case(world.lan, "Nguyễn Thị Hương")
    person: Person = getattr(world, who)
    case_id = await start_new_customer(person, command, "Nguyen Huong", "0903123456")
    await person.press("Nguyễn Thị Hương")
    assert await world.count("customers") == 1
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds == ["opened", "customer_chosen"]


async def test_someone_else_on_a_shared_phone_is_added_when_the_offer_is_passed_over(
    world: World,
) -> None:
    await open_case(world.lan, "Nguyễn Thị Hương")
    second = await start_new_customer(world.lan, "/new", "Nguyễn Văn Nam", "0903 123 456")
    assert "Nguyễn Thị Hương" in " ".join(world.lan.buttons)
    await world.lan.press("Individual")  # answering on: someone else
    assert "Nguyễn Thị Hương" not in " ".join(world.lan.buttons)
    await world.lan.send("2019")
    await world.lan.send("3tr")
    await world.lan.send("Giao hàng trễ lần nữa")
    await world.lan.press("Delay")
    await world.lan.press("High")
    assert await world.count("customers") == 2
    assert "Nguyễn Văn Nam" in world.lan.last_text
    assert (await world.case(second)).customer_id is not None


async def test_a_phone_nobody_has_offers_no_customer(world: World) -> None:
    await open_case(world.lan, "Nguyễn Thị Hương")
    await start_new_customer(world.lan, "/new", "Trần Văn Bình", "0912 000 111")
    assert "already on file" not in world.lan.last_text
    assert not any("👤" in b for b in world.lan.buttons)


async def test_the_offered_customer_cannot_be_taken_by_a_button_from_before_the_phone(
    world: World,
) -> None:
    await open_case(world.lan, "Nguyễn Thị Hương")
    case_id = await start_new_customer(world.lan, "/new", "Nguyen Houng", "0903 123 456")
    card = world.api.last_with_buttons(world.lan.chat_id)
    assert card is not None
    offer = str(card.find_button("Nguyễn Thị Hương").callback_data)
    await world.lan.press("Individual")
    await world.lan.press_data(offer)  # stale: the card moved on
    case = await world.case(case_id)
    assert case.customer_id is None  # still adding someone new, as the person chose
    assert case.draft["new_name"] == "Nguyen Houng"
