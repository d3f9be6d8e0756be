"""The data flows one way (issue 15, item 7): every module of spbe_tools imports only from
its own stage, an earlier one or the foundations, as the stage table of
docs/architecture.md gives them. Imports inside functions count too."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "spbe_tools"


def _stages() -> dict[str, int]:
    """Module (or subpackage) -> its stage's position in the table (foundations 0)."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = doc.split("## Stages", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    out: dict[str, int] = {}
    for position, row in enumerate(rows):
        for name in re.findall(r"`([a-z_]+)`", row.split("|")[2]):
            assert name not in out, f"{name} is listed twice"
            out[name] = position
    return out


def _units() -> dict[str, list[Path]]:
    """Each top-level module, and each subpackage as one unit, with its files."""
    units: dict[str, list[Path]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).parts
        name = rel[0] if len(rel) > 1 else path.stem
        units.setdefault(name, []).append(path)
    units.pop("__init__", None)
    return units


def _imported(path: Path) -> set[str]:
    """The spbe_tools units a file imports (``from spbe_tools import x`` names unit x)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] != "spbe_tools":
                continue
            out |= {parts[1]} if len(parts) > 1 else {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names
                    if a.name.startswith("spbe_tools.")}
    return out - {"__version__"}


def test_every_module_is_in_the_stage_table_of_the_architecture_doc():
    assert set(_units()) == set(_stages())


def test_no_module_imports_from_a_later_stage():
    stages = _stages()
    late = []
    for unit, files in _units().items():
        for path in files:
            for target in _imported(path) - {unit}:
                if stages[target] > stages[unit]:
                    late.append(f"{path.relative_to(ROOT)} imports {target}")
    assert late == []


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    code = "def f():\n    from spbe_tools.brief import write_pack\n"
    path = tmp_path / "x.py"
    path.write_text(code)
    assert _imported(path) == {"brief"}


#: Issue 15: a module longer than this says at its top why it is one module.
LONG_MODULE_LINES = 400


def test_a_long_module_says_at_its_top_why_it_is_one_module():
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").count("\n")
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > LONG_MODULE_LINES and "Why one module" not in doc:
            unexplained.append(f"{path.relative_to(ROOT)} ({lines} lines)")
    assert unexplained == []


def test_calamine_reads_through_the_public_reading_base_of_cells():
    from spbe_tools import cells

    path = PACKAGE / "calamine_cells.py"
    used = {node.attr for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
            and node.value.id == "cells"}
    assert used and used <= set(cells.__all__)
