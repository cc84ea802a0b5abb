"""Build-time Python of the handbook: data loading/validation and rendering.

This package is the ``module_name`` of mkdocs-macros (``define_env`` below), and is
also imported by the hooks in ``overrides/hooks/``, by ``scripts/`` and by the
tests. Nothing here needs a running mkdocs except ``define_env`` and the
``on_*_page_macros`` functions, which mkdocs-macros calls.

Modules:
    errors        SourceError: every content error names file and line
    yamlfile      YAML with line numbers
    validation    pydantic errors → SourceError
    bibliography  the bibliography and citations
    architectures the architecture data file's schema and loader
    glossary      abbreviations: tooltips and the glossary page
    matrix        the architecture matrix
    sections      section index pages from front matter
    tables        comparison tables from docs/data/tables/ and the HTML of every data table
    masks         attention-mask definitions and SVG figures
    frontmatter   the page front matter schema
    mathscan      formulas in Markdown sources, with lines
    protect       keeping formulas and code away from Jinja
    mathjax       build-time MathJax (Node) bridge
    htmlsafety    refusing scripts in content
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .architectures import Architectures, load_architectures
from .bibliography import Bibliography, load_bibliography, render_cite, render_references
from .errors import SourceError
from .glossary import load_glossary, render_glossary
from .masks import render_figure
from .mathscan import front_matter_length
from .matrix import render_matrix
from .protect import protect, restore
from .sections import render_section_index, section_questions
from .tables import load_tables, render_compare

DATA_DIR = "data"


def load_site_data(docs_dir: Path) -> tuple[Bibliography, Architectures]:
    """Load and validate both data files (raises SourceError naming file/line/field)."""
    bib = load_bibliography(docs_dir / DATA_DIR / "bibliography.yml", f"docs/{DATA_DIR}/bibliography.yml")
    arch = load_architectures(docs_dir / DATA_DIR / "architectures.yml", bib, f"docs/{DATA_DIR}/architectures.yml")
    return bib, arch


def cited_keys(docs_dir: Path, arch: Architectures) -> set[str]:
    """Bibliography keys cited anywhere: pages' ``sources`` (drafts too) and data files."""
    from .frontmatter import read_front_matter
    from .tables import load_tables

    used = {m.source for fam in arch.families for m in fam.models}
    for path in docs_dir.rglob("*.md"):
        meta = read_front_matter(path.read_text(encoding="utf-8"), str(path)).data or {}
        used.update(meta.get("sources") or [])
    bib = load_bibliography(docs_dir / DATA_DIR / "bibliography.yml", f"docs/{DATA_DIR}/bibliography.yml")
    for spec in load_tables(docs_dir, bib, DATA_DIR).values():
        used.update(key for ent in spec.entities for key in ent.sources)
    return used


def define_env(env: Any) -> None:
    """Register the site's macros with mkdocs-macros."""
    from mkdocs.exceptions import PluginError

    try:
        bib, arch = load_site_data(Path(env.conf["docs_dir"]))
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    try:
        tables = load_tables(Path(env.conf["docs_dir"]), bib, DATA_DIR)
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    figure_count = {"n": 0}

    def page_path() -> str:
        return "docs/" + env.page.file.src_path

    @env.macro
    def cite(key: str) -> str:
        """Inline citation linking to this page's reference list."""
        return render_cite(bib, key, list(env.page.meta.get("sources", [])), page_path())

    @env.macro
    def references() -> str:
        """The page's reference list, from front matter ``sources``."""
        return render_references(bib, list(env.page.meta.get("sources", [])), page_path())

    @env.macro
    def arch_matrix(families: list[str] | None = None, fields: list[str] | None = None) -> str:
        """The architecture matrix from docs/data/architectures.yml (optionally a subset)."""
        return render_matrix(arch, bib, families, fields, page_path())

    @env.macro
    def compare(name: str, entities: list[str] | None = None, fields: list[str] | None = None) -> str:
        """A comparison table from docs/data/tables/<name>.yml (optionally some rows/columns)."""
        sources = list(env.page.meta.get("sources", []))
        return render_compare(name, tables, bib, sources, page_path(), entities, fields)

    @env.macro
    def attention_mask(family: str, n: int = 6, k: int = 3) -> str:
        """Inline SVG of a family's attention mask, drawn from its data."""
        try:
            kind = arch.family(family).mask
        except KeyError as exc:
            raise SourceError(page_path(), None, f"attention_mask: {exc.args[0]}") from None
        figure_count["n"] += 1
        return render_figure(kind, n, k, uid=f"mask-{figure_count['n']}")

    try:
        glossary_data = load_glossary(
            Path(env.conf["docs_dir"]) / DATA_DIR / "glossary.yml", f"docs/{DATA_DIR}/glossary.yml"
        )
    except SourceError as exc:
        raise PluginError(str(exc)) from None

    @env.macro
    def section_index() -> str:
        """The question list of the section whose index page this is."""
        section = str(Path(env.page.file.src_path).parent)
        questions = section_questions(Path(env.conf["docs_dir"]), section, env.conf.get("nav"))
        return render_section_index(questions)

    @env.macro
    def glossary() -> str:
        """The glossary table from docs/data/glossary.yml (links relative to the glossary page)."""
        depth = env.page.file.src_path.count("/")
        return render_glossary(glossary_data, "../" * depth)

    env.variables["_reset_figures"] = lambda: figure_count.update(n=0)


def on_pre_page_macros(env: Any) -> None:
    """Hide formulas and code from Jinja (see macros/protect.py)."""
    from mkdocs.exceptions import PluginError

    source, markdown = env.page.file.content_string, env.markdown
    # Lines before the body (front matter), so errors name the file's own line numbers.
    before = len(source) - len(markdown) if source.endswith(markdown) else front_matter_length(source)
    offset = source.count("\n", 0, before)
    try:
        protected, env.variables["_protected"] = protect(markdown, "docs/" + env.page.file.src_path, offset)
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    # Pad with the front matter's line count so that Jinja's error line numbers
    # ("<template>, line N") are the file's own; removed again after rendering.
    env.markdown = "\n" * offset + protected
    env.variables["_padding"] = offset
    env.variables["_reset_figures"]()


def on_post_page_macros(env: Any) -> None:
    """Put the protected formulas and code back, byte for byte."""
    padding = env.variables.pop("_padding", 0)
    markdown = restore(env.markdown, env.variables.pop("_protected", {}))
    env.markdown = markdown[padding:] if markdown.startswith("\n" * padding) else markdown
