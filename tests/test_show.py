"""spbe_tools.show: tables and figures in notebooks look as an analyst prints them."""
from __future__ import annotations

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from IPython.core.formatters import DisplayFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from spbe_tools import show  # noqa: E402

URL = ("https://harianbengkuluekspress.bacakoran.co/read/4879/"
       "pemkot-raih-predikat-baik-penerapan-spbe-ini-dia-programnya")


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame({
        "rank_label": ["1", "2=", None],
        "instansi": ["Kota Bengkulu", "Kota Jambi", "Kota Sungai Penuh"],
        "index": [2.61, 2.6099999, float("nan")],
        "rank": pd.array([1, 2, None], dtype="Int64"),
        "gain": [0.0275, 0.5, 1.0],
        "synthetic": [True, False, False],
        "direction": ["up", "tie", ""],
        "sumber": [URL, None, ""],
    }, index=[10, 11, 12])


def test_headers_are_indonesian_and_the_index_is_hidden(table):
    html = show.table(table).to_html()
    for header in ("Peringkat", "Instansi", "Indeks", "Tambahan indeks", "Contoh", "Sumber"):
        assert f">{header}</th>" in html
    assert "rank_label" not in html and "row_heading" not in html and ">10<" not in html


def test_numbers_use_a_decimal_comma_and_missing_values_are_empty(table):
    html = show.table(table).to_html()
    assert ">2,61</td>" in html and html.count(">2,61</td>") == 2  # 2.6099999 prints 2,61
    assert ">0,0275</td>" in html  # small gains are not rounded away
    assert "nan" not in html.lower() and "&lt;NA&gt;" not in html and "None" not in html
    assert ">ya</td>" in html and "True" not in html and "False" not in html
    assert ">naik</td>" in html and ">tetap</td>" in html


def test_sources_are_never_cut_off_and_every_row_is_shown():
    df = pd.DataFrame({"instansi": [f"Kabupaten {i}" for i in range(700)], "sumber": URL})
    html = show.table(df).to_html()
    assert html.count(URL) == 700 and "Kabupaten 699" in html and "..." not in html


def test_english_keeps_a_decimal_point(table):
    html = show.table(table, "en").to_html()
    assert ">2.61</td>" in html and ">Index</th>" in html and ">yes</td>" in html


def _css_rules(html: str) -> dict[str, str]:
    """{selector list: declarations} of the Styler's <style> block."""
    css = html.split("<style", 1)[1].split("</style>", 1)[0].split(">", 1)[1]
    return {sel.strip(): body for sel, body in
            (rule.split("{", 1) for rule in css.split("}") if "{" in rule)}


def test_focal_rows_are_bold_and_columns_can_be_chosen(table):
    html = show.table(table, columns=["instansi", "index"],
                      bold_rows=[False, True, False]).to_html()
    assert ">Kota Jambi</td>" in html and "Sumber" not in html
    bold = " ".join(sel for sel, body in _css_rules(html).items() if "font-weight: bold" in body)
    assert "_row1_col0" in bold and "_row1_col1" in bold
    assert "_row0_" not in bold and "_row2_" not in bold


def test_the_same_table_renders_the_same_html(table):
    assert show.table(table).to_html() == show.table(table.copy()).to_html()


def test_a_figure_displays_as_a_png_image_once_registered():
    formatter = DisplayFormatter()
    fig = Figure()
    fig.add_subplot().plot([0, 1], [0, 1])
    before, _ = formatter.format(fig)
    assert "image/png" not in before  # pyplot-free figures have only a text repr by default
    show.register_figure_display(formatter)
    data, _ = formatter.format(fig)
    assert data["image/png"][:8] == b"\x89PNG\r\n\x1a\n"


def test_setup_outside_ipython_does_nothing():
    assert show.setup_notebook() is False
