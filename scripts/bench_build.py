#!/usr/bin/env python3
"""Benchmark full builds of N synthetic question pages: this site's config vs a plain
mkdocs-material config, on the same pages, in the same run.

Each synthetic page has the real anatomy: Chinese text, inline and display formulas
(shared ones and one unique per page), a Markdown table, the architecture-matrix
macro, admonitions, citations. Pages are grouped into sections of --section-size
questions, as the real site will be. The plain config is what a default
mkdocs-material site uses: material theme, search, arithmatex with MathJax loaded
in the browser, no hooks or macros.

Builds alternate (ours, plain, ours, plain, …) so both see the same machine noise;
the script prints every timing, the medians and the ratio ours/plain. With
--serve it also measures a rebuild under `mkdocs serve` after editing one page.

Usage: python -m scripts.bench_build [--pages 1000] [--runs 3] [--serve]
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

from scripts.project import copy_project

ROOT = Path(__file__).resolve().parent.parent

ENV = dict(os.environ)

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

# Each synthetic section has a generated index page, as real sections do.
SECTION_INDEX = """---
description: 合成章节 {n} 的题目列表，用来测量构建时间；由 section_index() 从各题的 front matter 生成。
render_macros: true
---
# 合成章节 {n}

{{{{ section_index() }}}}
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
    nav: dict[str, list[str]] = {}
    for n in range(1, pages + 1):
        section = f"s{(n - 1) // section_size + 1:03d}"
        slug = f"q{n:04d}"
        first = (n - 1) // section_size * section_size + 1
        related = [f"{section}-q{m:04d}" for m in (first, first + 1) if m != n and m <= pages] or [
            f"{section}-q{first:04d}"
        ]
        related = [r for r in related if r != f"{section}-{slug}"] or []
        if not (ours / "docs" / section).exists():
            (ours / "docs" / section).mkdir()
            (ours / "docs" / section / "index.md").write_text(SECTION_INDEX.format(n=section[1:]), encoding="utf-8")
            nav[section] = [f"{section}/index.md"]
        text = PAGE.format(id=f"{section}-{slug}", n=n, related=", ".join(related))
        (ours / "docs" / section / f"{slug}.md").write_text(text, encoding="utf-8")
        nav.setdefault(section, []).append(f"{section}/{slug}.md")
    # One top-level group with a sub-section per N questions: with material's
    # navigation.sections the group is always open, its sub-sections collapsed, so
    # navigation.prune leaves only the current sub-section's pages in each page.
    nav_yaml = "  - 合成题库:\n" + "".join(
        f"      - 合成章节 {s[1:]}:\n" + "".join(f"          - {p}\n" for p in ps) for s, ps in nav.items()
    )
    config = (ours / "mkdocs.yml").read_text(encoding="utf-8")
    if pages:  # --pages 0: the real site alone
        config = config.replace("nav:\n", "nav:\n" + nav_yaml, 1)
    (ours / "mkdocs.yml").write_text(config, encoding="utf-8")

    plain = dest / "plain"
    plain.mkdir()
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
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(out)],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,  # 1,000 pages take about a minute
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build of {project.name} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return elapsed


def serve_rebuild(project: Path, edits: int = 3) -> list[float]:
    """Seconds from saving a page to the end of `mkdocs serve`'s rebuild, per edit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml"), "--dev-addr", "127.0.0.1:0"],
        cwd=project,
        env={**ENV, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    built = re.compile(r"Documentation built in ([\d.]+) seconds")

    def wait_built() -> float:
        for line in proc.stdout:
            if built.search(line):
                return time.perf_counter()
        raise SystemExit("mkdocs serve stopped")

    times = []
    try:
        wait_built()  # the initial build
        page = next((project / "docs").glob("s001/q0001.md"), None) or next(
            p for p in sorted((project / "docs").glob("*/*.md")) if p.name != "index.md"
        )
        for i in range(edits):
            time.sleep(1.5)
            page.write_text(page.read_text(encoding="utf-8") + f"\n编辑 {i}。\n", encoding="utf-8")
            saved = time.perf_counter()
            times.append(wait_built() - saved)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages", type=int, default=1000, help="synthetic pages added to the real ones (0: the real site)"
    )
    parser.add_argument("--runs", type=int, default=3, help="full builds per config (median reported)")
    parser.add_argument("--section-size", type=int, default=50, help="questions per nav section")
    parser.add_argument("--serve", action="store_true", help="also time a rebuild under mkdocs serve after an edit")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temp folder)")
    args = parser.parse_args(argv)

    tmp = args.keep or Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        ours, plain = make_project(tmp, args.pages, args.section_size)
        print(f"{args.pages} synthetic pages in sections of {args.section_size}; {args.runs} runs each; in {tmp}")
        results: dict[str, list[float]] = {"ours": [], "plain": []}
        for run in range(args.runs):
            for name, project in (("ours", ours), ("plain", plain)):
                t = timed_build(project, tmp / f"site-{name}")
                results[name].append(t)
                print(f"  run {run + 1}: {name:5} {t:7.2f} s", flush=True)
        med = {k: statistics.median(v) for k, v in results.items()}
        print(
            f"median  ours {med['ours']:.2f} s ({1000 * med['ours'] / max(args.pages, 1):.1f} ms/page)   "
            f"plain {med['plain']:.2f} s ({1000 * med['plain'] / max(args.pages, 1):.1f} ms/page)"
        )
        print(f"ratio ours/plain = {med['ours'] / med['plain']:.2f}")
        if args.serve:
            times = serve_rebuild(ours)
            print(
                "mkdocs serve, rebuild after editing one page: "
                + ", ".join(f"{t:.2f} s" for t in times)
                + f" (median {statistics.median(times):.2f} s)"
            )
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
