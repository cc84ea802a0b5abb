"""mkdocs.yml read as plain data, without MkDocs: for scripts and tests that need
``nav``, ``plugins`` or ``site_url`` (the scripts edit its text; they never write it back
through YAML, which would lose its comments).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that accepts mkdocs.yml's tags: ``!ENV [NAME, …, default]`` as MkDocs reads it
    (the first variable that is set, else the default), ``!!python/name:`` → str."""


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix == "ENV":
        if isinstance(node, yaml.SequenceNode):  # a single item is a name, not a default
            values = loader.construct_sequence(node)
            names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
        else:
            names, default = [loader.construct_scalar(node)], None  # type: ignore[arg-type]
        return next((os.environ[str(n)] for n in names if os.environ.get(str(n))), default)
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if values else None
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_ConfigLoader.add_multi_constructor("!", _construct_tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)


def parse_config(text: str, name: str = "mkdocs.yml") -> dict[str, Any]:
    """mkdocs.yml's data (tags resolved to plain values), for reading ``nav`` and ``plugins``."""
    data = yaml.load(text, Loader=_ConfigLoader)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: not a mapping")
    return data


def load_config(config_path: Path) -> dict[str, Any]:
    return parse_config(config_path.read_text(encoding="utf-8"), str(config_path))
