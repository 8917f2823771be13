"""An office on the in-memory unit of work, with Lan and Hoa (staff) and Minh (supervisor)."""

from __future__ import annotations

import pytest

from tests.conftest import Clock
from tests.usecases.office import HOA, LAN, MINH, Office, Person


@pytest.fixture
async def office(clock: Clock) -> Office:
    office = Office(clock)
    await office.register(LAN, "Lan")
    await office.register(HOA, "Hòa")
    await office.register(MINH, "Minh", "supervisor")
    return office


@pytest.fixture
def lan(office: Office) -> Person:
    return Person(office, LAN)


@pytest.fixture
def hoa(office: Office) -> Person:
    return Person(office, HOA)


@pytest.fixture
def minh(office: Office) -> Person:
    return Person(office, MINH)
