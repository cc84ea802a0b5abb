"""Rename or move a page without breaking a single published link.

    .venv/bin/python -m scripts.move_page basics/strengths.md basics/llm-strengths.md [--dry-run]
    (paths under docs/; a leading ``docs/`` is accepted too)

All or nothing: moves the file (and its relative links); sets its ``id`` to the new
``<section>-<slug>``, also in other pages' ``related:``; rewrites relative links to it
(``#anchors`` kept), path values in docs/data/*.yml and its ``nav:`` line (text edits);
adds ``old.md: new.md`` to redirect_maps in mkdocs.yml, so the old URL and its anchors
keep working; registers the new URLs in docs/data/urls.yml, keeping the old ones. A draft
was never published: no redirect. ``--dry-run`` writes nothing.
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
from macros.tex.mathscan import code_spans, front_matter_length
from scripts.project import ROOT


class MoveError(Exception):
    """The move cannot be done as asked; nothing has been written."""


# An inline link or image target, or a reference definition's.
LINK = re.compile(r"(\]\(\s*)([^)\s]+|<[^>\n]+>)|(^[ ]{0,3}\[[^\]\n]+\]:[ \t]*)(\S+)", re.M)
RELATED = re.compile(r"^related:.*(?:\n[ \t-].*)*", re.M)  # the front-matter field, flow or block list


def docs_path(arg: str) -> str:
    """``docs/basics/x.md`` or ``./basics/x.md`` → ``basics/x.md``."""
    path = posixpath.normpath(arg.replace("\\", "/")).removeprefix("docs/")
    if path.startswith(("../", "/")) or path == ".." or not path.endswith(".md"):
        raise MoveError(f"{arg}: give a Markdown page inside docs/, like basics/strengths.md")
    return path


def rewrite_target(target: str, page_before: str, page_after: str, old: str, new: str) -> str:
    """The link target as it must read from ``page_after``, if it pointed at ``old`` (or the page moved)."""
    bracketed = target.startswith("<") and target.endswith(">")
    raw = target[1:-1] if bracketed else target
    path, suffix = re.match(r"([^#?]*)(.*)", raw).groups()
    if not path or re.match(r"[a-zA-Z][a-zA-Z0-9+.\-]*:|/", path):
        return target  # on the same page, external or absolute
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page_before), unquote(path)))
    moved = new if resolved == old else resolved
    if resolved.split("/")[0] == ".." or (
        moved == resolved and posixpath.dirname(page_after) == posixpath.dirname(page_before)
    ):
        return target  # outside docs/, or neither the target nor the linking page's folder changed
    out = posixpath.relpath(moved, posixpath.dirname(page_after) or ".") + suffix
    return f"<{out}>" if bracketed else out


def rewrite_links(text: str, page_before: str, page_after: str, old: str, new: str) -> str:
    """Relative links to ``old`` rewritten (and all links if the page itself changes folder); code is left as written."""
    spans = code_spans(text)

    def replace(m: re.Match[str]) -> str:
        if any(a <= m.start() < b for a, b in spans):
            return m.group(0)
        prefix, target = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return prefix + rewrite_target(target, page_before, page_after, old, new)

    return LINK.sub(replace, text)


def replace_path(text: str, old: str, new: str) -> str:
    """A whole YAML value ``old`` (a nav entry, ``page: old``) replaced by ``new``, quotes and comments kept."""
    pattern = re.compile(rf"^(\s*(?:-\s+)?(?:[^\n#]+?:\s+)?)(['\"]?){re.escape(old)}\2(\s*(?:#.*)?)$", re.M)
    return pattern.sub(lambda m: f"{m.group(1)}{m.group(2)}{new}{m.group(2)}{m.group(3)}", text)


@dataclass
class Plan:
    """Everything a move changes, computed before anything is written."""

    old: str
    new: str
    writes: dict[Path, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def plan_move(project: Path, old_arg: str, new_arg: str) -> Plan:
    docs, config_path, registry_path = project / "docs", project / "mkdocs.yml", project / REGISTRY
    old, new = docs_path(old_arg), docs_path(new_arg)
    plan = Plan(old, new)
    if old == new:
        raise MoveError("OLD and NEW are the same page")
    if not (docs / old).is_file():
        raise MoveError(f"docs/{old} does not exist")
    if (docs / new).exists():
        raise MoveError(f"docs/{new} already exists")
    if any(not re.match(SLUG, part) for part in new.removesuffix(".md").removesuffix("/index").split("/")):
        raise MoveError(f"{new}: folder and file names must be lowercase ASCII letters, digits and single hyphens")
    if is_question_page(old) != is_question_page(new):
        raise MoveError(
            f"{old} → {new}: a question page must stay a question page (docs/<section>/<slug>.md), and vice versa"
        )
    redirects, registered = load_redirects(project), load_registry(registry_path).urls
    old_url, new_url = src_to_url(old), src_to_url(new)
    if new in redirects and redirects[new].partition("#")[0] != old:
        raise MoveError(
            f"{new} is the old address of another page (redirect to {redirects[new]}): URLs are never reused"
        )
    if new_url in registered and new not in redirects:
        raise MoveError(f"{new_url} was published before (see {REGISTRY}): URLs are never reused")

    text = (docs / old).read_text(encoding="utf-8")
    meta = read_front_matter(text, f"docs/{old}").data or {}
    old_id, new_id = str(meta.get("id") or ""), expected_id(new)
    moved = rewrite_links(text, old, new, old, new)
    if old_id:
        n = front_matter_length(moved)
        head, count = re.subn(
            rf"^id:[ \t]*['\"]?{re.escape(old_id)}['\"]?[ \t]*$", f"id: {new_id}", moved[:n], flags=re.M
        )
        if count != 1:
            raise MoveError(f"could not find `id: {old_id}` in the page's front matter")
        moved = head + moved[n:]
        plan.notes.append(f"id: {old_id} → {new_id}")
    plan.writes[docs / new] = moved

    word = re.compile(rf"(?<![\w-]){re.escape(old_id)}(?![\w-])")
    for path in sorted(docs.rglob("*.md")):
        src, before = path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8")
        if src != old:
            after = rewrite_links(before, src, src, old, new)
            if old_id:  # `related:` ids
                n = front_matter_length(after)
                after = RELATED.sub(lambda m: word.sub(new_id, m.group(0)), after[:n]) + after[n:]
            if after != before:
                plan.writes[path] = after
                plan.notes.append(f"docs/{src}: links or related ids updated")
    for path in sorted((docs / "data").glob("*.yml")):
        before = path.read_text(encoding="utf-8")
        if path != registry_path and replace_path(before, old, new) != before:
            plan.writes[path] = replace_path(before, old, new)
            plan.notes.append(f"docs/data/{path.name}: page path updated")

    config = replace_path(config_path.read_text(encoding="utf-8"), old, new)
    plan.notes.append("mkdocs.yml: nav updated" if f" {new}" in config else "mkdocs.yml: the page is not in the nav")
    if meta.get("status") == "draft":
        plan.notes.append("a draft was never published: no redirect, docs/data/urls.yml unchanged")
    else:
        config = write_redirects(config, with_move(redirects, old, new))
        plan.notes.append(f"mkdocs.yml redirect_maps: {old}: {new}")
        kept = [url for url in registered if page_of(url) == old_url]
        added = [new_url + url[len(old_url) :] for url in kept]
        plan.writes[registry_path] = render_registry([*registered, *added])
        plan.notes.append(f"{REGISTRY}: {len(added)} new URL(s) registered; the {len(kept)} old ones stay")
    parse_config(config)  # the edits must leave valid YAML (raises, nothing written)
    plan.writes[config_path] = config
    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
    print("".join(f"  {note}\n" for note in plan.notes), end="")
    if not args.dry_run:
        for path, text in plan.writes.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (ROOT / "docs" / plan.old).unlink()
        print("Next: make test (the URL registry test builds the site and follows the redirect).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
