"""A newcomer who types a button's name instead of pressing it (*Skip*, *Carry on with this
case*, *Nothing to add*, *New customer*…): nothing is saved, the bot says to press the button,
and what waits is asked again. Before, the name was saved as the note, the reason, the
comment, or searched as a customer's name."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.walk import asking_approval, label, open_case, words

pytestmark = pytest.mark.asyncio

#: How each button's name may be typed: as shown, or without its sign, in any case.
TYPED = (lambda name: name, lambda name: name.strip("▶⏭📝⚠✖➕↩ ").lower())


def was_told(person: Person) -> bool:
    """Whether the person was just told a button's name typed is not pressing it (before
    the question asked again)."""
    told = words(person, "input.label_typed").split("{text}")[1]  # after the name quoted
    return any(told in m.text for m in person.messages[-2:])


@pytest.mark.parametrize("typed", TYPED)
@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_name_of_skip_typed_for_a_note_is_not_the_note(
    world: World, who: str, typed: object
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    await person.press(label(person, "Calm"))
    await person.send(typed(words(person, "button.skip")))  # type: ignore[operator]
    assert was_told(person)
    assert "note" not in (await world.case(case_id)).draft.get("apologise", {})


@pytest.mark.parametrize(
    "key", ["button.carry_on", "button.note", "button.pause", "button.new_case", "button.language"]
)
@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_name_of_a_button_typed_for_a_side_question_is_never_saved(
    world: World, who: str, key: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    for side in ("button.note", "button.escalate_reason", "button.cancel_reason"):
        await person.press(words(person, side))
        before = len(await world.events(case_id))
        await person.send(words(person, key))
        assert was_told(person)
        assert len(await world.events(case_id)) == before
        assert words(person, "button.carry_on") in person.buttons  # asked again, way back too
        await person.press(words(person, "button.carry_on"))
    assert (await world.case(case_id)).state == "apologise"


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_name_of_new_customer_typed_at_the_search_is_not_a_name_searched(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await person.send("/new")
    await person.send(words(person, "button.new_customer"))
    assert was_told(person)
    assert words(person, "button.new_customer") in person.buttons


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_the_name_of_nothing_to_add_typed_by_a_supervisor_is_no_comment_sent(
    world: World, locale: str
) -> None:
    staff, supervisor = await staff_and_supervisor(world, locale)
    case_id = await asking_approval(staff)
    await supervisor.press(label(supervisor, "Approve"))
    await supervisor.send(words(supervisor, "button.no_comment"))
    assert was_told(supervisor)
    comments = [e for e in await world.events(case_id) if e.kind == "approval_comment"]
    assert not comments
    assert not any(words(supervisor, "button.no_comment") in m.text for m in staff.messages[-3:])
