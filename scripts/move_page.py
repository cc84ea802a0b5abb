#!/usr/bin/env python3
"""Rename or move a page without breaking a single published link.

    .venv/bin/python -m scripts.move_page basics/strengths.md basics/llm-strengths.md
    (paths are relative to docs/; a leading ``docs/`` is accepted too)

In one step, all or nothing:

* moves the file, and rewrites its own relative links if it changes folder;
* sets its ``id`` to the new ``<section>-<slug>`` and replaces the old id in every
  other page's ``related:``;
* rewrites every relative Markdown link to the old file in docs/ (``#anchors`` kept)
  and ``page:`` values in docs/data/*.yml;
* updates the page's line in the ``nav:`` of mkdocs.yml;
* adds ``old.md: new.md`` to the redirects plugin's ``redirect_maps`` in mkdocs.yml,
  so the old URL (and every ``#anchor`` on it) keeps working; redirects that pointed
  at the old file now point at the new one (no chains);
* registers the new URLs in docs/data/urls.yml; the old ones stay registered.

In mkdocs.yml only the page's nav line changes, as a one-line text edit (the file has
an ``!ENV`` tag and comments that matter: it is never re-serialised). Drafts (``status: draft``) were never published, so they move
without a redirect. ``--dry-run`` prints what would change and writes nothing.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from macros.data.config import parse_config
from macros.data.frontmatter import SLUG, expected_id, is_question_page, read_front_matter
from macros.data.redirects import load_redirects, with_move, write_redirects
from macros.data.urls import REGISTRY, load_registry, page_of, render_registry, src_to_url
from macros.tex.mathscan import fenced_blocks, front_matter_length

ROOT = Path(__file__).resolve().parent.parent


class MoveError(Exception):
    """The move cannot be done as asked; nothing has been written."""


# ── Paths and links ────────────────────────────────────────────────────────


def docs_path(arg: str) -> str:
    """``docs/basics/x.md`` or ``./basics/x.md`` → ``basics/x.md``."""
    p = posixpath.normpath(arg.replace("\\", "/"))
    if p.startswith("docs/"):
        p = p[len("docs/") :]
    if p.startswith(("../", "/")) or p == "..":
        raise MoveError(f"{arg}: give a path inside docs/, like basics/strengths.md")
    if not p.endswith(".md"):
        raise MoveError(f"{arg}: not a Markdown page (.md)")
    return p


# An inline code span (left alone), an inline link/image target, or a reference definition.
_LINK = re.compile(
    r"(?P<code>`+)[^`]*?(?P=code)"
    r"|(?P<inline>\]\(\s*)(?P<target>[^)\s]+|<[^>\n]+>)"
    r"|(?P<refdef>^[ ]{0,3}\[[^\]\n]+\]:[ \t]*)(?P<reftarget>\S+)",
    re.M,
)


def _rewrite_target(target: str, page_before: str, page_after: str, old: str, new: str) -> str:
    """The link target as it must read from ``page_after``, if it pointed at ``old`` (or the page moved)."""
    bracketed = target.startswith("<") and target.endswith(">")
    raw = target[1:-1] if bracketed else target
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^//|^/|^#", raw):
        return target  # external, absolute, or on the same page
    cut = min((i for i in (raw.find("#"), raw.find("?")) if i >= 0), default=len(raw))
    path, suffix = raw[:cut], raw[cut:]
    if not path:
        return target
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_before), unquote(path)))
    if resolved.startswith("../") or resolved == "..":
        return target  # outside docs/
    moved_target = new if resolved == old else resolved
    if moved_target == resolved and posixpath.dirname(page_after) == posixpath.dirname(page_before):
        return target  # neither the target nor the linking page's folder changed
    rel = posixpath.relpath(moved_target, posixpath.dirname(page_after) or ".")
    out = rel + suffix
    return f"<{out}>" if bracketed else out


def rewrite_links(text: str, page_before: str, page_after: str, old: str, new: str) -> tuple[str, int]:
    """Rewrite relative links to ``old`` in a page (and all its links if the page itself moves folder)."""
    out, count, pos = [], 0, 0
    blocks = fenced_blocks(text)
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        if any(a <= start < b for a, b in blocks):  # code is shown as written
            out.append(line)
            continue

        def replace(m: re.Match[str]) -> str:
            nonlocal count
            if m.group("code"):
                return m.group(0)
            prefix, target = (
                (m.group("inline"), m.group("target"))
                if m.group("inline")
                else (m.group("refdef"), m.group("reftarget"))
            )
            new_target = _rewrite_target(target, page_before, page_after, old, new)
            if new_target != target:
                count += 1
            return prefix + new_target

        out.append(_LINK.sub(replace, line))
    return "".join(out), count


# ── Front matter ───────────────────────────────────────────────────────────


def _id_pattern(page_id: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(page_id)}(?![\w-])")


def set_id(text: str, old_id: str, new_id: str) -> str:
    n = front_matter_length(text)
    head, count = re.subn(rf"^id:[ \t]*['\"]?{re.escape(old_id)}['\"]?[ \t]*$", f"id: {new_id}", text[:n], flags=re.M)
    if count != 1:
        raise MoveError(f"could not find `id: {old_id}` in the page's front matter")
    return head + text[n:]


def replace_related(text: str, old_id: str, new_id: str) -> tuple[str, int]:
    """Replace ``old_id`` in the front matter field ``related`` (flow or block list)."""
    n = front_matter_length(text)
    lines = text[:n].splitlines(keepends=True)
    count, in_related = 0, False
    for i, line in enumerate(lines):
        if re.match(r"^related:", line):
            in_related = True
        elif not re.match(r"^[ \t-]", line) or line.startswith("---"):
            in_related = False
        if in_related:
            lines[i], k = _id_pattern(old_id).subn(new_id, line)
            count += k
    return "".join(lines) + text[n:], count


def replace_data_paths(text: str, old: str, new: str) -> tuple[str, int]:
    """``page: basics/old.md`` → ``page: basics/new.md`` in a data file (whole YAML values only)."""
    pattern = re.compile(rf"^(\s*(?:-\s+)?[\w-]+:\s+)(['\"]?){re.escape(old)}\2(\s*(?:#.*)?)$", re.M)
    return pattern.subn(lambda m: f"{m.group(1)}{m.group(2)}{new}{m.group(2)}{m.group(3)}", text)


# ── mkdocs.yml (text edits) ────────────────────────────────────────────────


def update_nav(config: str, old: str, new: str) -> tuple[str, int]:
    pattern = re.compile(rf"^(\s*-\s+(?:.+?:\s+)?)(['\"]?){re.escape(old)}\2(\s*(?:#.*)?)$", re.M)
    return pattern.subn(lambda m: f"{m.group(1)}{m.group(2)}{new}{m.group(2)}{m.group(3)}", config)


def _split_fragment(value: str) -> tuple[str, str]:
    path, sep, frag = value.partition("#")
    return path, sep + frag


# ── The move ───────────────────────────────────────────────────────────────


@dataclass
class Plan:
    """Everything a move changes, computed before anything is written."""

    old: str
    new: str
    writes: dict[Path, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def plan_move(project: Path, old_arg: str, new_arg: str) -> Plan:
    docs = project / "docs"
    old, new = docs_path(old_arg), docs_path(new_arg)
    plan = Plan(old, new)
    if old == new:
        raise MoveError("OLD and NEW are the same page")
    if not (docs / old).is_file():
        raise MoveError(f"docs/{old} does not exist")
    if (docs / new).exists():
        raise MoveError(f"docs/{new} already exists")
    new_name = posixpath.basename(new)[: -len(".md")]
    if new_name != "index" and not re.match(SLUG, new_name):
        raise MoveError(f"{new}: the file name must be lowercase ASCII letters, digits and single hyphens")
    if any(not re.match(SLUG, part) for part in posixpath.dirname(new).split("/") if part):
        raise MoveError(f"{new}: folder names must be lowercase ASCII letters, digits and single hyphens")
    if is_question_page(old) != is_question_page(new):
        raise MoveError(
            f"{old} → {new}: a question page must stay a question page (docs/<section>/<slug>.md) and vice versa"
        )

    config_path = project / "mkdocs.yml"
    config = config_path.read_text(encoding="utf-8")
    redirects = load_redirects(project)
    if new in redirects and _split_fragment(redirects[new])[0] != old:
        raise MoveError(
            f"{new} is the old address of another page (redirect to {redirects[new]}): URLs are never reused"
        )
    registry_path = project / REGISTRY
    registered = load_registry(registry_path).urls if registry_path.exists() else None
    old_url, new_url = src_to_url(old), src_to_url(new)
    if registered is not None and new_url in registered and new not in redirects:
        raise MoveError(f"{new_url} was published before (see {REGISTRY}): URLs are never reused")

    text = (docs / old).read_text(encoding="utf-8")
    meta = read_front_matter(text, f"docs/{old}").data or {}
    draft = meta.get("status") == "draft"
    old_id = str(meta.get("id", "")) or None
    new_id = expected_id(new) if old_id else None
    if new_id:
        for path in docs.rglob("*.md"):
            other = read_front_matter(path.read_text(encoding="utf-8"), str(path)).data or {}
            if path != docs / old and other.get("id") == new_id:
                raise MoveError(f"id '{new_id}' is already used by docs/{path.relative_to(docs).as_posix()}")

    # The page itself: id, and its links if it changes folder (or links to itself).
    moved, n = rewrite_links(text, old, new, old, new)
    if old_id and new_id:
        moved = set_id(moved, old_id, new_id)
        plan.notes.append(f"id: {old_id} → {new_id}")
    if n:
        plan.notes.append(f"docs/{new}: {n} link(s) of the moved page rewritten")
    plan.writes[docs / new] = moved

    # Every other page: links to the old file, and `related:` ids.
    for path in sorted(docs.rglob("*.md")):
        src = path.relative_to(docs).as_posix()
        if src == old:
            continue
        before = path.read_text(encoding="utf-8")
        after, links = rewrite_links(before, src, src, old, new)
        related = 0
        if old_id and new_id:
            after, related = replace_related(after, old_id, new_id)
        if after != before:
            plan.writes[path] = after
            plan.notes.append(f"docs/{src}: {links} link(s), {related} related id(s) updated")

    # Data files that name pages (glossary `page:`).
    for path in sorted((docs / "data").glob("*.yml")):
        if path == registry_path:
            continue
        before = path.read_text(encoding="utf-8")
        after, k = replace_data_paths(before, old, new)
        if k:
            plan.writes[path] = after
            plan.notes.append(f"docs/data/{path.name}: {k} page path(s) updated")

    # mkdocs.yml: nav line, then the redirect.
    config, k = update_nav(config, old, new)
    plan.notes.append(
        f"mkdocs.yml nav: {k} entr{'y' if k == 1 else 'ies'} updated" if k else "mkdocs.yml nav: page not in the nav"
    )
    if draft:
        plan.notes.append("a draft was never published: no redirect, docs/data/urls.yml unchanged")
    else:
        config = write_redirects(config, with_move(redirects, old, new))
        plan.notes.append(f"mkdocs.yml redirect_maps: {old}: {new}")
    parse_config(config)  # the edits must leave valid YAML (raises, nothing written)
    plan.writes[config_path] = config

    # The registry: the old URLs stay; the new page gets the same URLs and anchors.
    if not draft and registered is not None:
        kept = [u for u in registered if page_of(u) == old_url]
        added = [new_url + u[len(old_url) :] for u in kept if new_url + u[len(old_url) :] not in registered]
        if kept:
            plan.writes[registry_path] = render_registry([*registered, *added])
            plan.notes.append(f"{REGISTRY}: {len(added)} new URL(s) registered; the {len(kept)} old ones stay")
        else:
            plan.notes.append(
                f"{REGISTRY}: {old_url} was not registered; run python -m scripts.url_registry update after a build"
            )
    return plan


def apply(plan: Plan, project: Path) -> None:
    docs = project / "docs"
    for path, text in plan.writes.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (docs / plan.old).unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Move or rename a page: file, id, related ids, links, nav, redirect, URL registry.",
        epilog="example: %(prog)s basics/strengths.md basics/llm-strengths.md",
    )
    parser.add_argument("old", help="current path under docs/, e.g. basics/strengths.md")
    parser.add_argument("new", help="new path under docs/, e.g. basics/llm-strengths.md")
    parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    args = parser.parse_args(argv)
    try:
        plan = plan_move(ROOT, args.old, args.new)
    except (MoveError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{'would move' if args.dry_run else 'moved'} docs/{plan.old} → docs/{plan.new}")
    for note in plan.notes:
        print(f"  {note}")
    if not args.dry_run:
        apply(plan, ROOT)
        print("Next: make test (the URL registry test builds the site and follows the redirect).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
