"""The domain stays free of Telegram and SQL; the Bot API stand-in stays out of the product.

Each family of screens in bot/render/ stands on the base alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
PRODUCT = ("bot", "flows", "storage")
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


def test_the_bot_api_stand_in_imports_nothing_of_the_product() -> None:
    files = sorted((ROOT / "standin").rglob("*.py"))
    assert files
    for path in files:
        assert not imported_modules(path) & set(PRODUCT), path


def test_only_console_mode_imports_the_bot_api_stand_in() -> None:
    files = [ROOT / "main.py", *(path for name in PRODUCT for path in (ROOT / name).rglob("*.py"))]
    importers = {
        path.relative_to(ROOT).as_posix() for path in files if "standin" in imported_modules(path)
    }
    assert importers == {"bot/console.py", "main.py"}  # main.py: when it starts console mode


def test_a_family_of_screens_derives_from_the_base_alone_and_imports_no_other() -> None:
    """What two families need is in bot/render/base.py: a call into a sibling fails mypy.

    Besides the base, a family may use the helpers: what fits (`sizes`), the buttons
    (`keyboards`), the PNG chart."""
    helpers = ("base", "sizes", "keyboards", "png_chart")
    shared = {f"bot.render.{name}" for name in helpers}
    modules = sorted((ROOT / "bot" / "render").glob("*.py"))
    families = [path for path in modules if path.stem not in ("__init__", *helpers)]
    assert families
    for path in families:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        used = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bot.render")
        }
        assert used <= shared, path
        classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
        assert classes, path
        for node in classes:
            assert [ast.unparse(base) for base in node.bases] == ["RenderBase"], path
