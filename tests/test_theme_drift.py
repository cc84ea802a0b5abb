"""Our template overrides copy or lean on parts of mkdocs-material. When an upgrade
changes one of those parts, this test fails and names the override to re-check,
instead of the site silently drifting from the theme (the version is pinned in
requirements/runtime.in; Dependabot proposes upgrades)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import material

THEME = Path(material.__file__).parent / "templates"
# material's file → (its sha256 when our override was last checked, what depends on it)
CHECKED = {
    "partials/palette.html": ("fb935107ae7d3d74", "overrides/partials/palette.html copies its markup"),
    "partials/javascripts/palette.html": (
        "8790389765ea6036",
        "overrides/partials/palette.html and handbook.js use the same __palette entry it reads",
    ),
    "partials/source.html": ("6847616d67be4920", "overrides/partials/source.html replaces it (no GitHub API call)"),
    "assets/javascripts/workers/search.a7633da7.min.js": (
        "da1b3df5e5f00cc7",
        "macros/stages/search.py patches its query segmenter; overrides/main.html points the pages at the patched copy; "
        "macros/outputs/offline.py (lunr_scripts) keeps the lunr files it imports",
    ),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def test_overridden_theme_parts_are_unchanged() -> None:
    changed = [
        f"{name}: now {digest(THEME / name)}, checked at {sha}: re-check {why}"
        for name, (sha, why) in CHECKED.items()
        if digest(THEME / name) != sha
    ]
    assert not changed, "mkdocs-material changed parts our overrides depend on:\n" + "\n".join(changed)
