"""The architecture matrix: one data file, rendered (never hand-written) on every page that shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from macros.data.architectures import FIELD_IDS
from macros.data.sitedata import load_site_data
from macros.outputs.matrix import WEIGHTS
from tests.helpers import DOCS, RENAMED, built_page, soup, source_pages


def expected_cell(fam, field: str) -> list[str] | str:
    value = getattr(fam, field)
    if field == "models":
        return [
            m.name
            + "（"
            + "；".join(
                [WEIGHTS[m.weights], *([f"许可证：{m.licence}"] if m.licence else []), *([m.note] if m.note else [])]
            )
            + "）"
            for m in value
        ]
    return value


def parse_matrices(html_file: Path) -> list[dict]:
    """Read each matrix back from the built HTML: {family id: {field: text or [items]}}."""
    out = []
    for div in soup(html_file).select("div.arch-matrix"):
        families = div["data-families"].split()
        fields = div["data-fields"].split()
        rows = div.select("table tbody tr")
        assert len(rows) == len(fields)
        table: dict[str, dict] = {f: {} for f in families}
        for field, row in zip(fields, rows, strict=True):
            cells = row.find_all("td")[1:]
            for fam, cell in zip(families, cells, strict=True):
                items = cell.find_all("li")
                table[fam][field] = [li.get_text() for li in items] if items else cell.get_text()
        out.append({"families": families, "fields": fields, "table": table, "labels": [r.td.get_text() for r in rows]})
    return out


def test_pages_show_matrix(site: Path) -> None:
    """Each arch_matrix() call in a source becomes one matrix in its built page."""
    calls = {src: (DOCS / src).read_text(encoding="utf-8").count("arch_matrix(") for src in source_pages()}
    assert any(calls.values()), "no page shows the architecture matrix"
    for src, n in calls.items():
        assert len(parse_matrices(built_page(site, src))) == n, f"{src}: {n} arch_matrix() call(s)"


def test_rendered_matrix_equals_data(site: Path) -> None:
    arch = load_site_data(DOCS).architectures
    seen = 0
    for src in source_pages():
        for m in parse_matrices(built_page(site, src)):
            seen += 1
            assert m["labels"] == [arch.fields[f] for f in m["fields"]]
            for fam_id in m["families"]:
                fam = arch.family(fam_id)
                for field in m["fields"]:
                    assert m["table"][fam_id][field] == expected_cell(fam, field), f"{src}: {fam_id}.{field}"
    assert seen, "no matrix found on any page"


def test_no_page_copies_the_matrix_by_hand() -> None:
    """Long data strings may only reach pages through the macro."""
    arch = load_site_data(DOCS).architectures
    phrases = {
        getattr(f, field)
        for f in arch.families
        for field in ("structure", "attention_input", "attention_output", "lm_loss_tokens", "training_efficiency")
    }
    phrases |= {s for f in arch.families for s in f.strengths + f.weaknesses if len(s) > 12}
    for src in source_pages():
        text = (DOCS / src).read_text(encoding="utf-8")
        for phrase in phrases:
            assert phrase not in text, f"docs/{src} repeats matrix content by hand: {phrase!r}"


def test_editing_data_changes_every_page(edited_site: Path) -> None:
    """Rename one model in the data file: every page that shows it changes, though no page was edited
    (the edited copy's other edits only add pages)."""
    family = load_site_data(DOCS).architectures.families[0]
    new = family.models[0].name + RENAMED
    shown = 0
    for src in source_pages():
        for m in parse_matrices(built_page(edited_site, src)):
            if "models" in m["fields"] and family.id in m["families"]:
                shown += 1
                assert any(item.startswith(new) for item in m["table"][family.id]["models"]), src
    assert shown >= 1


@pytest.mark.parametrize("field", FIELD_IDS)
def test_every_field_has_a_label(field: str) -> None:
    arch = load_site_data(DOCS).architectures
    assert arch.fields[field]
