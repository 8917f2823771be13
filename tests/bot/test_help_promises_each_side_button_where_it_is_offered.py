"""/help says where each button beside a case's question works, and only there, in both
languages: it promised "go back a step" at every step, but only a complaint offers it.

Each side button the procedures offer (`Procedure.side_actions`) is named by its label in
the help: the ones every procedure offers in one sentence that names no procedure; the
others in a sentence that names exactly the procedures offering them, as theirs only.
"""

from __future__ import annotations

import re

import pytest

from flows.procedures import PROCEDURES
from standin.inprocess import Person
from tests.bot.conftest import World

pytestmark = pytest.mark.asyncio

#: Buttons that show only inside something begun (an incident written, a rung left): the
#: button that began it is what the help names.
INSIDE = {"drop_incident", "to_rung"}
NAMES = {
    "lan": {
        "complaint": "complaint",
        "problem_review": "problem review",
        "exit_interview": "exit interview",
        "check_in": "check-in",
    },
    "hoa": {
        "complaint": "khiếu nại",
        "problem_review": "đánh giá khách hàng khó",
        "exit_interview": "phỏng vấn",
        "check_in": "hỏi thăm",
    },
}
ONLY = {"lan": "only", "hoa": "chỉ"}


def offered_by() -> dict[str, set[str]]:
    """Each side button, and the procedures whose cards offer it."""
    where: dict[str, set[str]] = {}
    for kind, spec in PROCEDURES.items():
        for row in spec.side_actions:
            for action in row:
                if action not in INSIDE:
                    where.setdefault(action, set()).add(kind)
    return where


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_help_names_each_side_button_where_it_is_offered_and_nowhere_else(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await person.send("/help")
    promises = person.last_text.rsplit("\n\n", 1)[-1]
    sentences = [s for s in re.split(r"(?<=\.)\s+", promises) if s]
    locale = "en" if who == "lan" else "vi"
    everyone = set(PROCEDURES)
    for action, kinds in offered_by().items():
        label = world.services.scripts.get(locale, f"button.{action}")
        said = [s for s in sentences if label in s]
        assert len(said) == 1, (label, sentences)
        named = {k for k, name in NAMES[who].items() if name in said[0]}
        if kinds == everyone:
            assert not named, (label, said[0])
        else:
            assert named == kinds, (label, said[0])
            assert ONLY[who] in said[0], said[0]
