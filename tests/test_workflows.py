"""The GitHub workflows and Dependabot config: well-formed, pinned, and running the README's commands.

Reads the YAML files only; nothing is run and nothing is fetched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

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
    for block in re.findall(r"^(```|~~~)[^\n]*\n(.*?)^\1", text, re.M | re.S):
        for line in block[1].splitlines():
            line = re.sub(r"^\s*\$\s+", "", line).split(" #", 1)[0].strip()
            if re.match(r"^make\s+(\S+\s+)*test\b", line):
                commands.append(line)
    assert commands, "README.md documents no `make … test` command in a fenced code block"
    return commands[0]


def test_there_are_workflows() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"pr.yml", "deploy.yml", "external-links.yml"} <= names, names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_shape(path: Path) -> None:
    wf = load(path)
    assert wf.get("name"), f"{path.name}: no name"
    assert triggers(wf), f"{path.name}: no triggers"
    jobs = wf.get("jobs")
    assert isinstance(jobs, dict) and jobs, f"{path.name}: no jobs"
    for job_id, job in jobs.items():
        assert job.get("runs-on"), f"{path.name}: job {job_id} has no runs-on"
        steps = job.get("steps")
        assert isinstance(steps, list) and steps, f"{path.name}: job {job_id} has no steps"
        for i, step in enumerate(steps):
            assert ("uses" in step) != ("run" in step), f"{path.name}: {job_id} step {i} needs exactly one of uses/run"


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


def test_pin_checker_rejects_moving_refs() -> None:
    for ref in ("v4", "v4.2", "main", "11bd719"):
        assert not (SHA_PIN.match(ref) or EXACT_TAG.match(ref)), ref
    assert SHA_PIN.match("11bd71901bbe5b1630ceea73d27597364c9af683")
    assert EXACT_TAG.match("v4.2.2")


def test_yaml_on_key_is_read_as_true() -> None:
    """Guard for `triggers`: PyYAML really does turn `on:` into True."""
    assert triggers(yaml.safe_load("on:\n  push:\n")) == {"push": None}
    assert triggers(yaml.safe_load("on: [push, pull_request]\n")) == {"push": None, "pull_request": None}
    assert triggers(yaml.safe_load("'on': workflow_dispatch\n")) == {"workflow_dispatch": None}


def test_pr_workflow_runs_the_readme_test_command() -> None:
    command = readme_test_command()
    pr_workflows = [p for p in WORKFLOWS if "pull_request" in triggers(load(p))]
    assert pr_workflows, "no workflow runs on pull_request"
    for path in pr_workflows:
        wf = load(path)
        assert command in run_lines(wf), f"{path.name} must run the README's test command `{command}`"
        versions = {
            str(step.get("with", {}).get(key))
            for step in steps_of(wf)
            for key in ("python-version", "node-version")
            if key in step.get("with", {})
        }
        assert {"3.11", "20"} <= versions, f"{path.name}: Python 3.11 and Node 20 expected, found {versions}"


def test_ci_entry_point_runs_the_same_command() -> None:
    ci = ROOT / ".ci" / "run"
    if ci.exists():
        assert readme_test_command() in ci.read_text(encoding="utf-8")


def test_deploy_workflow_publishes_site_with_pages_actions() -> None:
    wf = load(GITHUB / "workflows" / "deploy.yml")
    on = triggers(wf)
    assert "push" in on and on["push"]["branches"] == ["main"]
    assert "pull_request" not in on
    assert "make build" in run_lines(wf)
    perms = {**wf.get("permissions", {}), **wf["jobs"]["deploy"].get("permissions", {})}
    assert perms.get("pages") == "write" and perms.get("id-token") == "write", perms
    assert wf.get("concurrency", {}).get("group"), "deploy needs a concurrency group"
    actions = {u.split("@")[0] for u in _uses(wf)}
    assert {"actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"} <= actions
    upload = next(s for s in steps_of(wf) if str(s.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"].rstrip("/") == "site"
    assert wf["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_external_links_is_scheduled_opt_in_and_non_blocking() -> None:
    wf = load(GITHUB / "workflows" / "external-links.yml")
    on = triggers(wf)
    assert set(on) == {"schedule", "workflow_dispatch"}, "the network check must never gate PRs or pushes"
    assert "make links-external" in run_lines(wf)
    job = next(iter(wf["jobs"].values()))
    check = next(s for s in job["steps"] if "make links-external" in str(s.get("run", "")))
    assert job.get("continue-on-error") is True or check.get("continue-on-error") is True
    cache = next(s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/cache"))
    assert cache["with"]["path"] == ".cache/external-links"
    # No other workflow runs the network check.
    for path in WORKFLOWS:
        if path.name != "external-links.yml":
            assert not any("links-external" in line for line in run_lines(load(path))), path.name


def test_dependabot_covers_pip_npm_and_actions() -> None:
    config = load(GITHUB / "dependabot.yml")
    assert config["version"] == 2
    updates = {u["package-ecosystem"]: u for u in config["updates"]}
    assert {"pip", "npm", "github-actions"} <= set(updates), set(updates)
    for ecosystem in ("pip", "npm", "github-actions"):
        update = updates[ecosystem]
        assert update["directory"] == "/"
        assert update["schedule"]["interval"] == "weekly"
        groups = update.get("groups", {})
        assert any({"minor", "patch"} <= set(g.get("update-types", [])) for g in groups.values()), ecosystem


def test_pull_request_template_has_the_checklist() -> None:
    template = (GITHUB / "pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 6
    for needle in ("make test", "scripts/move_page.py", "bibliography.yml"):
        assert needle in template, needle


def test_pre_commit_hooks_are_pinned_and_ruff_matches_requirements() -> None:
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
    required = dict(
        line.split("==", 1) for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").split() if "==" in line
    )
    assert pins.get("ruff") == required.get("ruff"), "ruff in .pre-commit-config.yaml must match requirements.txt"
    assert "autocorrect-py" in pins, "the CJK text lint (autocorrect) is missing"
