"""spbe_tools.maps and spbe_tools.boundaries: what the map draws (patch colours per kode,
outline, hatching, lists, labels), not pixels; the shipped shapes cover every region."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

matplotlib.use("Agg")

from spbe_tools import (  # noqa: E402
    boundaries,
    maps,
    registry,
)
from spbe_tools.cli import main  # noqa: E402
from spbe_tools.errors import ConfigError  # noqa: E402
from spbe_tools.identity import load_regions  # noqa: E402
from spbe_tools.processed import load_processed  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCE_BOUNDARIES = PROJECT_ROOT / "tools" / "boundaries_source"


@pytest.fixture(scope="module")
def results(shipped_processed):
    return load_processed(shipped_processed)[0]


def _regions_drawn(fig) -> dict[str, matplotlib.patches.PathPatch]:
    return {p.get_gid().split(":", 1)[1]: p for p in fig.axes[0].patches
            if str(p.get_gid()).startswith("region:")}


def _lists(fig) -> str:
    return next(t.get_text() for t in fig.axes[1].texts if t.get_gid() == "lists")


def _labels(fig) -> dict[str, str]:
    return {t.get_gid().split(":", 1)[1]: t.get_text() for t in fig.axes[0].texts
            if str(t.get_gid()).startswith("label:")}


def _expected_band(row: pd.Series) -> str:
    """The colour key from the results row itself: published predikat, else the index band."""
    return row["predikat"] or registry.band_for(row["index"], row["framework"])


# --------------------------------------------------------------------------- shapes

def test_every_autonomous_region_in_the_reference_table_has_a_shape():
    regions = load_regions()
    autonomous = regions[regions["autonomous"].astype(str) == "1"]
    provinces = set(autonomous.loc[autonomous["type"] == "provinsi", "code"])
    kabkota = set(autonomous.loc[autonomous["type"] != "provinsi", "code"])
    assert len(provinces) == 38 and len(kabkota) == 508
    assert provinces <= set(boundaries.load_boundaries("province"))
    assert kabkota <= set(boundaries.load_boundaries("kabkota"))


def test_labels_sit_on_the_largest_part_not_the_first_island():
    utara = boundaries.load_boundaries("kabkota")["17.03"]  # first part: Pulau Enggano
    first, largest = utara.parts[0], boundaries.largest_part(utara)
    assert boundaries.ring_area(largest[0]) > 2 * boundaries.ring_area(first[0])
    point = boundaries.label_point(largest)
    assert boundaries.inside(np.array([point]), largest).all()
    assert not boundaries.inside(np.array([point]), first).any()


def test_shipped_boundaries_are_what_the_tool_writes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_boundaries",
                                                  PROJECT_ROOT / "tools" / "make_boundaries.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.main([str(SOURCE_BOUNDARIES), str(tmp_path)]) == 0
    for name in ("prov.geojson.gz", "kab.geojson.gz", "LICENSE-MIT.txt"):
        assert (tmp_path / name).read_bytes() == (boundaries.BOUNDARY_DIR / name).read_bytes()


# --------------------------------------------------------------------------- the province map

def test_bengkulu_map_draws_its_ten_kabkota_in_their_published_2023_colours(results):
    fig = maps.region_map(results, "Kota Bengkulu", 2023)
    drawn = _regions_drawn(fig)
    regions = load_regions()
    assert set(drawn) == set(regions.loc[regions["province_code"] == "17", "code"])
    assert len(drawn) == 10
    rows = results[(results["year"] == 2023)].set_index("instansi_code")
    colours = maps.band_colours()
    for kode, patch in drawn.items():
        if kode in rows.index:
            assert patch.get_facecolor() == to_rgba(colours[_expected_band(rows.loc[kode])]), kode
            assert not patch.get_hatch()
        else:  # the shipped build may lack a value: then the region is hatched, never coloured
            assert patch.get_hatch() and patch.get_facecolor() == to_rgba("#FFFFFF"), kode


def test_the_focal_region_is_outlined_thicker_than_the_others(results):
    fig = maps.region_map(results, "Kota Bengkulu", 2023)
    outlines = [p for p in fig.axes[0].patches if str(p.get_gid()).startswith("outline:")]
    assert [p.get_gid() for p in outlines] == ["outline:17.71"]
    assert not outlines[0].get_fill()
    assert outlines[0].get_linewidth() > max(p.get_linewidth()
                                             for p in _regions_drawn(fig).values())


def test_values_are_written_with_a_decimal_comma_on_the_map(results):
    fig = maps.region_map(results, "Kota Bengkulu", 2023)
    written = " ".join(_labels(fig).values()) + " " + _lists(fig)
    value = results.query("year == 2023 and instansi_code == '17.71'")["index"].iloc[0]
    assert f"{value:.2f}".replace(".", ",") in _labels(fig)["17.71"]
    assert "Kota Bengkulu" in _labels(fig)["17.71"]
    assert not any(ch.isdigit() and nxt == "." for ch, nxt in zip(written, written[1:]))


def test_labels_do_not_overlap(results):
    fig = maps.region_map(results, "Kota Bengkulu", 2023)
    renderer = fig.canvas.get_renderer()
    boxes = [matplotlib.text.Text.get_window_extent(t, renderer) for t in fig.axes[0].texts
             if str(t.get_gid()).startswith("label:")]
    assert len(boxes) >= 5
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b)


def test_a_region_without_a_value_is_hatched_and_listed(results):
    without = results[~((results["year"] == 2023) & (results["instansi_code"] == "17.06"))]
    fig = maps.region_map(without, "Kota Bengkulu", 2023)
    patch = _regions_drawn(fig)["17.06"]
    assert patch.get_hatch() and patch.get_facecolor() == to_rgba("#FFFFFF")
    assert "Tidak ada data 2023:\nKab. Mukomuko" in _lists(fig)
    assert "17.06" not in _labels(fig)  # no name or number drawn for it
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert "tidak ada data: 1" in legend


def test_a_region_without_a_shape_is_listed_with_its_value(results):
    shapes = dict(boundaries.load_boundaries("kabkota"))
    del shapes["17.04"]  # Kabupaten Kaur
    fig = maps.region_map(results, "Kota Bengkulu", 2023, shapes=shapes)
    assert "17.04" not in _regions_drawn(fig)
    kaur = results.query("year == 2023 and instansi_code == '17.04'")["index"].iloc[0]
    value = f"{kaur:.2f}".replace(".", ",")
    assert f"Tanpa batas wilayah di peta:\nKab. Kaur {value}" in _lists(fig)


def test_a_predikat_without_index_colours_the_band_but_is_never_a_number(results):
    r = results.copy()
    pick = (r["year"] == 2023) & (r["instansi_code"] == "17.06")
    r.loc[pick, "index"] = np.nan
    r.loc[pick, "predikat"] = "Sangat Baik"
    band = maps.region_map(r, "Kota Bengkulu", 2023)
    assert _regions_drawn(band)["17.06"].get_facecolor() == to_rgba(
        maps.band_colours()["Sangat Baik"])
    assert "17.06" not in _labels(band)
    assert "Kab. Mukomuko (Sangat Baik)" in _lists(band)
    by_index = maps.region_map(r, "Kota Bengkulu", 2023, by="index")
    assert _regions_drawn(by_index)["17.06"].get_hatch()


def test_synthetic_rows_say_contoh_in_the_title_and_the_source_note(results):
    r = results.assign(synthetic=True)
    fig = maps.region_map(r, "Kota Bengkulu", 2023)
    assert fig._suptitle.get_text().endswith("(contoh)")
    assert "contoh" in fig._supxlabel.get_text().splitlines()[0]
    plain = maps.region_map(results, "Kota Bengkulu", 2023)
    assert "contoh" not in plain._suptitle.get_text() + plain._supxlabel.get_text()
    assert plain._supxlabel.get_text().startswith(
        "Sumber: KepmenPANRB No. 13/2024, hasil evaluasi SPBE 2023")


def test_index_fill_uses_the_0_to_5_scale(results):
    fig = maps.region_map(results, "Kota Bengkulu", 2023, by="index")
    cmap = matplotlib.colormaps[maps.settings()["index_colormap"]]
    value = results.query("year == 2023 and instansi_code == '17.71'")["index"].iloc[0]
    np.testing.assert_allclose(_regions_drawn(fig)["17.71"].get_facecolor(), cmap(value / 5))


# --------------------------------------------------------------------------- the national map

def test_national_map_draws_38_provinces_names_only_the_focal_and_outlines_it(results):
    fig = maps.region_map(results, "Kota Bengkulu", 2023, level="province")
    assert len(_regions_drawn(fig)) == 38
    outlines = [p.get_gid() for p in fig.axes[0].patches
                if str(p.get_gid()).startswith("outline:")]
    assert outlines == ["outline:17"]
    labels = _labels(fig)
    assert "Bengkulu" in labels["17"]
    assert all(not any(ch.isalpha() for ch in text) for k, text in labels.items() if k != "17")


def test_a_central_agency_or_an_unknown_level_is_a_clear_error(results):
    with pytest.raises(ConfigError, match="needs a pemda"):
        maps.region_map(results, "Kementerian Keuangan", 2023)
    with pytest.raises(ConfigError, match="map level"):
        maps.region_map(results, "Kota Bengkulu", 2023, level="desa")


# --------------------------------------------------------------------------- writing

def test_save_map_writes_png_and_svg_atomically_and_byte_identically(results, tmp_path):
    fig = maps.region_map(results, "Kota Bengkulu", 2023)
    first = [p.read_bytes() for p in maps.save_map(fig, tmp_path / "a" / "peta")]
    again = maps.region_map(results, "Kota Bengkulu", 2023)
    paths = maps.save_map(again, tmp_path / "a" / "peta")
    assert [p.name for p in paths] == ["peta.png", "peta.svg"]
    assert [p.read_bytes() for p in paths] == first
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["peta.png", "peta.svg"]


def test_cli_map_writes_the_png_and_svg(shipped_processed, tmp_path, capsys):
    out = tmp_path / "peta.png"
    code = main(["map", "--region", "Kota Bengkulu", "--year", "2023", "--processed",
                 str(shipped_processed), "--out", str(out)])
    assert code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert out.with_suffix(".svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert str(out) in capsys.readouterr().out


def test_a_focal_province_is_outlined_around_its_kabkota_map(results):
    fig = maps.region_map(results, "Provinsi Bengkulu", 2023)
    assert len(_regions_drawn(fig)) == 10
    outlines = [p.get_gid() for p in fig.axes[0].patches
                if str(p.get_gid()).startswith("outline:")]
    assert outlines == ["outline:17"]
    legend = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert "Provinsi Bengkulu (garis tebal)" in legend
