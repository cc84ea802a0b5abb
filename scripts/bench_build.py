#!/usr/bin/env python3
"""Benchmark full builds of N synthetic question pages: this site's config vs a plain
mkdocs-material config, on the same pages, in the same run.

Each synthetic page has the real anatomy (Chinese text, inline and display formulas, one
unique per page, a table, the architecture-matrix macro, admonitions, citations), in
sections of --section-size questions with a generated index each. The plain config is a
default mkdocs-material site: search, arithmatex with MathJax in the browser, no hooks or
macros. Builds alternate (ours, plain, …) so both see the same machine noise; --serve also
times a rebuild under `mkdocs serve` after editing one page.

Usage: python -m scripts.bench_build [--pages 1000] [--runs 3] [--section-size 50] [--serve]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.new_section import INDEX
from scripts.project import ROOT, copy_project

PAGE = """---
id: {id}
question: 合成问题 {n}：第 {n} 种注意力掩码有什么特点？
description: 这是第 {n} 个合成问题页面，用来测量构建时间。它和真实页面一样有公式、表格和宏。
aliases: [合成问题 {n}, synthetic {n}, 注意力掩码]
tags: [架构, 注意力]
difficulty: 进阶
sources: [wang2022, zhao2023]
related: [{related}]
reviewed: 2026-12
history: [{{date: 2026-12, note: 合成页面}}]
render_macros: true
---
# 合成问题 {n}：第 {n} 种注意力掩码有什么特点？

## 30 秒回答 {{ #short-answer }}

- 因果解码器（causal decoder）只看左侧上下文，位置 $i$ 只能注意 $j \\le i$ {{{{ cite("wang2022") }}}}。
- 前缀解码器在前缀内部双向可见，目标部分从左到右。
- 第 {n} 个例子的损失是 $\\mathcal{{L}}_{{{n}}} = -\\sum_{{t={n}}}^{{T}} \\log p_\\theta(x_t \\mid x_{{<t}})$。

## 详解 {{ #explanation }}

大模型的预训练目标决定了哪些 token 参与损失计算。下面的公式给出因果语言建模的目标 {{{{ cite("zhao2023") }}}}：

$$
\\mathcal{{L}}_{{\\mathrm{{CLM}}}}(\\theta)=-\\sum_{{t=1}}^{{T}}\\log p_\\theta(x_t\\mid x_{{<t}})
$$

其中 $T$ 是序列长度，$x_{{<t}}$ 是位置 $t$ 之前的所有 token。前缀解码器只在目标部分计算损失：

$$
\\mathcal{{L}}_{{\\mathrm{{PLM}}}}(\\theta)=-\\sum_{{t=k+1}}^{{T}}\\log p_\\theta\\!\\left(x_t\\mid x_{{1:k}},\\,x_{{k+1:t-1}}\\right)
$$

| 结构 | 输入部分 | 输出部分 |
| --- | --- | --- |
| 因果解码器 | 单向 | 单向 |
| 前缀解码器 | 双向 | 单向 |
| 编码器-解码器 | 双向 | 单向 + 交叉注意力 |

{{{{ arch_matrix(fields=["attention_input", "lm_loss_tokens"]) }}}}

## 常见误区 {{ #misconceptions }}

!!! warning "误区：第 {n} 种掩码和因果掩码完全一样"
    并不一样：前缀部分可以看到彼此，因此这些位置不能计入语言建模损失。

## 常见追问 {{ #follow-ups }}

??? question "为什么前缀部分不计算损失？"
    因为前缀 token 能看到后面的 token，预测它们相当于“偷看答案”。

??? question "训练效率有什么差别？"
    同样的 token 数下，因果语言模型每个位置都有损失项，样本效率更高。

## 参考文献 {{ #references }}

{{{{ references() }}}}
"""

PLAIN_CONFIG = """site_name: plain
site_url: https://example.org/
theme:
  name: material
  language: zh
plugins:
  - search
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.details
  - pymdownx.superfences
extra_javascript:
  - javascripts/mathjax-config.js
  - javascripts/tex-mml-chtml.js
"""


def make_project(dest: Path, pages: int, section_size: int) -> tuple[Path, Path]:
    """A copy of the project with N synthetic pages, plus a plain-config twin on the same docs."""
    ours = copy_project(dest / "ours")
    nav = ""
    for n in range(1, pages + 1):
        section, first = f"s{(n - 1) // section_size + 1:03d}", (n - 1) // section_size * section_size + 1
        if n == first:
            (ours / "docs" / section).mkdir()
            about = (
                f"合成章节 {section[1:]} 的题目列表，用来测量构建时间；由 section_index() 从各题的 front matter 生成。"
            )
            index = INDEX.format(title=f"合成章节 {section[1:]}", description=about)  # as scripts/new_section.py writes
            (ours / "docs" / section / "index.md").write_text(index, encoding="utf-8")
            nav += f"      - 合成章节 {section[1:]}:\n          - {section}/index.md\n"
        related = ", ".join(f"{section}-q{m:04d}" for m in (first, first + 1) if m != n and m <= pages)
        page = PAGE.format(id=f"{section}-q{n:04d}", n=n, related=related)
        (ours / "docs" / section / f"q{n:04d}.md").write_text(page, encoding="utf-8")
        nav += f"          - {section}/q{n:04d}.md\n"
    # One top-level group with a sub-section per N questions: with material's
    # navigation.sections the group is always open, its sub-sections collapsed, so
    # navigation.prune leaves only the current sub-section's pages in each page.
    config = (ours / "mkdocs.yml").read_text(encoding="utf-8")
    if pages:  # --pages 0: the real site alone
        config = config.replace("nav:\n", "nav:\n  - 合成题库:\n" + nav, 1)
    (ours / "mkdocs.yml").write_text(config, encoding="utf-8")

    plain = dest / "plain"
    shutil.copytree(ours / "docs", plain / "docs")
    js = plain / "docs" / "javascripts"
    js.mkdir()
    (js / "mathjax-config.js").write_text("window.MathJax = {tex: {inlineMath: [['\\\\(', '\\\\)']]}};\n")
    shutil.copy2(ROOT / "node_modules" / "mathjax-full" / "es5" / "tex-mml-chtml.js", js / "tex-mml-chtml.js")
    plain_nav = re.search(r"^nav:\n(?:[ -].*\n?)*", config, re.M)
    (plain / "mkdocs.yml").write_text(PLAIN_CONFIG + (plain_nav.group(0) if plain_nav else ""), encoding="utf-8")
    return ours, plain


def timed_build(project: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)]
    proc = subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=1800)  # 1,000 pages: ~1 min
    if proc.returncode:
        raise SystemExit(f"build of {project.name} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return time.perf_counter() - start


def serve_rebuild(project: Path, edits: int = 3) -> list[float]:
    """Seconds from saving a page to the end of `mkdocs serve`'s rebuild, per edit."""
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "--dev-addr", "127.0.0.1:0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def wait_built() -> float:
        if any("Documentation built in" in line for line in proc.stdout):  # stops at the first one
            return time.perf_counter()
        raise SystemExit("mkdocs serve stopped")

    times = []
    try:
        wait_built()  # the initial build
        docs = project / "docs"
        page = next(docs.glob("s001/q0001.md"), None) or min(p for p in docs.glob("*/*.md") if p.name != "index.md")
        for i in range(edits):
            time.sleep(1.5)
            page.write_text(page.read_text(encoding="utf-8") + f"\n编辑 {i}。\n", encoding="utf-8")
            saved = time.perf_counter()
            times.append(wait_built() - saved)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="synthetic pages added (0: the real site alone)")
    parser.add_argument("--runs", type=int, default=3, help="full builds per config (median reported)")
    parser.add_argument("--section-size", type=int, default=50, help="questions per nav section")
    parser.add_argument("--serve", action="store_true", help="also time a rebuild under mkdocs serve after an edit")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        ours, plain = make_project(Path(tmp), args.pages, args.section_size)
        print(f"{args.pages} synthetic pages in sections of {args.section_size}; {args.runs} runs each")
        results: dict[str, list[float]] = {"ours": [], "plain": []}
        for run in range(args.runs):
            for name, project in (("ours", ours), ("plain", plain)):
                results[name].append(timed_build(project, Path(tmp) / f"site-{name}"))
                print(f"  run {run + 1}: {name:5} {results[name][-1]:7.2f} s", flush=True)
        med = {name: statistics.median(times) for name, times in results.items()}
        print(
            "median  "
            + "   ".join(f"{k} {v:.2f} s ({1000 * v / max(args.pages, 1):.1f} ms/page)" for k, v in med.items())
        )
        print(f"ratio ours/plain = {med['ours'] / med['plain']:.2f}")
        if args.serve:
            times = serve_rebuild(ours)
            print(
                f"mkdocs serve, rebuild after editing one page: {', '.join(f'{t:.2f} s' for t in times)}"
                f" (median {statistics.median(times):.2f} s)"
            )


if __name__ == "__main__":
    main()
