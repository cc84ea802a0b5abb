"""Turn pydantic validation errors into located :class:`SourceError`s."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from macros.data.errors import SourceError, first_errors
from macros.data.yamlfile import LocatedYaml

M = TypeVar("M", bound=BaseModel)


def validate_located(model: type[M], doc: LocatedYaml, data: Any | None = None) -> M:
    """Validate ``doc.data`` (or ``data``) against ``model``; name file, line and field on failure."""
    try:
        return model.model_validate(doc.data if data is None else data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if isinstance(p, (str, int))]
            field = ".".join(str(p) for p in loc) or "(document)"
            errors.append(SourceError(doc.path, doc.line_of(loc), f"field '{field}': {err['msg']}"))
        raise SourceError(doc.path, errors[0].line, "invalid data\n" + first_errors(errors)) from exc
