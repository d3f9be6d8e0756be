"""Who owns a name: every module exports only what it defines (no re-export chains), and no
module reaches into another's private names."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "spbe_tools"


def _modules() -> dict[str, ast.Module]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        dotted = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        out[dotted.removesuffix(".__init__")] = ast.parse(path.read_text(encoding="utf-8"))
    return out


def _exported(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                                for t in node.targets):
            return [ast.literal_eval(e) for e in node.value.elts]
    return []


def _imported_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            names |= {a.asname or a.name for a in node.names}
    return names


def test_a_module_exports_only_names_it_defines():
    chains = [f"{mod}.{name}" for mod, tree in _modules().items()
              for name in _exported(tree) if name in _imported_names(tree)]
    assert chains == []


def _private_reaches(mod: str, tree: ast.Module) -> list[str]:
    found = []
    aliases = {}  # local name -> spbe_tools module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("spbe_tools"):
            found += [f"{mod}: from {node.module} import {a.name}" for a in node.names
                      if a.name.startswith("_") and not a.name.startswith("__")
                      and node.module != mod]
            aliases.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
        elif isinstance(node, ast.Import):
            aliases.update({a.asname or a.name: a.name for a in node.names
                            if a.name.startswith("spbe_tools")})
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in aliases and node.attr.startswith("_")
                and not node.attr.startswith("__") and aliases[node.value.id] != mod):
            found.append(f"{mod}: {node.value.id}.{node.attr}")
    return found


def test_no_module_reaches_into_another_modules_private_names():
    reaches = [r for mod, tree in _modules().items() for r in _private_reaches(mod, tree)]
    assert reaches == []


def test_every_command_has_one_shape_register_and_run():
    import argparse
    import importlib
    import inspect

    from spbe_tools.cli import COMMANDS

    for name in COMMANDS:
        module = importlib.import_module(f"spbe_tools.commands.{name}")
        assert list(inspect.signature(module.register).parameters) == ["subparsers"], name
        assert list(inspect.signature(module.run).parameters) == ["args"], name
        parser = argparse.ArgumentParser()
        module.register(parser.add_subparsers())
        registered = {p.get_default("func") for p in parser._subparsers._group_actions[0]
                      .choices.values()}
        assert registered == {module.run}, name


def test_docstrings_say_what_a_module_does_without_step_or_issue_numbers():
    import re

    numbered = re.compile(r"\b(?:Step|[Ii]ssue) \d+")
    found = []
    for mod, tree in _modules().items():
        for node in [tree, *ast.walk(tree)]:
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef
                          | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node) or ""
                found += [f"{mod}.{getattr(node, 'name', '')}: {m.group()}"
                          for m in numbered.finditer(doc)]
    assert found == []
