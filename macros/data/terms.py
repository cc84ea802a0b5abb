"""One term per concept: ``docs/data/terms.yml`` lists each preferred term and the
variants to avoid in prose. A variant is allowed inside brackets (a first-mention
gloss such as 前缀解码器（prefix decoder，也叫非因果解码器）), in code, in formulas and
in front matter; anywhere else it is an error naming the file, the line and the
preferred term.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from macros.data.errors import SourceError, first_errors
from macros.data.validation import validate_located
from macros.data.yamlfile import load_yaml
from macros.tex.mathscan import code_spans, front_matter_length, mask_spans, scan

# Text inside （…） or (…) on one line: the place for a first-mention gloss.
BRACKETS = re.compile(r"（[^）\n]*）|\([^)\n]*\)")


class Term(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    term: str = Field(min_length=1)
    en: str = Field(min_length=1)
    avoid: list[str] = Field(min_length=1)


class Terms(RootModel[list[Term]]):
    @model_validator(mode="after")
    def _each_variant_once(self) -> Terms:
        seen = [v for t in self.root for v in t.avoid] + [t.term for t in self.root]
        dupes = sorted({v for v in seen if seen.count(v) > 1})
        if dupes:
            raise ValueError(f"listed twice (as a term or a variant): {', '.join(dupes)}")
        return self


def load_terms(path: Path, display_path: str) -> Terms:
    return validate_located(Terms, load_yaml(path, display_path))


def check_terms(source: str, path: str, terms: Terms) -> None:
    """Raise :class:`SourceError` listing every variant used in running text."""
    fm = front_matter_length(source)
    spans = [(0, fm)] + [(f.start, f.end) for f in scan(source, path)]
    spans += [(fm + a, fm + b) for a, b in code_spans(source[fm:])]
    text = mask_spans(source, sorted(spans))
    text = BRACKETS.sub(lambda m: " " * len(m.group(0)), text)
    errors = []
    for term in terms.root:
        for variant in term.avoid:
            for m in re.finditer(re.escape(variant), text):
                line = text.count("\n", 0, m.start()) + 1
                errors.append(
                    SourceError(path, line, f"'{variant}': write '{term.term}' ({term.en}); docs/data/terms.yml")
                )
    if errors:
        errors.sort(key=lambda e: e.line or 0)
        raise SourceError(path, errors[0].line, "one term per concept\n" + first_errors(errors))
