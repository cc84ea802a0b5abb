"""A page is content, not a program: the only Jinja a page may hold is a call of one
of the site's macros with literal arguments.

mkdocs-macros renders a page that sets ``render_macros: true`` as a Jinja template,
with the page's variables and Python objects in reach, and renders a page title
that contains Jinja delimiters too. Before that happens, the template is parsed
(parsing runs nothing) and every node is checked: text, ``{% raw %}`` blocks and
``{{ name(literal, …, key=literal) }}`` where ``name`` is a macro the site
registers (macros/entry.py). Anything else (attribute access, filters, other
variables, statements, includes) is refused at its file and line.
"""

from __future__ import annotations

from collections.abc import Iterable

from jinja2 import Environment, nodes
from jinja2.exceptions import TemplateSyntaxError

from macros.data.errors import SourceError


def _literal(node: nodes.Node) -> bool:
    if isinstance(node, nodes.Const):
        return node.value is None or isinstance(node.value, str | int | float | bool)
    if isinstance(node, nodes.List | nodes.Tuple):
        return all(_literal(item) for item in node.items)
    return False


def _problem(node: nodes.Node, macros: frozenset[str]) -> str | None:
    if isinstance(node, nodes.TemplateData):
        return None
    if not isinstance(node, nodes.Call):
        return f"only macro calls are allowed in pages, not {type(node).__name__.lower()} ({_describe(node)})"
    if not isinstance(node.node, nodes.Name) or node.node.name not in macros:
        return f"{_describe(node.node)}(…): only the site's macros may be called ({', '.join(sorted(macros))})"
    if node.dyn_args or node.dyn_kwargs:
        return f"{node.node.name}(…): *args and **kwargs are not allowed"
    for arg in [*node.args, *(kw.value for kw in node.kwargs)]:
        if not _literal(arg):
            return f"{node.node.name}(…): arguments must be literals (strings, numbers, lists), not {_describe(arg)}"
    return None


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_describe(node.node)}.{node.attr}"
    if isinstance(node, nodes.Filter):
        return f"filter |{node.name}"
    if isinstance(node, nodes.Call):
        return f"{_describe(node.node)}(…)"
    return type(node).__name__.lower()


def check_template(text: str, path: str, env: Environment, macros: Iterable[str]) -> None:
    """Raise :class:`SourceError` unless ``text`` holds only text and literal macro calls.

    ``text``'s line numbers must be the file's (mkdocs-macros' caller pads it)."""
    allowed = frozenset(macros)
    try:
        template = env.parse(text)
    except TemplateSyntaxError as exc:
        raise SourceError(path, exc.lineno, f"template syntax: {exc.message}") from None
    for statement in template.body:
        if not isinstance(statement, nodes.Output):
            raise SourceError(
                path, statement.lineno, f"statements ({{% … %}}) are not allowed in pages: {_describe(statement)}"
            )
        for node in statement.nodes:
            problem = _problem(node, allowed)
            if problem:
                raise SourceError(path, node.lineno, problem)
