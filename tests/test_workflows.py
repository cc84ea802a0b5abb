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

GITHUB = ROOT / ".github"
WORKFLOWS = sorted([*(GITHUB / "workflows").glob("*.yml"), *(GITHUB / "workflows").glob("*.yaml")])
DEFAULT_TEST_COMMAND = "make test"
SHA_PIN = re.compile(r"^[0-9a-f]{40}$")
EXACT_TAG = re.compile(r"^v\d+\.\d+\.\d+$")
# `uses: owner/repo@<sha> # vX.Y.Z` on one line (the comment is what Dependabot keeps up to date).
SHA_LINE = re.compile(
    r"uses:\s*['\"]?(?P<action>[^@\s'\"]+)@(?P<ref>[0-9a-f]{40})['\"]?\s+#\s*(?P<tag>v\d+\.\d+\.\d+)\b"
)


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name}: not a mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` block. YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True."""
    on = workflow.get("on", workflow.get(True))
    assert on is not None, "workflow has no `on:` triggers"
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return dict(on)


def steps_of(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_lines(workflow: dict[str, Any]) -> list[str]:
    """Every shell line the workflow runs (multi-line `run:` blocks split, comments dropped)."""
    lines = []
    for step in steps_of(workflow):
        for line in str(step.get("run", "")).splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def readme_test_command() -> str:
    """The test command from README.md's fenced code blocks (`make test` if there is no README)."""
    readme = ROOT / "README.md"
    if not readme.exists():
        return DEFAULT_TEST_COMMAND
    text = readme.read_text(encoding="utf-8")
    commands = []
    for start, end in fenced_blocks(text):
        for line in text[start:end].splitlines()[1:]:  # the opening fence line is not a command
            line = re.sub(r"^\s*\$\s+", "", line).split(" #", 1)[0].strip()
            if re.match(r"^make\s+(\S+\s+)*test\b", line):
                commands.append(line)
    assert commands, "README.md documents no `make … test` command in a fenced code block"
    return commands[0]


def _uses(workflow: dict[str, Any]) -> list[str]:
    found = [str(job["uses"]) for job in workflow["jobs"].values() if "uses" in job]  # reusable workflows
    return found + [str(step["uses"]) for step in steps_of(workflow) if "uses" in step]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for uses in _uses(load(path)):
        if uses.startswith("./"):
            continue  # an action in this repository
        if uses.startswith("docker://"):
            assert "@sha256:" in uses, f"{path.name}: {uses} is not pinned to a digest"
            continue
        action, _, ref = uses.partition("@")
        assert ref, f"{path.name}: {uses} has no version"
        assert SHA_PIN.match(ref) or EXACT_TAG.match(ref), (
            f"{path.name}: {uses} must be pinned to a full commit SHA or an exact vX.Y.Z tag, not a moving ref"
        )
        if SHA_PIN.match(ref):
            assert any(m.group("action") == action and m.group("ref") == ref for m in SHA_LINE.finditer(text)), (
                f"{path.name}: {uses} needs its release tag in a comment on the same line (`# vX.Y.Z`)"
            )


def test_pr_workflow_runs_the_readme_test_command() -> None:
    command = readme_test_command()
    pr_workflows = [p for p in WORKFLOWS if "pull_request" in triggers(load(p))]
    assert pr_workflows, "no workflow runs on pull_request"
    for path in pr_workflows:
        wf = load(path)
        assert command in run_lines(wf), f"{path.name} must run the README's test command `{command}`"


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
    config = load(ROOT / ".pre-commit-config.yaml")
    pins = {}
    for repo in config["repos"]:
        if repo["repo"] not in ("local", "meta"):
            assert re.match(r"^v?\d+\.\d+\.\d+$", str(repo.get("rev", ""))) or SHA_PIN.match(
                str(repo.get("rev", ""))
            ), f"{repo['repo']}: rev must be an exact version"
        for hook in repo["hooks"]:
            for dep in hook.get("additional_dependencies", []):
                name, sep, version = dep.partition("==")
                assert sep and re.match(r"^\d+(\.\d+)+$", version), f"{hook['id']}: {dep} is not pinned exactly"
                pins[name.lower()] = version
    locked = re.search(r"^ruff==(\S+)", (ROOT / "requirements" / "test.txt").read_text(encoding="utf-8"), re.M)
    assert locked and pins.get("ruff") == locked.group(1), (
        "ruff in .pre-commit-config.yaml must match requirements/test.txt"
    )
    assert "autocorrect-py" in pins, "the CJK text lint (autocorrect) is missing"
