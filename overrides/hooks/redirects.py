"""Hook: feed docs/data/redirects.yml (macros/redirects.py) to the mkdocs-redirects plugin.

The plugin reads its ``redirect_maps`` option when the build collects files, after
every ``on_config``; keeping the map in a data file means no script edits mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from macros.errors import SourceError
from macros.redirects import load_redirects


def on_config(config: Any) -> Any:
    try:
        maps = load_redirects(Path(config["config_file_path"]).parent)
    except SourceError as exc:
        raise PluginError(str(exc)) from None
    plugin = config["plugins"].get("redirects")
    if plugin is None:
        raise PluginError("mkdocs.yml: docs/data/redirects.yml needs the `redirects` plugin under `plugins:`")
    plugin.config["redirect_maps"] = {**plugin.config.get("redirect_maps", {}), **maps}
    return config
