"""Schema and loader for ``docs/data/architectures.yml``, the one data file behind the
architecture matrix and the attention-mask figures.

The pydantic models below *are* the schema (defined once); an invalid file stops
the build with the file, line and field named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from macros.data.bibliography import Bibliography
from macros.data.errors import SourceError
from macros.data.validation import validate_located
from macros.data.yamlfile import load_yaml

FamilyId = Literal["prefix_decoder", "causal_decoder", "encoder_decoder"]
FieldId = Literal[
    "structure",
    "attention_input",
    "attention_output",
    "lm_loss_tokens",
    "objectives",
    "models",
    "strengths",
    "weaknesses",
    "tasks",
    "training_efficiency",
]
FIELD_IDS: tuple[str, ...] = FieldId.__args__  # type: ignore[attr-defined]


class Model(BaseModel):
    """A representative model, the reference that classifies it and, for open weights,
    the licence they are released under and where that licence is written."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    source: str = Field(min_length=1, description="key in docs/data/bibliography.yml")
    weights: Literal["open", "closed"] = Field(
        description="open: the weights can be downloaded (under any licence); closed: API or paper only"
    )
    licence: str | None = Field(
        default=None, min_length=1, description="the weights' licence as a reader should know it; open weights only"
    )
    licence_source: str | None = Field(
        default=None,
        min_length=1,
        description="key in docs/data/bibliography.yml whose URL is the licence itself or the model card stating it",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _licence_with_open_weights(self) -> Model:
        if self.weights == "open" and not (self.licence and self.licence_source):
            raise ValueError("open weights need 'licence' and 'licence_source' (the licence text or the model card)")
        if self.weights == "closed" and (self.licence or self.licence_source):
            raise ValueError("closed weights have no licence: drop 'licence' and 'licence_source'")
        return self


class Family(BaseModel):
    """One architecture family: one column of the matrix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: FamilyId
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    aliases: list[str] = []
    mask: Literal["causal", "prefix", "encoder_decoder"]
    structure: str = Field(min_length=1)
    attention_input: str = Field(min_length=1)
    attention_output: str = Field(min_length=1)
    lm_loss_tokens: str = Field(min_length=1)
    objectives: list[str] = Field(min_length=1)
    models: list[Model] = Field(min_length=1)
    strengths: list[str] = Field(min_length=1)
    weaknesses: list[str] = Field(min_length=1)
    tasks: list[str] = Field(min_length=1)
    training_efficiency: str = Field(min_length=1)


class Architectures(BaseModel):
    """The whole data file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fields: dict[FieldId, str]
    families: list[Family] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete_and_unique(self) -> Architectures:
        missing = [f for f in FIELD_IDS if f not in self.fields]
        if missing:
            raise ValueError(f"'fields' lacks a label for: {', '.join(missing)}")
        ids = [f.id for f in self.families]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"family listed twice: {', '.join(dupes)}")
        return self

    def family(self, family_id: str) -> Family:
        for fam in self.families:
            if fam.id == family_id:
                return fam
        raise KeyError(f"unknown family '{family_id}' (known: {', '.join(f.id for f in self.families)})")


def load_architectures(path: Path, bib: Bibliography, display_path: str | None = None) -> Architectures:
    """Load, validate, and check that every model's source is in the bibliography."""
    doc = load_yaml(path, display_path)
    data = validate_located(Architectures, doc)
    for fi, fam in enumerate(data.families):
        for mi, model in enumerate(fam.models):
            for field in ("source", "licence_source"):
                key = getattr(model, field)
                if key is not None and bib.get(key) is None:
                    line = doc.line_of(["families", fi, "models", mi, field])
                    raise SourceError(
                        doc.path,
                        line,
                        f"field 'families.{fi}.models.{mi}.{field}': '{key}' is not a key of docs/data/bibliography.yml",
                    )
    return data
