"""A page's HTML as one tree: parsed once per MkDocs event, edited in place, written once.

The HTML stages (macros/stages/pagehtml.py, macros/tex/formulas.py, the glossary's
focusable terms, the sanitiser's checks, the practice cards) work on the same
selectolax tree: lexbor is an HTML5 parser, so the tree is the one a reader's browser
builds, SVG's camelCase names (``viewBox``) included. The hooks (macros/hooks.py) parse
``page.content`` once in ``on_page_content`` and once in ``on_page_context`` (the
search plugin reads the text in between) and serialise each tree once.
"""

from __future__ import annotations

from collections.abc import Iterator

from selectolax.lexbor import LexborHTMLParser, LexborNode

Tree = LexborHTMLParser


def parse(fragment: str) -> Tree:
    """A fragment of a page's body (``page.content``), parsed as the body of a document."""
    return LexborHTMLParser(f"<!doctype html><html><head></head><body>{fragment}</body></html>")


def body(tree: Tree) -> LexborNode:
    node = tree.body
    if node is None:  # lexbor always makes a body for the document parse() writes
        raise ValueError("no <body> in the parsed page")
    return node


def serialize(tree: Tree) -> str:
    return body(tree).inner_html or ""


def children(node: LexborNode) -> Iterator[LexborNode]:
    """A node's children, text included."""
    return node.iter(include_text=True)


def _nodes(markup: str) -> tuple[Tree, list[LexborNode]]:
    # The new nodes are copied in by selectolax's insert_*: their tree must outlive the copy.
    tree = parse(markup)
    return tree, list(children(body(tree)))


def insert_after(node: LexborNode, markup: str) -> None:
    _, nodes = _nodes(markup)
    for new in reversed(nodes):
        node.insert_after(new)


def insert_before(node: LexborNode, markup: str) -> None:
    _, nodes = _nodes(markup)
    for new in nodes:
        node.insert_before(new)


def append(node: LexborNode, markup: str) -> None:
    _, nodes = _nodes(markup)
    for new in nodes:
        node.insert_child(new)


def prepend(node: LexborNode, markup: str) -> None:
    _, nodes = _nodes(markup)
    anchor = node.first_child
    for new in nodes:
        if anchor is None:
            node.insert_child(new)
        else:
            anchor.insert_before(new)


def classes(node: LexborNode) -> list[str]:
    return (node.attributes.get("class") or "").split()
