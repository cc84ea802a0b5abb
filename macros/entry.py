"""The mkdocs-macros entry point (``module_name: macros/entry`` in mkdocs.yml).

mkdocs-macros loads this file by its path and calls :func:`define_env` once per
build, then :func:`on_pre_page_macros` and :func:`on_post_page_macros` around each
page that sets ``render_macros: true``. The macros themselves are one-liners over
the plain functions of the ``macros`` package; this is the only module of the
package that mkdocs-macros knows about, and importing any other module does not
import this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from macros.data.bibliography import render_cite, render_references
from macros.data.errors import SourceError
from macros.data.glossary import render_glossary
from macros.data.sections import render_section_index, section_questions
from macros.data.sitedata import load_site_data
from macros.data.urls import src_to_url
from macros.outputs.masks import render_figure
from macros.outputs.matrix import render_matrix
from macros.outputs.tables import render_compare
from macros.stages.jinjacheck import check_template
from macros.tex.mathscan import front_matter_length
from macros.tex.protect import protect, restore


class _PageState:
    """What one page's rendering carries from before Jinja to after it.

    (A plain class: mkdocs-macros loads this file without registering it in
    ``sys.modules``, which ``dataclasses`` needs.)"""

    def __init__(self, protected: dict[str, str] | None = None, padding: int = 0) -> None:
        self.protected = protected or {}
        self.padding = padding
        self.figures = 0


_page = _PageState()
_macro_names: list[str] = []  # what a page may call (macros/stages/jinjacheck.py)


def define_env(env: Any) -> None:
    """Register the site's macros with mkdocs-macros."""
    try:
        data = load_site_data(Path(env.conf["docs_dir"]))
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    bib, arch = data.bibliography, data.architectures
    _macro_names.clear()

    def macro(fn: Any) -> Any:
        _macro_names.append(fn.__name__)
        return env.macro(fn)

    def src_path() -> str:
        """The page's path under docs/. MkDocs' pages carry it as ``file.src_path``;
        Zensical's macros extension (tried: 0.0.73) passes a page with ``path``."""
        return env.page.file.src_path if hasattr(env.page, "file") else env.page.path

    def page_path() -> str:
        return "docs/" + src_path()

    def page_sources() -> list[str]:
        return list(env.page.meta.get("sources", []))

    @macro
    def cite(key: str) -> str:
        """Inline citation linking to this page's reference list."""
        return render_cite(bib, key, page_sources(), page_path())

    @macro
    def references() -> str:
        """The page's reference list, from front matter ``sources``."""
        return render_references(bib, page_sources(), page_path())

    @macro
    def arch_matrix(families: list[str] | None = None, fields: list[str] | None = None) -> str:
        """The architecture matrix from docs/data/architectures.yml (optionally a subset)."""
        return render_matrix(arch, bib, families, fields, page_path())

    @macro
    def compare(name: str, entities: list[str] | None = None, fields: list[str] | None = None) -> str:
        """A comparison table from docs/data/tables/<name>.yml (optionally some rows/columns)."""
        return render_compare(name, data.tables, bib, page_sources(), page_path(), entities, fields)

    @macro
    def attention_mask(family: str, n: int = 6, k: int = 3) -> str:
        """Inline SVG of a family's attention mask, drawn from its data."""
        try:
            kind = arch.family(family).mask
        except KeyError as exc:
            raise SourceError(page_path(), None, f"attention_mask: {exc.args[0]}") from None
        _page.figures += 1  # ids unique within the page
        return render_figure(kind, n, k, uid=f"mask-{_page.figures}")

    @macro
    def section_index() -> str:
        """The question list of the section whose index page this is."""
        section = str(Path(src_path()).parent)
        return render_section_index(section_questions(Path(env.conf["docs_dir"]), section, env.conf.get("nav")))

    @macro
    def glossary() -> str:
        """The glossary table from docs/data/glossary.yml (links relative to the glossary page)."""
        return render_glossary(data.glossary, src_to_url(src_path()))


def on_pre_page_macros(env: Any) -> None:
    """Hide formulas and code from Jinja (see macros/tex/protect.py)."""
    global _page
    source, markdown = env.page.file.content_string, env.markdown
    # Lines before the body (front matter), so errors name the file's own line numbers.
    before = len(source) - len(markdown) if source.endswith(markdown) else front_matter_length(source)
    offset = source.count("\n", 0, before)
    path = "docs/" + env.page.file.src_path
    try:
        protected, stash = protect(markdown, path, offset)
        # Pad with the front matter's line count so that line numbers (ours and
        # Jinja's "<template>, line N") are the file's own; removed after rendering.
        padded = "\n" * offset + protected
        if env.page.meta.get("render_macros"):  # mkdocs.yml: render_by_default is false
            check_template(padded, path, env.env, _macro_names)
            check_template(env.page.title or "", path, env.env, ())  # a title with Jinja in it is rendered too
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    _page = _PageState(protected=stash, padding=offset)
    env.markdown = padded


def on_post_page_macros(env: Any) -> None:
    """Put the protected formulas and code back, byte for byte."""
    try:
        markdown = restore(env.markdown, _page.protected, "docs/" + env.page.file.src_path)
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    padding = _page.padding
    env.markdown = markdown[padding:] if markdown.startswith("\n" * padding) else markdown
