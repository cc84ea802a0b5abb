"""Contributed content is safe by construction: the build judges what readers receive.

Every way a pull request could put active markup into a page is tried here as a
hostile contributor would, and each must fail the build naming the file (and the
line, where the HTML can be traced back to the source). The HTML-level variants
share one build of a copy of the project, each in a page of its own: the output
checks (macros/stages/sanitize.py, macros/stages/csp.py) report every unsafe page together. The
source-level checks (front matter, Jinja, TeX) stop the build at the first error,
so each is tried in process on many variants and once through a real build.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2 import Environment

from macros.data.errors import SourceError
from macros.data.frontmatter import is_question_page, validate_page
from macros.stages.html import parse
from macros.stages.jinjacheck import check_template
from macros.stages.sanitize import SITE_ATTRIBUTES, SITE_CLASSES, check_content
from macros.tex import mathjax
from macros.tex.mathscan import fenced_blocks, scan
from macros.tex.protect import protect, restore
from tests.helpers import DOCS, ROOT, add_to_nav, build, built_page, copy_project, source_pages


@dataclass(frozen=True)
class Hostile:
    name: str
    body: str  # Markdown after the page's H1; the line of `needle` must be named
    needle: str
    message: str  # regex the error must match


HTML_VARIANTS = [
    # attribute lists on links, headings, paragraphs and images
    Hostile("attr-list onclick", '[看这里](index.md){ onclick="alert(1)" }', "onclick", "event handler"),
    Hostile("heading onmouseover", '## 小节 { onmouseover="alert(2)" }', "onmouseover", "event handler"),
    Hostile("attr-list style", '一段文字\n{: style="position:fixed;inset:0" }', "position:fixed", "not allowed"),
    Hostile(
        "attr-list href", '[看这里](index.md){ href="javascript:alert(3)" }', "javascript:alert(3)", "javascript: URLs"
    ),
    Hostile("reserved id", "## 搜索 {#__search}", "__search", "belong to the theme"),
    Hostile("reserved md- class", "[看这里](index.md){ .md-header }", "md-header", "reserved"),
    Hostile("theme component", '[源码](index.md){ data-md-component="source" }', "data-md-component", "reserved"),
    Hostile("site class", "[看这里](index.md){ .copy-link }", "copy-link", "reserved"),
    Hostile(
        "site attribute",
        '[看这里](index.md){ data-questions="https://example.org/q.json" }',
        "data-questions",
        "reserved",
    ),
    # every link and image form, with schemes in any spelling
    Hostile("inline javascript:", "[点我](javascript:alert(4))", "javascript:alert(4)", "javascript: URLs"),
    Hostile("mixed case", "[点我](JaVaScRiPt:alert(5))", "alert(5)", "javascript: URLs"),
    Hostile("entity tab", "[点我](jav&#x09;ascript:alert(6))", "alert(6)", "javascript: URLs"),
    Hostile("entity colon", "[点我](javascript&colon;alert(7))", "alert(7)", "javascript: URLs"),
    Hostile("reference definition", "[点我][坏]\n\n[坏]: javascript:alert(8)", "alert(8)", "javascript: URLs"),
    Hostile("nested brackets", "[外 [内] 层](javascript:alert(9))", "alert(9)", "javascript: URLs"),
    Hostile("autolink", "<javascript:alert(10)>", "alert(10)", "not allowed"),
    Hostile("data: URL", "[点我](data:text/html;base64,PHNjcmlwdD4=)", "data:text", "data: URLs"),
    Hostile("vbscript:", "[点我](vbscript:msgbox(11))", "msgbox(11)", "vbscript: URLs"),
    Hostile("foreign image", "![图](https://example.org/x.png)", "example.org/x.png", "served by the site"),
    Hostile("protocol-relative image", "![图](//example.org/y.png)", "example.org/y.png", "served by the site"),
    Hostile("backslash host", "[点我](/\\example.org/z)", "example.org/z", "another host"),
    # raw HTML, and tricks that hide it from a source scanner
    Hostile("raw img onerror", "<img src=x onerror=alert(12)>", "alert(12)", "event handler|not allowed"),
    Hostile("raw script", "<script>alert(13)</script>", "alert(13)|<script", "not allowed"),
    Hostile("comment trick", "<!--><img src=x onerror=alert(14)>-->", "alert(14)", "event handler"),
    Hostile(
        "details ontoggle",
        "<details open ontoggle=alert(15)><summary>x</summary>y</details>",
        "alert(15)",
        "event handler",
    ),
    Hostile(
        "svg link",
        '<svg><a href="javascript:alert(16)"><text>x</text></a></svg>',
        "alert(16)",
        "not allowed|javascript",
    ),
    Hostile("md_in_html", '<div markdown>\n<span onclick="alert(17)">点</span>\n</div>', "alert(17)", "event handler"),
    Hostile("iframe", '<iframe src="https://example.org/"></iframe>', "<iframe", "not allowed"),
    Hostile("form", '<form action="https://example.org/"><input name="q"></form>', "<form", "not allowed"),
    Hostile("target blank", '<a href="https://example.org/" target="_blank">外链</a>', "_blank", "not allowed"),
    Hostile(
        "meta refresh", '<meta http-equiv="refresh" content="0;url=https://example.org/">', "refresh", "not allowed"
    ),
    Hostile("base href", '<base href="https://example.org/">', "<base", "not allowed"),
    Hostile("style element", "<style>@import url(https://example.org/x.css);</style>", "@import", "not allowed"),
    Hostile(
        "entity-escaped tag in a span",
        '<span title="&quot; onmouseover=&quot;alert(18)">x</span><span style=color:red>y</span>',
        "color:red",
        "not allowed",
    ),
]


def _page(name: str, body: str) -> str:
    return f"---\ndescription: 测试页面：一份恶意投稿的样本，构建必须拒绝它，不能发布。\n---\n# 恶意样本\n\n{body}\n"


def _add_pages(project: Path, pages: dict[str, str]) -> None:
    for src, text in pages.items():
        (project / "docs" / src).write_text(text, encoding="utf-8")
    add_to_nav(project, {f"样本{i}": src for i, src in enumerate(pages)})


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_every_hostile_page_is_refused_at_its_file_and_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    pages = {f"zz-hostile-{i:02d}.md": _page(v.name, v.body) for i, v in enumerate(HTML_VARIANTS)}
    _add_pages(project, pages)
    result = build(project, tmp_path / "site")
    assert not result.ok, "a build with hostile pages passed"
    missed = []
    for (src, text), variant in zip(pages.items(), HTML_VARIANTS, strict=True):
        needles = variant.needle.split("|")
        lines = {_line(text, n) for n in needles if n in text}
        errors = [e for e in result.output.splitlines() if e.startswith(f"docs/{src}")]
        if not any(f"docs/{src}:{line}:" in e for e in errors for line in lines) or not any(
            re.search(variant.message, e) for e in errors
        ):
            missed.append(f"{variant.name} ({src}, line {sorted(lines)}): {errors or 'not refused'}")
    assert not missed, "hostile pages not refused at their file and line:\n" + "\n".join(missed)
    # the real pages are untouched by the refusals: none of them is named
    real = [f"docs/{src}:" for src in source_pages()]
    assert not [line for line in result.output.splitlines() if line.startswith(tuple(real))]


# ── Source-level checks, in process and once through the build ──────────

PAGE_SRC = next(src for src in source_pages() if is_question_page(src))


def _question() -> str:
    return (DOCS / PAGE_SRC).read_text(encoding="utf-8")


FRONT_MATTER = {
    "markup in description": (
        "description: ",
        'description: "<img src=x onerror=alert(1)>，这段描述故意写得足够长以通过长度检查"\nx_old_description: ',
    ),
    "quote in question": ("question: ", "question: 'a\" onmouseover=\"alert(1)'\nx_old_question: "),
    "template in alias": ("aliases: [", "aliases: ['{{ config }}', "),
    "bidi override": ("aliases: [", 'aliases: ["a\\u202eb", '),
    "control character": ("aliases: [", 'aliases: ["a\\u0007b", '),
}


@pytest.mark.parametrize("old,new", FRONT_MATTER.values(), ids=list(FRONT_MATTER))
def test_front_matter_is_plain_text(old: str, new: str) -> None:
    text = _question().replace(old, new, 1)
    with pytest.raises(SourceError, match=r"plain text only") as err:
        validate_page(text, PAGE_SRC)
    assert err.value.line == _line(text, new.split("\n")[0][:12])


TEMPLATES = {
    "attribute access": "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "filter": "{{ '<script>' | safe }}",
    "variable": "{{ config.site_url }}",
    "statement": "{% for x in range(3) %}x{% endfor %}",
    "include": "{% include 'main.html' %}",
    "built-in macro": "{{ render_file('/etc/passwd') }}",
    "non-literal argument": "{{ cite(page.meta.id) }}",
    "expression": "{{ cite('a') ~ '<b>' }}",
}


@pytest.mark.parametrize("payload", TEMPLATES.values(), ids=list(TEMPLATES))
def test_a_page_is_not_a_program(payload: str) -> None:
    env = Environment(comment_start_string="{##", comment_end_string="##}")
    text = "正文\n\n" + payload + "\n"
    with pytest.raises(SourceError) as err:
        check_template(text, "docs/x.md", env, ["cite", "compare"])
    assert err.value.line == 3


def test_documented_macro_calls_pass() -> None:
    env = Environment(comment_start_string="{##", comment_end_string="##}")
    check_template(
        '{{ cite("a") }} {{ compare("t", entities=["x", "y"], fields=None) }} {% raw %}{{ x }}{% endraw %}',
        "p",
        env,
        ["cite", "compare"],
    )


FORMULAS = [
    "\\href{https://example.org}{x}",
    "\\style{color:red}{x}",
    "\\class{md-header}{x}",
    "\\cssId{__search}{x}",
    "\\unicode{x41}",
    "\\require{html}",
    '\\mmlToken{mi}[href="javascript:alert(1)"]{x}',
    "\\bbox[border:1px solid]{x}",
    "\\texttip{x}{y}",
    "\\data{x=1}{y}",
]


@pytest.mark.parametrize("tex", FORMULAS)
def test_formulas_cannot_emit_markup(tex: str) -> None:
    text = f"文字\n\n另一行 ${tex}$ 结束。\n"
    with pytest.raises(SourceError, match=r"p\.md:3: TeX command"):
        scan(text, "p.md")


def test_mathjax_itself_refuses_markup_commands() -> None:
    """Behind the scan, MathJax runs without the packages that write markup, and what
    its base package can still write (\\mmlToken's attributes) is refused by the sanitiser."""
    refused = [t for t in FORMULAS if "mmlToken" not in t and "require" not in t]
    results = mathjax.typeset([(t, False) for t in refused], ROOT)
    assert all(results[(t, False)].error for t in refused), [t for t in refused if not results[(t, False)].error]
    token = mathjax.typeset([(FORMULAS[6], False)], ROOT)[(FORMULAS[6], False)]
    assert token.html and "javascript" in token.html
    with pytest.raises(SourceError, match="javascript: URLs|not allowed"):
        check_content(parse(token.html), "", "p.md")
    plain = mathjax.typeset([("x^2", False)], ROOT)[("x^2", False)]
    assert plain.html and "style=" not in plain.html and 'href="http' not in plain.html
    check_content(parse(plain.html), "", "p.md")


SOURCE_BUILDS = {
    "front matter": (
        "description: ",
        'description: "</title><script>alert(1)</script>描述足够长足够长足够长"\nx_old: ',
        "plain text only",
    ),
    "template": (
        "\n## ",
        "\n{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}\n\n## ",
        "only the site's macros",
    ),
    "TeX": ("\n## ", "\n坏公式 $\\href{https://example.org}{x}$\n\n## ", r"TeX command \\href"),
}


@pytest.mark.parametrize("old,new,message", SOURCE_BUILDS.values(), ids=list(SOURCE_BUILDS))
def test_source_checks_stop_the_build(old: str, new: str, message: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / PAGE_SRC
    text = page.read_text(encoding="utf-8").replace(old, new, 1)
    page.write_text(text, encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert not result.ok
    line = _line(text, new.strip().split("\n")[0][:16])
    assert f"docs/{PAGE_SRC}:{line}" in result.output or f"line {line}" in result.output, result.output[-2000:]
    assert re.search(message, result.output), result.output[-2000:]
    assert not (project / "pwned").exists(), "a page ran code at build time"


def test_reserved_names_cover_the_site_scripts() -> None:
    """Every class and data attribute that handbook.js looks up is reserved for it."""
    js = (ROOT / "docs/assets/javascripts/handbook.js").read_text(encoding="utf-8")
    selectors = " ".join(re.findall(r"(?:querySelector(?:All)?|closest|matches)\(\"([^\"]+)\"", js))
    classes = set(re.findall(r"\.([a-z][a-z0-9-]*)", selectors)) - {
        "md-search",
        "md-typeset__scrollwrap",
        "md-content__inner",
    }
    attrs = {f"data-{a}" for a in re.findall(r"dataset\.([a-z]+)", js)} | set(
        re.findall(r"\[(data-[a-z-]+)", selectors)
    )
    assert classes and attrs
    assert classes <= SITE_CLASSES | {c for c in classes if c.startswith("md-")}, classes - SITE_CLASSES
    assert attrs <= SITE_ATTRIBUTES, attrs - SITE_ATTRIBUTES


# ── No silent loss: what the source holds, the page shows ─────────────────


def test_a_fence_at_the_end_of_a_macro_page_survives_jinja() -> None:
    """Jinja drops a template's last newline; the placeholder must not depend on it."""
    env = Environment(comment_start_string="{##", comment_end_string="##}")
    text = "正文 $x^{{2}}$\n\n```python\nprint({{ 1 }})\n```\n"
    protected, saved = protect(text, "p.md")
    assert restore(env.from_string(protected).render(), saved, "p.md") == text
    with pytest.raises(SourceError, match="lost while rendering macros"):
        restore(protected.replace(next(iter(saved)), ""), saved, "p.md")


def test_every_fence_and_formula_reaches_its_page(site: Path) -> None:
    """Each fenced block's code and each formula's TeX of every published page is in its HTML."""
    lost = []
    for src in source_pages():
        text = (DOCS / src).read_text(encoding="utf-8")
        page = html.unescape(built_page(site, src).read_text(encoding="utf-8"))
        tex = {
            html.unescape(v)
            for v in re.findall(r'data-tex="([^"]*)"', built_page(site, src).read_text(encoding="utf-8"))
        }
        for start, end in fenced_blocks(text):
            code = text[start:end].split("\n", 1)[1].rsplit("```", 1)[0].rsplit("~~~", 1)[0]
            lost += [
                f"docs/{src}: code line {line!r}"
                for line in code.splitlines()
                if line.strip() and line.strip() not in page
            ]
        lost += [f"docs/{src}:{f.line}: formula {f.tex!r}" for f in scan(text, src) if f.tex not in tex]
    assert not lost, "\n".join(lost)
