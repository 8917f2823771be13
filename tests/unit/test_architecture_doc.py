"""docs/architecture.md stays true to the code: its layers, its update path, its modules."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
LAYERS = ("main", "bot", "storage", "flows")


def _blocks(kind: str) -> list[str]:
    return [b for b in re.findall(r"```mermaid\n(.*?)```", DOC, re.S) if b.startswith(kind)]


def _drawn_arrows() -> set[tuple[str, str]]:
    [picture] = _blocks("flowchart")
    return {(a, b) for a, b in re.findall(r"^\s*(\w+)(?:\[[^\]]*\])? --> (\w+)", picture, re.M)}


def _sources() -> dict[str, list[Path]]:
    found = {layer: sorted((ROOT / layer).rglob("*.py")) for layer in LAYERS if layer != "main"}
    found["main"] = [ROOT / "main.py"]
    return found


def _imported_layers(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names & set(LAYERS)


def test_the_layers_drawn_are_exactly_the_imports_between_the_packages() -> None:
    actual = {
        (layer, used)
        for layer, paths in _sources().items()
        for path in paths
        for used in _imported_layers(path)
        if used != layer
    }
    assert _drawn_arrows() == actual


def test_every_name_on_the_update_path_exists() -> None:
    [path] = _blocks("sequenceDiagram")
    names = set(re.findall(r"\b((?:bot|flows|storage)(?:\.\w+)+)", path))
    assert len(names) >= 8
    for name in sorted(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                target = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for attribute in parts[cut:]:
                assert hasattr(target, attribute), name
                target = getattr(target, attribute)
            break
        else:
            raise AssertionError(f"{name} names no module")


def test_every_module_is_in_the_table_and_every_entry_exists() -> None:
    table = [line for line in DOC.splitlines() if line.startswith("| `")]
    listed = {p for line in table for p in re.findall(r"`([\w./]+)`", line.split("|")[1])}
    for entry in listed:
        assert (ROOT / entry).exists(), f"{entry} is in the table but not in the code"
    folders = {entry for entry in listed if entry.endswith("/")}
    for paths in _sources().values():
        for path in paths:
            relative = path.relative_to(ROOT).as_posix()
            if path.name == "__init__.py" and path.parent.name in LAYERS:
                continue
            in_folder = any(relative.startswith(folder) for folder in folders)
            assert relative in listed or in_folder, f"{relative} is missing from the table"
