"""The domain stays free of Telegram and SQL."""

from __future__ import annotations

import ast
from pathlib import Path

FLOWS = Path(__file__).resolve().parents[2] / "flows"
FORBIDDEN = ("telegram", "sqlalchemy", "aiosqlite", "asyncpg", "bot", "storage")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_flows_imports_neither_telegram_nor_sqlalchemy_nor_the_adapters() -> None:
    files = sorted(FLOWS.rglob("*.py"))
    assert files
    for path in files:
        assert not imported_modules(path) & set(FORBIDDEN), path
