"""Prove that a change leaves the published site byte for byte as it was.

    python -m scripts.compare_builds            # last commit vs the working tree
    python -m scripts.compare_builds REV        # commit REV vs the working tree
    python -m scripts.compare_builds REV1 REV2  # two commits
    python -m scripts.compare_builds --html REV # HTML compared as parsed trees

Each side is built by the real ``mkdocs build --strict`` from its own files (a commit
is exported with ``git archive``; its Python is imported from the export, not from
this checkout), with the same ``SOURCE_DATE_EPOCH``, into a temporary folder. Every
file of the two sites is then compared byte for byte. Exit 0 if identical, 1 with
the differing files listed, 2 if a side does not build.

``--html`` is for a change of how HTML is written out (a new serialiser): an HTML file
whose bytes differ still counts as the same if a browser's parser (lexbor) reads both
into the same tree, attribute order aside. Files that embed HTML (the Anki deck, the
CSV) and the offline worker's version then differ too; they are listed.

Use it on every refactoring commit (``python -m scripts.compare_builds`` before
``git commit``): a refactoring changes no byte a reader receives; a change that is
meant to show must go in its own commit.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from scripts.project import build_site

ROOT = Path(__file__).resolve().parent.parent


def tree_events(text: str) -> list[tuple[str, ...]]:
    """An HTML document as the parser reads it: each element (tag, attributes sorted), text and
    comment in document order; a <template>'s content (which the tree walk skips) in its place."""
    root = LexborHTMLParser(text).root
    out: list[tuple[str, ...]] = []
    for n in root.traverse(include_text=True) if root else []:
        if n.is_comment_node:
            out.append(("#comment", n.comment_content or ""))
        elif n.tag == "-text":
            out.append(("#text", n.text_content or ""))
        else:
            out.append((n.tag or "", *sorted(f"{k}={v or ''}" for k, v in n.attributes.items())))
            if n.tag == "template":
                inner = (n.html or "").split(">", 1)[1].removesuffix("</template>")
                out += tree_events(f"<!doctype html><html><head></head><body>{inner}</body></html>")[3:]
    return out


def same_tree(a: Path, b: Path) -> bool:
    """Whether two HTML files parse to the same elements, attributes (in any order), text and comments."""
    return tree_events(a.read_text("utf-8")) == tree_events(b.read_text("utf-8"))


def differences(a: Path, b: Path, html: bool = False) -> list[str]:
    """Files present on one side only, or whose bytes (with ``html``: HTML trees) differ, as relative paths."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp[str], rel: str = "") -> None:
        out.extend(f"only in first: {rel}{n}" for n in cmp.left_only)
        out.extend(f"only in second: {rel}{n}" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        if html:
            mismatch = [
                n for n in mismatch if not n.endswith(".html") or not same_tree(Path(cmp.left, n), Path(cmp.right, n))
            ]
        out.extend(f"differs: {rel}{n}" for n in mismatch + errors)
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, f"{rel}{name}/")

    walk(filecmp.dircmp(a, b))
    return out


def export(rev: str, dest: Path) -> Path:
    """The files of commit ``rev`` in ``dest``, with this checkout's node_modules linked."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", rev], cwd=ROOT, capture_output=True, check=True, timeout=120
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True, timeout=120)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first", nargs="?", default="HEAD", help="commit to build first (default: HEAD)")
    parser.add_argument("second", nargs="?", help="commit to compare with (default: the working tree)")
    parser.add_argument("--html", action="store_true", help="HTML files: compare parsed trees, not bytes")
    args = parser.parse_args(argv)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "1700000000")  # any fixed date: both sides get the same
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp_name:
        tmp = Path(tmp_name)
        sides = [
            (args.first, export(args.first, tmp / "first")),
            (args.second or "working tree", export(args.second, tmp / "second") if args.second else ROOT),
        ]
        sites = []
        for i, (label, project) in enumerate(sides):
            site = tmp / f"site-{i}"
            proc = build_site(project, site, epoch)
            if proc.returncode != 0:
                print(f"error: {label} does not build:\n{proc.stdout}{proc.stderr}", file=sys.stderr)
                return 2
            sites.append(site)
        diff = differences(*sites, html=args.html)
        files = sum(1 for p in sites[0].rglob("*") if p.is_file())
        if diff:
            print(f"{sides[0][0]} and {sides[1][0]} differ in {len(diff)} of {files} files:")
            print("\n".join(f"  {d}" for d in diff))
            return 1
        how = "HTML as parsed trees, other files byte for byte" if args.html else "byte for byte"
        print(f"identical: {sides[0][0]} and {sides[1][0]} ({files} files, {how})")
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
