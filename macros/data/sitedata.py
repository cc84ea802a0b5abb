"""The site's data files, loaded and validated together, once per build.

Both the macros (macros/entry.py) and the build pipeline (macros/hooks.py)
need the same data; :func:`load_site_data` reads ``docs/data/`` once and hands both
the same objects. It reads again only when a data file has changed since (``mkdocs
serve`` after an edit). Errors are :class:`SourceError`, naming file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from macros.data.architectures import Architectures, load_architectures
from macros.data.bibliography import Bibliography, load_bibliography
from macros.data.frontmatter import read_front_matter
from macros.data.glossary import Glossary, load_glossary
from macros.data.terms import Terms, load_terms
from macros.outputs.tables import TableSpec, load_tables

DATA_DIR = "data"


@dataclass(frozen=True)
class SiteData:
    bibliography: Bibliography
    architectures: Architectures
    tables: dict[str, TableSpec]
    glossary: Glossary
    terms: Terms


_Stamp = tuple[tuple[str, int, int], ...]
_loaded: dict[Path, tuple[_Stamp, SiteData]] = {}


def _stamp(folder: Path) -> _Stamp:
    return tuple(
        (p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.rglob("*.yml")) if p.is_file()
    )


def load_site_data(docs_dir: Path) -> SiteData:
    """Every data file of ``docs_dir/data``, validated and cross-checked (cached while unchanged)."""
    folder = docs_dir / DATA_DIR
    stamp = _stamp(folder)
    key = docs_dir.resolve()
    if key in _loaded and _loaded[key][0] == stamp:
        return _loaded[key][1]
    shown = f"docs/{DATA_DIR}"
    bib = load_bibliography(folder / "bibliography.yml", f"{shown}/bibliography.yml")
    data = SiteData(
        bibliography=bib,
        architectures=load_architectures(folder / "architectures.yml", bib, f"{shown}/architectures.yml"),
        tables=load_tables(docs_dir, bib, DATA_DIR),
        glossary=load_glossary(folder / "glossary.yml", f"{shown}/glossary.yml"),
        terms=load_terms(folder / "terms.yml", f"{shown}/terms.yml"),
    )
    _loaded[key] = (stamp, data)
    return data


def cited_keys(docs_dir: Path, data: SiteData) -> set[str]:
    """Bibliography keys cited anywhere: pages' ``sources`` (drafts too) and data files."""
    used = {m.source for fam in data.architectures.families for m in fam.models}
    for path in docs_dir.rglob("*.md"):
        meta = read_front_matter(path.read_text(encoding="utf-8"), str(path)).data or {}
        used.update(meta.get("sources") or [])
    for spec in data.tables.values():
        used.update(key for ent in spec.entities for key in ent.sources)
    return used
