"""mkdocs-macros must never change a formula, and macro mistakes must stop the build."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import build, built_page, copy_project, soup

PAGE = """---
description: 测试页面，用来证明宏渲染不会改动公式里的花括号。这段描述足够长。
render_macros: true
---
# 宏与公式

行内公式 $x^{{2}}$ 和 $\\frac{{a}}{b}$，以及 `{{ not_a_macro }}` 代码。

$$
\\mathcal{L}={{y}}^{{2}}
$$

{{ arch_matrix(fields=["structure"]) }}
"""


def add_page(project: Path, text: str, name: str = "macro-test.md") -> None:
    (project / "docs" / name).write_text(text, encoding="utf-8")
    cfg = project / "mkdocs.yml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("  - 首页: index.md\n", f"  - 首页: index.md\n  - 测试: {name}\n"),
        encoding="utf-8",
    )


def test_formulas_survive_macro_rendering(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    add_page(project, PAGE)
    result = build(project, tmp_path / "site")
    assert result.ok, result.output
    page = soup(built_page(result.site, "macro-test.md"))
    texs = [el["data-tex"] for el in page.select(".arithmatex")]
    assert texs == ["x^{{2}}", "\\frac{{a}}{b}", "\\mathcal{L}={{y}}^{{2}}"]
    assert page.select_one("code").get_text() == "{{ not_a_macro }}"
    assert page.select_one("div.arch-matrix"), "macros still render on the page"


def test_macro_typo_fails_naming_the_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    add_page(project, PAGE.replace("arch_matrix(", "arch_matrx("))
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert "macro-test.md" in result.output and "arch_matrx" in result.output


def test_undefined_variable_fails(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    add_page(project, PAGE + "\n{{ no_such_variable }}\n")
    result = build(project, tmp_path / "site")
    assert not result.ok
    assert "macro-test.md" in result.output and "no_such_variable" in result.output


def test_macros_are_opt_in(tmp_path: Path) -> None:
    """Without `render_macros: true` a page is not rendered by Jinja at all."""
    project = copy_project(tmp_path / "p")
    add_page(
        project,
        PAGE.replace("render_macros: true\n", "").replace('{{ arch_matrix(fields=["structure"]) }}', "{{ literally }}"),
    )
    result = build(project, tmp_path / "site")
    assert result.ok, result.output
    page = soup(built_page(result.site, "macro-test.md"))
    assert "{{ literally }}" in page.get_text()
