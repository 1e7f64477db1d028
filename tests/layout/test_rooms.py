"""The package is the data flow: each room imports only the rooms below it, and each engine has one owner.

The rooms, bottom to top, are :data:`ROOMS` (docs/architecture.md draws the same table). Rooms on one floor are
peers and do not import each other. Read from the code's own import statements (``ast``), so a lazy import inside
a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ..conftest import REPO

PACKAGE = REPO / "ecosystem_graph"

#: floor -> rooms on it; a room is a sub-package or a top-level module of ecosystem_graph
ROOMS: dict[int, tuple[str, ...]] = {
    0: ("__init__", "config", "errors", "vocab"),
    1: ("syntax",),  # the one reading of a SPARQL request
    2: ("store",),
    3: ("sources",),
    4: ("gate", "reasoning", "search", "synthetic"),
    5: ("pipeline", "drafting"),
    6: ("views",),
    7: ("web",),
    8: ("cli",),
    9: ("__main__",),  # python -m ecosystem_graph
}
FLOOR = {room: floor for floor, rooms in ROOMS.items() for room in rooms}

#: third-party engines and the one room allowed to import each
OWNERS = {"pyoxigraph": {"store"}, "pyshacl": {"gate"}, "owlready2": {"reasoning"}, "fastapi": {"web"},
          "starlette": {"web"}, "typer": {"cli"}, "rich": {"cli"}, "uvicorn": {"cli", "web"}}


def room_of(module: str) -> str:
    """``ecosystem_graph.gate.shapes`` -> ``gate``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def module_name(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    return ".".join(parts[:-1] if is_package else parts), is_package


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in ``path``, relative ones resolved."""
    return imports_in(path.read_text(encoding="utf-8"), *module_name(path))


def imports_in(source: str, name: str, is_package: bool) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                here = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
            found.append((node.lineno, base))
            # `from . import x` names a module too
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names
                      if (PACKAGE.parent / (f"{base}.{alias.name}".replace(".", "/") + ".py")).exists()
                      or (PACKAGE.parent / f"{base}.{alias.name}".replace(".", "/")).is_dir()]
    return found


SOURCES = sorted(path for path in PACKAGE.rglob("*.py") if "vendor" not in path.parts)


def test_every_room_has_a_floor() -> None:
    rooms = {room_of(module_name(path)[0]) for path in SOURCES}
    assert rooms <= set(FLOOR), f"rooms without a floor in ROOMS: {sorted(rooms - set(FLOOR))}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_room_imports_only_the_rooms_below_it(path: Path) -> None:
    room = room_of(module_name(path)[0])
    wrong = []
    for line, module in imports(path):
        if module.startswith("ecosystem_graph."):
            target = room_of(module)
            if target != room and FLOOR[target] >= FLOOR[room]:
                wrong.append(f"line {line}: {room} (floor {FLOOR[room]}) imports {module} (floor {FLOOR[target]})")
        elif (top := module.split(".")[0]) in OWNERS and room not in OWNERS[top]:
            wrong.append(f"line {line}: {room} imports {top}, which only {sorted(OWNERS[top])} may")
    assert not wrong, "\n".join(wrong)


def test_the_reader_resolves_imports_as_python_does() -> None:
    """A store module reaching up into the web is seen as that, whether the import is relative or lazy."""
    source = "from ..web import create_app\nfrom . import base\ndef f():\n    from ..cli import main\n"
    modules = {module for _line, module in imports_in(source, "ecosystem_graph.store.probe", False)}
    assert {"ecosystem_graph.web", "ecosystem_graph.store.base", "ecosystem_graph.cli"} <= modules
    assert FLOOR[room_of("ecosystem_graph.web")] > FLOOR["store"] < FLOOR[room_of("ecosystem_graph.cli")]
