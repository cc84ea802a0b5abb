"""Load YAML and keep the line number of every node, for error messages.

PyYAML's ``compose`` keeps marks (line numbers) that ``safe_load`` throws away;
we compose once and construct the plain data from the same node tree. Both run in
libyaml (the C loader in PyYAML's wheels), about eight times faster than the pure-Python
one on this site's data and front matter, with the same nodes and line numbers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from macros.data.errors import SourceError

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the pure-Python loader where PyYAML was built without libyaml


@dataclass(frozen=True)
class LocatedYaml:
    """Plain data from a YAML document plus a way to find the line of any path in it."""

    path: str
    data: Any
    root: yaml.Node | None
    line_offset: int = 0

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of the node at ``loc`` (keys and list indexes), or of its nearest parent."""
        node = self.root
        line = node.start_mark.line + 1 + self.line_offset if node else None
        for step in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == step:
                        child = value
                        line = key.start_mark.line + 1 + self.line_offset
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                child = node.value[step]
                line = child.start_mark.line + 1 + self.line_offset
            if child is None:
                break
            node = child
        return line


def parse_yaml(text: str, path: str, line_offset: int = 0) -> LocatedYaml:
    """Parse ``text``; syntax errors become :class:`SourceError` with the line."""
    try:
        root = yaml.compose(text, Loader=LOADER)
        data = LOADER(text).construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        raise SourceError(path, line, f"invalid YAML: {exc.problem}") from exc
    return LocatedYaml(path=path, data=data, root=root, line_offset=line_offset)


def load_yaml(path: Path, display_path: str | None = None) -> LocatedYaml:
    """Read and parse a YAML file."""
    return parse_yaml(path.read_text(encoding="utf-8"), display_path or str(path))


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar for a mapping key or value: plain when that reads back the same, else quoted."""
    try:
        if yaml.safe_load(f"{text}: x") == {text: "x"} and yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)
