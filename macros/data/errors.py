"""The one error type that build-time code raises for bad *content*.

Every message starts with ``path:line:`` so that editors, CI logs and people can
jump to the offending place. Hooks turn it into ``mkdocs.exceptions.PluginError``;
scripts and tests use it directly, without mkdocs.
"""

from __future__ import annotations


class SourceError(ValueError):
    """Bad input in a content or data file, located by file and (if known) line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


def first_errors(errors: list[SourceError], limit: int = 20) -> str:
    """Join several errors into one message, so one build shows them all."""
    shown = "\n".join(str(e) for e in errors[:limit])
    more = len(errors) - limit
    return shown + (f"\n… and {more} more" if more > 0 else "")
