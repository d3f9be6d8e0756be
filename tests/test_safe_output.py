"""Safe outputs: nothing we write is evaluated by a spreadsheet; no name leaves its folder."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spbe_tools.safe_output import neutralise, neutralise_frame, safe_slug


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+A1", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://x","klik")', "=cmd|' /C calc'!A0"])
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Kota Bengkulu", "", "2,61", " =1", 2.61, -1.5, 0, None,
                                   True])
def test_harmless_values_are_left_alone(value):
    assert neutralise(value) is value or neutralise(value) == value


def test_neutralise_frame_touches_text_columns_only_and_returns_a_copy():
    df = pd.DataFrame({"name": ["=1+1", "Kota Bengkulu"], "index": [-1.5, 2.61]})
    out = neutralise_frame(df)
    assert list(out["name"]) == ["'=1+1", "Kota Bengkulu"]
    assert list(out["index"]) == [-1.5, 2.61]
    assert list(df["name"]) == ["=1+1", "Kota Bengkulu"]


def test_neutralised_text_stays_text_in_an_xlsx_and_in_a_csv():
    df = neutralise_frame(pd.DataFrame({"name": ["=SUM(1,1)", "@A1", "+1"]}))
    buf = io.BytesIO()
    df.to_excel(buf, index=False)
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    cells = [ws.cell(r, 1) for r in range(2, 5)]
    assert all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells] == ["'=SUM(1,1)", "'@A1", "'+1"]
    lines = df.to_csv(index=False).splitlines()[1:]
    assert all(line.lstrip('"').startswith("'") for line in lines)


@pytest.mark.parametrize("name, slug", [
    ("../../x", "x"), ("..\\..\\Windows\\system32", "windows-system32"),
    ("/etc/passwd", "etc-passwd"), ("Kota Bengkulu", "kota-bengkulu"),
    ("Kabupaten Pangkajene dan Kepulauan", "kabupaten-pangkajene-dan-kepulauan"),
    ("..", "region"), ("", "region"), ("nul\0byte", "nul-byte"), ("Bénédicte", "benedicte"),
])
def test_region_names_become_slugs_that_cannot_escape(name, slug):
    assert safe_slug(name) == slug


@given(st.text(max_size=200))
def test_any_name_maps_to_a_file_directly_inside_the_output_folder(name):
    slug = safe_slug(name)
    assert slug and len(slug) <= 80
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    path = Path("/srv/out") / (slug + ".csv")  # how the brief names its pack folders
    assert str(path.parent) == "/srv/out" and path.resolve().parent == Path("/srv/out")
