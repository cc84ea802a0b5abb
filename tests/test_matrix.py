"""The architecture matrix: one data file, rendered (never hand-written) on every page that shows it."""

from __future__ import annotations

from pathlib import Path

from macros.data.architectures import FIELD_IDS
from macros.data.sitedata import load_site_data
from macros.outputs.matrix import WEIGHTS
from tests.conftest import Edited
from tests.helpers import DOCS, RENAMED, built_page, source_pages
from tests.published import parsed

ARCH = load_site_data(DOCS).architectures


def expected_cell(fam, field: str) -> list[str] | str:
    value = getattr(fam, field)
    if field != "models":
        return value
    return [
        m.name
        + "（"
        + "；".join(
            [WEIGHTS[m.weights], *([f"许可证：{m.licence}"] if m.licence else []), *([m.note] if m.note else [])]
        )
        + "）"
        for m in value
    ]


def parse_matrices(html_file: Path) -> list[dict]:
    """Read each matrix back from the built HTML: {family id: {field: text or [items]}}."""
    out: list[dict] = []
    if "arch-matrix" not in html_file.read_text(encoding="utf-8"):  # parsing a page takes far longer
        return out
    for div in parsed(html_file).select("div.arch-matrix"):
        families = div["data-families"].split()
        fields = div["data-fields"].split()
        rows = div.select("table tbody tr")
        assert len(rows) == len(fields)
        table: dict[str, dict] = {f: {} for f in families}
        for field, row in zip(fields, rows, strict=True):
            for fam, cell in zip(families, row.find_all("td")[1:], strict=True):
                items = cell.find_all("li")
                table[fam][field] = [li.get_text() for li in items] if items else cell.get_text()
        out.append({"families": families, "fields": fields, "table": table, "labels": [r.td.get_text() for r in rows]})
    return out


def test_pages_show_the_data_s_matrix(site: Path) -> None:
    """Each arch_matrix() call in a source becomes one matrix in its built page, with the
    data file's labels (every field has one) and values."""
    assert not [f for f in FIELD_IDS if not ARCH.fields.get(f)], "a field without a label"
    seen = 0
    for src in source_pages():
        matrices = parse_matrices(built_page(site, src))
        assert len(matrices) == (DOCS / src).read_text(encoding="utf-8").count("arch_matrix("), src
        for m in matrices:
            seen += 1
            assert m["labels"] == [ARCH.fields[f] for f in m["fields"]]
            for fam_id in m["families"]:
                for field in m["fields"]:
                    assert m["table"][fam_id][field] == expected_cell(ARCH.family(fam_id), field), f"{src}: {fam_id}"
    assert seen, "no page shows the architecture matrix"


def test_no_page_copies_the_matrix_by_hand() -> None:
    """Long data strings may only reach pages through the macro."""
    fields = ("structure", "attention_input", "attention_output", "lm_loss_tokens", "training_efficiency")
    phrases = {getattr(f, field) for f in ARCH.families for field in fields}
    phrases |= {s for f in ARCH.families for s in f.strengths + f.weaknesses if len(s) > 12}
    for src in source_pages():
        text = (DOCS / src).read_text(encoding="utf-8")
        for phrase in phrases:
            assert phrase not in text, f"docs/{src} repeats matrix content by hand: {phrase!r}"


def test_editing_data_changes_every_page(edited: Edited) -> None:
    """Rename one model in the data file: every page that shows it changes, though no page
    was edited (the edited copy's other edits add pages and move one)."""
    family = ARCH.families[0]
    new = family.models[0].name + RENAMED
    shown = 0
    for src in source_pages():
        at = edited.moved[1] if src == edited.moved[0] else src
        for m in parse_matrices(built_page(edited.site, at)):
            if "models" in m["fields"] and family.id in m["families"]:
                shown += 1
                assert any(item.startswith(new) for item in m["table"][family.id]["models"]), src
    assert shown >= 1
