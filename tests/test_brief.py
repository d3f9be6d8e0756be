"""spbe_tools.brief and `spbe brief`: open the written PPTX/XLSX and compare with the API."""
from __future__ import annotations

import zipfile
from pathlib import Path

import matplotlib
import pytest
from openpyxl import load_workbook
from pptx import Presentation

matplotlib.use("Agg")

from spbe_tools import brief, cli, compare, registry  # noqa: E402
from spbe_tools import processed as processed_tables  # noqa: E402  (a fixture is `processed`)
from spbe_tools.errors import ConfigError  # noqa: E402
from spbe_tools.office_files import FIXED_TIMESTAMP  # noqa: E402
from spbe_tools.wording import fmt_num  # noqa: E402

from _frames import RESULTS, regions_frame, results_frame, scores_frame  # noqa: E402


def _pack(tmp_path, region="Kota Bengkulu", *, scores=True, synthetic=False, **kw):
    return brief.write_pack(results_frame(synthetic=synthetic),
                            scores_frame(synthetic=synthetic) if scores else None,
                            region=region, year=2023, peers=kw.pop("peers", "province"),
                            regions=regions_frame(), reports_dir=tmp_path / "reports", **kw)


def _api(region="Kota Bengkulu", peers="province", synthetic=False):
    return compare.compare_region(results_frame(synthetic=synthetic), region, 2023, peers,
                           regions=regions_frame())


def _slide_titles(path: Path) -> list[str]:
    """The first text of each slide (its title)."""
    prs = Presentation(str(path))
    return [next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame and
                 sh.text_frame.text) for s in prs.slides]


def _slide_texts(path: Path) -> list[str]:
    prs = Presentation(str(path))
    return [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
            for s in prs.slides]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> dict[str, Path]:
    return _pack(tmp_path_factory.mktemp("brief"))


def test_pack_lands_in_reports_slug_year_with_every_file(pack):
    folder = pack["briefing.pptx"].parent
    assert folder.name == "kota-bengkulu-2023" and folder.parent.name == "reports"
    stems = ["01-ranking", "02-distribution", "03-trend", "04-domains", "05-indicators",
             "07-map"]
    expected = {f"{s}.{ext}" for s in stems for ext in ("png", "svg")}
    assert set(pack) == expected | {"ringkasan.xlsx", "briefing.pptx", "briefing.docx"}
    assert all(p.is_file() for p in pack.values())
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no temp left


def test_pptx_has_title_chart_and_sources_slides_with_api_numbers(pack):
    comp = _api()
    texts = _slide_texts(pack["briefing.pptx"])
    assert len(texts) == 1 + 6 + 1
    assert compare.headline(comp) in texts[0] and compare.headline(comp) in texts[1]
    assert f"{fmt_num(comp.index)} ({comp.predikat})" in texts[1]
    assert f"{comp.rank} dari {comp.n_ranked}" in texts[1]
    assert fmt_num(comp.band["distance_to_next"]) in texts[1]
    assert fmt_num(comp.peer_median) in texts[2]
    assert registry.evaluation(2023).decree in texts[-1]
    prs = Presentation(str(pack["briefing.pptx"]))
    pictures = [sh for s in list(prs.slides)[1:-1] for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 6


def test_xlsx_sheets_are_formatted_and_hold_the_api_numbers(pack):
    comp = _api()
    wb = load_workbook(pack["ringkasan.xlsx"])
    assert wb.sheetnames == ["Ringkasan", "Peringkat", "Perubahan", "Tren", "Skor domain",
                             "Skor indikator", "Sumber"]
    summary = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert summary["Indeks SPBE"] == comp.index
    assert summary["Indeks nasional (dipublikasikan)"] == comp.national_index
    assert summary["Margin di atas batas Baik"] == comp.band["margin_above_current"]
    assert summary["Jarak ke Sangat Baik"] == comp.band["distance_to_next"]
    assert summary["Jumlah Baik"] == 5 and summary["Jumlah Cukup"] == 6
    ws = wb["Peringkat"]
    header = [c.value for c in ws[1]]
    col = header.index("Indeks")
    drawn = [r[col] for r in ws.iter_rows(min_row=2, max_row=1 + comp.n_group, values_only=True)]
    assert drawn == comp.table["index"].tolist()
    assert ws.freeze_panes == "A2" and ws.cell(row=2, column=col + 1).number_format == "0.00##"
    assert ws.column_dimensions["C"].width > 10  # Instansi
    sources = [r[0] for r in wb["Sumber"].iter_rows(min_row=2, values_only=True)]
    assert registry.evaluation(2023).decree in sources


@pytest.mark.parametrize("region, folder", [("Kabupaten Lebong", "kabupaten-lebong-2023"),
                                            ("17", "provinsi-bengkulu-2023"),
                                            ("Kota Banda Aceh", "kota-banda-aceh-2023")])
def test_pack_works_for_a_kabupaten_a_province_and_another_kota(tmp_path, region, folder):
    written = _pack(tmp_path, region, scores=False)
    assert written["briefing.pptx"].parent.name == folder
    comp = _api(region)
    texts = _slide_texts(written["briefing.pptx"])
    assert len(texts) == 1 + 4 + 1  # no LHE scores for them: no domain/indicator slides
    assert "Peta predikat SPBE 2023" in texts[3]  # every pemda gets its province map
    assert compare.headline(comp) in texts[1]
    summary = {r[0]: r[1] for r in load_workbook(written["ringkasan.xlsx"])["Ringkasan"]
               .iter_rows(min_row=2, values_only=True) if r[0]}
    assert summary["Indeks SPBE"] == comp.index


def test_english_pack_uses_english_text_and_decimal_points(tmp_path):
    written = _pack(tmp_path, lang="en", scores=False)
    texts = _slide_texts(written["briefing.pptx"])
    assert "scored 2.61 (Baik)" in texts[0] and "5 of 11" in texts[1]


def test_synthetic_inputs_are_flagged_in_slides_and_workbook(tmp_path):
    written = _pack(tmp_path, synthetic=True)
    texts = _slide_texts(written["briefing.pptx"])
    assert "(contoh)" in texts[0] and "bukan hasil resmi" in texts[0]  # title slide warns
    wb = load_workbook(written["ringkasan.xlsx"])
    summary = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert summary["Jenis data"] == "contoh"
    notes = [ws.cell(row=ws.max_row, column=1).value for ws in wb.worksheets]
    assert all("data contoh" in n and "KepmenPANRB" not in n for n in notes)
    assert _slide_titles(written["briefing.pptx"])[5].endswith("(contoh)")  # domain profile


def test_synthetic_scores_alone_are_flagged_on_their_slides_and_sources(tmp_path):
    written = brief.write_pack(results_frame(), scores_frame(synthetic=True),
                               region="Kota Bengkulu", year=2023, regions=regions_frame(),
                               reports_dir=tmp_path)
    texts = _slide_texts(written["briefing.pptx"])
    assert "contoh" not in texts[1]  # the published ranking stays unflagged
    titles = _slide_titles(written["briefing.pptx"])
    assert titles[5].endswith("(contoh)") and titles[6].endswith("(contoh)")  # domains, indicators
    assert titles[0].endswith("(contoh)")  # the title slide says the pack holds examples
    assert "LHE: lhe.xlsx (contoh)" in texts[-1]
    wb = load_workbook(written["ringkasan.xlsx"])
    for name in ("Skor domain", "Skor indikator"):
        ws = wb[name]
        note = ws.cell(row=ws.max_row, column=1).value
        assert "data contoh" in note and "KepmenPANRB" not in note  # no decree for invented levels


def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path):
    frame = results_frame()
    frame.loc[frame["instansi_code"] == "17.07", "sumber"] = '=HYPERLINK("http://x","y")'
    written = brief.write_pack(frame, None, region="Kota Bengkulu", year=2023,
                               regions=regions_frame(), reports_dir=tmp_path)
    ws = load_workbook(written["ringkasan.xlsx"])["Peringkat"]
    cells = [c for row in ws.iter_rows() for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert cells[0].value == '=HYPERLINK("http://x","y")'


def test_a_pack_for_another_peer_group_does_not_overwrite_the_province_pack(tmp_path):
    province = _pack(tmp_path)["briefing.pptx"].parent
    category = _pack(tmp_path, peers="category")["briefing.pptx"].parent
    assert (province.name, category.name) == ("kota-bengkulu-2023",
                                              "kota-bengkulu-2023-category")
    assert (province / "briefing.pptx").is_file() and (category / "briefing.pptx").is_file()


def test_region_names_cannot_escape_the_reports_folder(tmp_path):
    out = brief.default_out_dir("../../x", 2023, tmp_path / "reports")
    assert out.parent == tmp_path / "reports" and out.name == "x-2023"
    with pytest.raises(ConfigError):
        _pack(tmp_path, "../../x")
    assert not (tmp_path / "reports").exists() or not any((tmp_path / "reports").iterdir())


def test_a_failed_write_keeps_the_previous_pack_and_leaves_no_temp(tmp_path, monkeypatch):
    first = _pack(tmp_path, scores=False)
    folder = first["briefing.pptx"].parent
    before = first["ringkasan.xlsx"].read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(brief, "write_pptx", boom)
    with pytest.raises(RuntimeError):
        _pack(tmp_path, scores=False)
    assert first["ringkasan.xlsx"].read_bytes() == before
    assert sorted(p.name for p in folder.parent.iterdir()) == [folder.name]


def test_rewriting_replaces_the_old_pack_and_drops_charts_it_no_longer_draws(tmp_path):
    first = _pack(tmp_path)
    assert (first["briefing.pptx"].parent / "04-domains.png").exists()
    second = _pack(tmp_path, scores=False)
    assert not (second["briefing.pptx"].parent / "04-domains.png").exists()


def test_a_file_saved_into_the_pack_folder_is_never_deleted(tmp_path):
    first = _pack(tmp_path)
    notes = first["briefing.pptx"].parent / "catatan-rapat.docx"
    notes.write_text("notes of the analyst")
    before = first["ringkasan.xlsx"].read_bytes()
    with pytest.raises(ConfigError, match="did not write.*catatan-rapat.docx"):
        _pack(tmp_path, scores=False)
    assert notes.read_text() == "notes of the analyst"
    assert first["ringkasan.xlsx"].read_bytes() == before  # the old pack stays as it was


@pytest.fixture
def processed(tmp_path) -> Path:
    folder = tmp_path / "processed"
    folder.mkdir()
    results_frame().to_csv(folder / "results.csv", index=False)
    scores_frame().to_csv(folder / "scores.csv", index=False)
    return folder


def test_brief_command_writes_the_pack_for_the_latest_year_by_default(processed, tmp_path,
                                                                      capsys):
    out = tmp_path / "out"
    argv = ["brief", "--region", "Provinsi Bengkulu", "--processed", str(processed),
            "--out", str(out)]
    assert cli.main(argv) == 0
    assert "files written" in capsys.readouterr().out
    texts = _slide_texts(out / "briefing.pptx")
    latest = max(y for y, c, *_ in RESULTS if c == "17")
    assert f"pada {latest}" in texts[0]


def test_brief_command_for_kota_bengkulu_2023_matches_compare(processed, tmp_path):
    out = tmp_path / "kb"
    assert cli.main(["brief", "--region", "Kota Bengkulu", "--year", "2023", "--processed",
                     str(processed), "--out", str(out)]) == 0
    results = processed_tables.load_processed(processed)[0]
    comp = compare.compare_region(results, "Kota Bengkulu", 2023)
    assert compare.headline(comp) in _slide_texts(out / "briefing.pptx")[1]
    assert len(_slide_texts(out / "briefing.pptx")) == 8  # scores.csv present: 6 charts


def test_pack_with_lhe_levels_adds_the_plan_slide_and_sheet(shipped_processed, tmp_path):
    from spbe_tools.build import run_build
    from spbe_tools.paths import DEMO_DIR
    from spbe_tools.target import target_view

    results, _ = processed_tables.load_processed(shipped_processed)
    scores = run_build(DEMO_DIR).scores
    written = brief.write_pack(results, scores, region="Kota Bengkulu", year=2023,
                               out_dir=tmp_path / "pack")
    assert "06-target.png" in written
    view = target_view(scores, results, "17.71", 2023, "Sangat Baik")
    deck = Presentation(written["briefing.pptx"])
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
             for s in deck.slides]
    assert any(view.headline in t and "Jalan menuju Sangat Baik" in t for t in texts)
    sheet = load_workbook(written["ringkasan.xlsx"])["Rencana"]
    rows = list(sheet.iter_rows(values_only=True))
    steps = [r[4] for r in rows[1:] if isinstance(r[4], int)]
    assert sum(steps) == view.plan.total_steps
    assert "data contoh" in str(rows[-1][0])


# --------------------------------------------------------------------------- honesty and layout

def _frame_fits(shape, size_pt: float) -> bool:
    from spbe_tools.text_fit import fits

    paragraphs = [p.text for p in shape.text_frame.paragraphs]
    inset_w = (shape.text_frame.margin_left + shape.text_frame.margin_right) / 12700
    inset_h = (shape.text_frame.margin_top + shape.text_frame.margin_bottom) / 12700
    return fits(paragraphs, shape.width / 12700 - inset_w, shape.height / 12700 - inset_h,
                size_pt)


@pytest.mark.parametrize("kw", [{}, {"peers": "category"}, {"lang": "en"},
                                {"synthetic": True}])
def test_no_text_runs_off_a_slide(tmp_path, kw):
    written = _pack(tmp_path, **kw)
    prs = Presentation(str(written["briefing.pptx"]))
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
            if not shape.has_text_frame or not shape.text_frame.text:
                continue
            sizes = {r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs}
            assert len(sizes) == 1, f"slide {number}: one size per box"
            assert _frame_fits(shape, sizes.pop()), \
                f"slide {number}: {shape.text_frame.text[:60]!r} overflows its box"


def test_a_long_headline_is_set_smaller_not_cut(tmp_path):
    written = _pack(tmp_path, peers="category")
    prs = Presentation(str(written["briefing.pptx"]))
    comp = _api(peers="category")
    boxes = [sh for sh in prs.slides[0].shapes if sh.has_text_frame
             and sh.text_frame.text == compare.headline(comp)]
    assert len(boxes) == 1 and _frame_fits(boxes[0], boxes[0].text_frame.paragraphs[0]
                                           .runs[0].font.size.pt)


def test_thin_coverage_is_stated_and_not_ranked(tmp_path):
    comp = _api("Kota Banda Aceh", peers="category")  # 3 of 6 kota in the fixture
    assert not comp.rank_representative
    head = compare.headline(comp)
    assert "belum representatif" in head and f"{comp.n_ranked} dari {comp.n_group}" in head
    assert "peringkat 1" not in head and "peringkat =" not in head
    written = _pack(tmp_path, "Kota Banda Aceh", peers="category", scores=False)
    assert "belum representatif" in _slide_texts(written["briefing.pptx"])[1]


def test_a_region_without_a_value_that_year_is_refused_unless_allowed(tmp_path):
    with pytest.raises(ConfigError, match=r"no SPBE index for 2024.*Expected: a year with a "
                                          r"value \(2023\)"):
        brief.write_pack(results_frame(), None, region="Kota Bengkulu", year=2024,
                         regions=regions_frame(), reports_dir=tmp_path)
    assert not any(tmp_path.iterdir())
    written = brief.write_pack(results_frame(), None, region="Kota Bengkulu", year=2024,
                               regions=regions_frame(), reports_dir=tmp_path,
                               allow_missing=True)
    texts = _slide_texts(written["briefing.pptx"])
    assert "Kota Bengkulu tidak memiliki nilai indeks SPBE 2024" in texts[0]
    assert "Kota Bengkulu tidak memiliki nilai 2024" in texts[2]  # distribution takeaway
    assert not any(" – dari median" in t or "– poin" in t for t in texts)


def test_the_trend_stops_at_the_briefed_year(tmp_path):
    written = _pack(tmp_path, "Kota Banda Aceh", scores=False)  # values up to 2024
    ws = load_workbook(written["ringkasan.xlsx"])["Tren"]
    years = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert max(years) == 2023


def test_a_published_predikat_outside_its_band_keeps_its_caveat():
    frame = results_frame()
    row = frame["instansi_code"] == "17.71"
    frame.loc[row & (frame["year"] == 2023), ["predikat", "predikat_flag"]] = ["Sangat Baik",
                                                                              "mismatch"]
    comp = compare.compare_region(frame, "Kota Bengkulu", 2023, regions=regions_frame())
    assert "predikat yang dipublikasikan (Sangat Baik) tidak sesuai rentang indeksnya (Baik)" \
        in compare.headline(comp)


def test_ringkasan_prints_one_page_wide_with_indonesian_headers(pack):
    wb = load_workbook(pack["ringkasan.xlsx"])
    for ws in wb.worksheets:
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows in {"1:1", "$1:$1"} and ws.print_area
        headers = [c.value for c in ws[1]]
        assert not {"rank_label", "peer_median", "instansi_code", "has_value"} & set(headers)
        values = [v for row in ws.iter_rows(min_row=2, values_only=True) for v in row]
        assert not any(isinstance(v, bool) for v in values)  # booleans print as "ya"/empty
    assert wb["Skor indikator"].page_setup.orientation == "landscape"
    assert wb["Ringkasan"].page_setup.orientation == "portrait"


def test_an_office_pptx_template_gives_its_layouts_and_size(tmp_path):
    template = Presentation()  # 4:3, the default masters; one slide to be dropped
    template.slides.add_slide(template.slide_layouts[0]).shapes.title.text = "HAPUS SAYA"
    template.save(tmp_path / "kantor.pptx")
    written = _pack(tmp_path, templates=[tmp_path / "kantor.pptx"], scores=False)
    prs = Presentation(str(written["briefing.pptx"]))
    assert (prs.slide_width, prs.slide_height) == (template.slide_width, template.slide_height)
    assert {s.slide_layout.name for s in prs.slides} == {"Title Only"}
    assert all(s.shapes.title is not None and s.shapes.title.text for s in prs.slides)
    assert "HAPUS SAYA" not in " ".join(_slide_texts(written["briefing.pptx"]))
    assert prs.slides[1].shapes.title.text == _slide_titles(written["briefing.pptx"])[1]


@pytest.mark.parametrize("name, message", [("kantor.key", "must be a .pptx or a .docx"),
                                           ("hilang.pptx", "not found")])
def test_a_wrong_template_is_refused_before_any_work(tmp_path, name, message):
    if name.endswith(".key"):
        (tmp_path / name).write_text("x")
    with pytest.raises(ConfigError, match=message):
        _pack(tmp_path, templates=[tmp_path / name])
    assert not (tmp_path / "reports").exists()


def test_the_pack_holds_the_word_nota_with_the_office_docx_styles(tmp_path):
    from docx import Document

    template = Document()
    template.styles["Normal"].font.name = "Courier New"
    template.save(tmp_path / "kantor.docx")
    written = _pack(tmp_path, templates=[tmp_path / "kantor.docx"], scores=False)
    nota = Document(str(written["briefing.docx"]))
    assert nota.styles["Normal"].font.name == "Courier New"
    body = "\n".join(p.text for p in nota.paragraphs)
    assert compare.headline(_api()) in body


def test_brief_for_several_regions_writes_one_pack_each_from_one_load(processed, tmp_path,
                                                                      monkeypatch, capsys):
    loads = []
    real_load = processed_tables.load_processed
    monkeypatch.setattr(processed_tables, "load_processed",
                        lambda *a, **k: loads.append(a) or real_load(*a, **k))
    reports = tmp_path / "reports"
    assert cli.main(["brief", "--region", "Kota Bengkulu", "--region", "Kabupaten Lebong",
                     "--year", "2023", "--processed", str(processed), "--reports", str(reports),
                     "--no-notebooks"]) == 0
    assert len(loads) == 1
    assert sorted(p.name for p in reports.iterdir()) == ["kabupaten-lebong-2023",
                                                         "kota-bengkulu-2023"]
    results = real_load(processed)[0]
    for folder, region in (("kota-bengkulu-2023", "Kota Bengkulu"),
                           ("kabupaten-lebong-2023", "Kabupaten Lebong")):
        headline = compare.headline(compare.compare_region(results, region, 2023))
        assert headline in _slide_texts(reports / folder / "briefing.pptx")[1]


def test_brief_for_a_province_checks_every_region_before_writing_any(processed, tmp_path):
    reports = tmp_path / "reports"
    argv = ["brief", "--province", "17", "--year", "2024", "--processed", str(processed),
            "--reports", str(reports), "--no-notebooks"]
    with pytest.raises(ConfigError, match="no SPBE index in the year asked") as caught:
        _raise_from(argv)
    missing = caught.value.found.split(", ")
    assert len(missing) == 10 and "Kota Bengkulu (2024)" in missing  # the province has 2024
    assert not reports.exists()  # nothing written before every region was checked


def _raise_from(argv: list[str]) -> None:
    """Run a command's handler so its ConfigError can be inspected (main turns it into 2)."""
    parser = cli.make_parser(argv[:1])
    args = parser.parse_args(argv)
    args.func(args)


def test_province_members_are_the_province_and_its_autonomous_kab_kota():
    from spbe_tools.commands.brief import _province_members

    members = _province_members("17")
    assert members[0] == "17" and len(members) == 11 and "17.71" in members
    with pytest.raises(ConfigError, match="province code"):
        _province_members("17.71")


def test_out_with_several_regions_is_refused(processed, tmp_path, capsys):
    assert cli.main(["brief", "--region", "Kota Bengkulu", "--region", "Kabupaten Lebong",
                     "--processed", str(processed), "--out", str(tmp_path / "x"),
                     "--no-notebooks"]) == 2
    assert "--out names the folder of one pack" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_a_pack_makes_its_peer_group_trend_and_plan_once(tmp_path, monkeypatch):
    calls = {"peer_group": 0, "trend_until": 0, "_focal_target": 0}

    def counted(module, name):
        real = getattr(module, name)

        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, wrapper)
    counted(brief, "peer_group")
    counted(brief, "trend_until")
    counted(brief, "_focal_target")
    _pack(tmp_path)
    assert calls == {"peer_group": 1, "trend_until": 1, "_focal_target": 1}


def test_the_same_inputs_give_a_pack_of_the_same_bytes(tmp_path):
    """Every file of a pack (charts, ringkasan.xlsx, briefing.pptx, briefing.docx) depends
    only on its inputs: office files carry fixed dates (spbe_tools.office_files)."""
    first = _pack(tmp_path / "a")
    second = _pack(tmp_path / "b")
    assert set(first) == set(second)
    changed = [name for name in first if first[name].read_bytes() != second[name].read_bytes()]
    assert changed == []
    with zipfile.ZipFile(first["ringkasan.xlsx"]) as zf:
        assert {info.date_time for info in zf.infolist()} == {FIXED_TIMESTAMP.timetuple()[:6]}
