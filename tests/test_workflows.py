"""The GitHub workflows: every action pinned, and CI running exactly the README's test command.

Reads the YAML files only; nothing is run and nothing is fetched.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from macros.tex.mathscan import fenced_blocks
from tests.helpers import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
SHA = re.compile(r"[0-9a-f]{40}")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def steps_of(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def readme_test_command() -> str:
    """The first `make … test` line in README.md's fenced code blocks."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for start, end in fenced_blocks(text):
        for line in text[start:end].splitlines()[1:]:  # the opening fence line is not a command
            line = re.sub(r"^\s*\$\s+", "", line).split(" #", 1)[0].strip()
            if re.match(r"^make\s+(\S+\s+)*test\b", line):
                return line
    raise AssertionError("README.md documents no `make … test` command in a fenced code block")


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned(path: Path) -> None:
    text, workflow = path.read_text(encoding="utf-8"), load(path)
    jobs = workflow["jobs"].values()  # a job's `uses` is a reusable workflow
    for uses in [str(x["uses"]) for x in [*jobs, *steps_of(workflow)] if "uses" in x]:
        if uses.startswith("./"):
            continue  # an action in this repository
        if uses.startswith("docker://"):
            assert "@sha256:" in uses, f"{path.name}: {uses} is not pinned to a digest"
        elif SHA.fullmatch(uses.partition("@")[2]):
            # `uses: owner/repo@<sha> # vX.Y.Z` on one line: the comment is what Dependabot keeps up to date.
            assert re.search(rf"uses:\s*['\"]?{re.escape(uses)}['\"]?\s+#\s*v\d+\.\d+\.\d+\b", text), (
                f"{path.name}: {uses} needs its release tag in a comment on the same line (`# vX.Y.Z`)"
            )
        else:
            assert re.fullmatch(r"v\d+\.\d+\.\d+", uses.partition("@")[2]), (
                f"{path.name}: {uses} must be pinned to a full commit SHA or an exact vX.Y.Z tag, not a moving ref"
            )


def test_pr_workflow_runs_the_readme_test_command() -> None:
    command = readme_test_command()
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True; `on:` may be a string, list or mapping.
    pr_workflows = [p for p in WORKFLOWS if "pull_request" in next(v for k, v in load(p).items() if k in (True, "on"))]
    assert pr_workflows, "no workflow runs on pull_request"
    for path in pr_workflows:
        lines = [
            line.split(" #", 1)[0].strip() for s in steps_of(load(path)) for line in str(s.get("run", "")).splitlines()
        ]
        assert command in lines, f"{path.name} must run the README's test command `{command}`"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_take_versions_from_the_project(path: Path) -> None:
    """Python as the Makefile names it; Node from .nvmrc, which must satisfy package.json's engines."""
    python = re.search(r"^PYTHON \?= python(\S+)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert python, "Makefile: no `PYTHON ?= pythonX.Y` default"
    for step in steps_of(load(path)):
        given = step.get("with", {})
        if "python-version" in given:
            assert str(given["python-version"]) == python.group(1), f"{path.name}: Python must be {python.group(1)}"
        if "setup-node" in str(step.get("uses", "")):
            assert given.get("node-version-file") == ".nvmrc", f"{path.name}: take Node's version from .nvmrc"
    nvmrc = int((ROOT / ".nvmrc").read_text(encoding="utf-8").strip().lstrip("v").split(".")[0])
    engines = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["engines"]["node"]
    lowest = re.fullmatch(r">=\s*(\d+)", engines)
    assert lowest, f"package.json engines.node is {engines!r}: give a lower bound only (>=N), no ceiling"
    assert nvmrc >= int(lowest.group(1)), f".nvmrc names Node {nvmrc}, below package.json's {engines}"


def test_ci_entry_point_runs_the_same_command() -> None:
    ci = ROOT / ".ci" / "run"
    if ci.exists():
        assert readme_test_command() in ci.read_text(encoding="utf-8")


def test_pre_commit_hooks_are_pinned_and_ruff_matches_the_lock() -> None:
    pins = {}
    for repo in load(ROOT / ".pre-commit-config.yaml")["repos"]:
        rev = str(repo.get("rev", ""))
        assert repo["repo"] in ("local", "meta") or re.match(r"^v?\d+\.\d+\.\d+$", rev) or SHA.fullmatch(rev), (
            f"{repo['repo']}: rev must be an exact version"
        )
        for hook in repo["hooks"]:
            for dep in hook.get("additional_dependencies", []):
                name, sep, version = dep.partition("==")
                assert sep and re.match(r"^\d+(\.\d+)+$", version), f"{hook['id']}: {dep} is not pinned exactly"
                pins[name.lower()] = version
    locked = re.search(r"^ruff==(\S+)", (ROOT / "requirements" / "test.txt").read_text(encoding="utf-8"), re.M)
    assert locked and pins.get("ruff") == locked.group(1), "ruff in .pre-commit-config.yaml must match the lock"
    assert "autocorrect-py" in pins, "the CJK text lint (autocorrect) is missing"
