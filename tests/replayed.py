"""What a complaint gave, replayed from its timeline by migration 0010's own rules: the
oracle the tests hold `cases.compensation_given` (kept as offers are given) against."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

_BACKFILL = importlib.import_module("storage.migrations.versions.0010_compensation_given")

given_offers: Callable[[Iterable[tuple[str, str, Any]]], list[list[Any]]] = _BACKFILL.given_offers
