"""The project's own files agree: pyproject vs environment.yml, README vs .ci/run."""
from __future__ import annotations

import re
import tomllib

import yaml

from conftest import PROJECT_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    dev = project["optional-dependencies"]["dev"]
    pip_side = {_name(r): r for r in project["dependencies"] + dev}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda_side = {_name(d): d for d in env["dependencies"]
                  if isinstance(d, str) and _name(d) not in {"python", "pip"}}
    assert set(conda_side) == set(pip_side)
    for name, req in pip_side.items():  # the same lower bounds on both sides
        assert conda_side[name].replace(" ", "") == req.replace(" ", ""), name


def test_environment_yml_installs_the_pdf_and_fast_extras_with_the_same_bounds():
    extras = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    wanted = {_name(r): r for r in extras["pdf"] + extras["fast"]}
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    (pip,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    listed = {_name(r): r for r in pip if not r.startswith("-")}
    assert listed == wanted
    assert '".[dev,pdf,fast]"' in (PROJECT_ROOT / "Makefile").read_text()


def test_ci_runs_the_readme_test_command():
    readme = (PROJECT_ROOT / "README.md").read_text()
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    commands = re.findall(r"^\s*(make \w+)\s*$", readme, flags=re.MULTILINE)
    assert "make test" in commands
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)


def test_every_top_level_folder_is_mapped_in_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text()
    folders = {p.name for p in PROJECT_ROOT.iterdir()
               if p.is_dir() and not p.name.startswith(".") and p.name not in
               {"reports", "build", "dist"} and not p.name.endswith(".egg-info")
               and p.name != "__pycache__"}
    for folder in folders:
        assert f"`{folder}/`" in readme, folder
