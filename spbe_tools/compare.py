"""Compare one instansi with its peers and across years: pure functions on the tidy tables.

Inputs are the frames ``spbe build`` writes (columns in ``docs/architecture.md``):

* ``results``: one row per (year, instansi_code) with ``index`` (0–5, two decimals),
  ``predikat``, ``predikat_computed``, ``framework``, ``synthetic``, ``sumber``, ...
* ``scores``: one row per (year, instansi_code, level, item) with ``value``.
* ``regions``: the reference table of ``identity.load_regions()`` (``code, name, type,
  province_code, autonomous`` and optionally ``island``); it supplies the
  denominator of coverage for pemda groups.

Honesty rules built in: a missing value is never a zero (it is shown as missing
and left out of ranks and statistics); differences smaller than the published
precision (registry, 0.01) are ties; the national figure is the published
national index of the registry, never a mean of the rows at hand; SPBE facts
(bands, frameworks, decrees) come from the registry.

Nothing here reads files except :func:`load_processed`.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from spbe_tools import registry
from spbe_tools.errors import ConfigError
from spbe_tools.wording import fmt_num, short_decree, text

__all__ = [
    "MIN_MEDIAN_PEERS", "PEER_GROUPS", "PEMDA", "Comparison", "Context", "Focal", "PeerGroup", "load_context",
    "band_counts", "band_position", "change", "changes", "changes_into", "compare", "describe_group",
    "headline", "is_synthetic", "latest_year", "load_processed", "peer_group",
    "rank_is_representative", "rank_table", "reference_units", "resolve_focal", "score_gaps", "score_matrix",
    "source_note", "trend", "year_over_year",
]

PEER_GROUPS = ("province", "category", "island", "all", "custom")
# A group median over fewer valued members than this is not a peer picture: trend() leaves it
# out (NaN) and the trend chart says so. The one place this threshold lives.
MIN_MEDIAN_PEERS = 3
PEMDA = ("provinsi", "kabupaten", "kota")
# A rank is stated only when enough of the group has a value that year: at least
# RANK_MIN_VALUED members and RANK_MIN_COVERAGE of the group. Below that the text says
# how many have a value and that the rank is not representative (6 of 93 kota is not
# a national ranking).
RANK_MIN_VALUED = 5
RANK_MIN_COVERAGE = 0.5
_UNIT_COLUMNS = ["instansi_code", "instansi", "category", "province_code", "province", "island"]


# --------------------------------------------------------------------------- loading

def _coerce_results(df: pd.DataFrame, file: str = "results") -> pd.DataFrame:
    """Types of a results frame read as text (year int, index/index_raw float, synthetic
    bool), checked by :data:`spbe_tools.schema.RESULTS`: InputError naming file, row, column."""
    from spbe_tools import schema

    return schema.check_frame(df, schema.RESULTS, file=file)


def load_processed(processed_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read ``results.csv`` (required) and ``scores.csv`` (optional) of a processed folder.

    Codes stay text ("17.10" must not become 17.1), so every column is read as
    str and only ``year``, ``index``/``index_raw``/``value`` and ``synthetic`` are
    converted. Both tables are checked by :mod:`spbe_tools.schema`: a hand-edited or
    damaged file (text in a number column, a missing column, not UTF-8) raises
    InputError naming the file, row and column; then against the build's manifest
    (:func:`spbe_tools.output_set.verify`): a folder a build is writing, or one that
    mixes two builds, raises InputError too.
    """
    from spbe_tools import output_set, schema

    folder = Path(processed_dir)
    output_set.check_not_writing(folder)
    path = folder / "results.csv"
    if not path.is_file():
        raise ConfigError("no results table; run `spbe build` first", file=str(path),
                          expected="results.csv written by spbe build", found="nothing")
    results = schema.read_table(path, schema.RESULTS)
    scores = None
    if (folder / "scores.csv").is_file():
        scores = schema.read_table(folder / "scores.csv", schema.SCORES)
    output_set.verify(folder)  # one complete build, not a mix of two or a hand-edited table
    return results, scores


# --------------------------------------------------------------------------- identity

@dataclass(frozen=True)
class Focal:
    """The instansi being compared."""

    code: str
    name: str
    category: str
    province_code: str
    province: str
    island: str


def _regions(regions: pd.DataFrame | None) -> pd.DataFrame:
    """The regions reference table: the given one, or ``identity.load_regions()``."""
    if regions is not None:
        return regions
    from spbe_tools import identity  # imported late: identity is a sibling step

    return identity.load_regions()


def _island_map(regions: pd.DataFrame) -> dict[str, str]:
    """province_code -> island region, from the table or ``identity.island_of``."""
    prov = regions[regions["type"].astype(str) == "provinsi"]
    if "island" in regions.columns:
        return dict(zip(prov["code"].astype(str), prov["island"].astype(str)))
    from spbe_tools import identity

    return {code: identity.island_of(code) for code in prov["code"].astype(str)}


def reference_units(results: pd.DataFrame, regions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every instansi that could have a value: autonomous regions ∪ instansi in results.

    Returns columns ``instansi_code, instansi, category, province_code, province,
    island`` (str; province fields empty for central agencies). A province's own
    ``province_code`` is its code, so "all pemda of province 17" includes it.
    """
    all_regions = _regions(regions)
    reg = all_regions[all_regions["autonomous"].astype(str).isin(["1", "True", "true"])]
    islands = _island_map(all_regions)
    prov_names = dict(zip(reg.loc[reg["type"] == "provinsi", "code"].astype(str),
                          reg.loc[reg["type"] == "provinsi", "name"].astype(str)))
    is_prov = reg["type"].astype(str) == "provinsi"
    pcode = reg["province_code"].astype(str).where(~is_prov, reg["code"].astype(str))
    from_regions = pd.DataFrame({
        "instansi_code": reg["code"].astype(str).to_numpy(),
        "instansi": ("Provinsi " + reg["name"].astype(str)).where(is_prov, reg["name"].astype(str))
        .to_numpy(),
        "category": reg["type"].astype(str).to_numpy(),
        "province_code": pcode.to_numpy(),
    })
    latest = results.sort_values("year").drop_duplicates("instansi_code", keep="last")
    from_results = latest[["instansi_code", "instansi", "category", "province_code"]].astype(str)
    units = pd.concat([from_regions, from_results[~from_results["instansi_code"].isin(
        from_regions["instansi_code"])]], ignore_index=True)
    units["province_code"] = units["province_code"].replace({"nan": "", "None": ""})
    units["province"] = units["province_code"].map(prov_names).fillna("")
    units["island"] = units["province_code"].map(islands).fillna("")
    return units[_UNIT_COLUMNS].reset_index(drop=True)


def _focal_from_units(units: pd.DataFrame, code: str) -> Focal | None:
    row = units[units["instansi_code"] == code]
    if row.empty:
        return None
    r = row.iloc[0]
    return Focal(r["instansi_code"], r["instansi"], r["category"], r["province_code"],
                 r["province"], r["island"])


def resolve_focal(results: pd.DataFrame, region: str,
                  regions: pd.DataFrame | None = None) -> Focal:
    """Resolve a name or code to the focal instansi.

    Exact codes and canonical names (case-insensitive) are taken directly;
    anything else goes through ``identity.default_matcher()`` (aliases, fuzzy
    rules). An unresolvable name raises :class:`ConfigError` with candidates.
    """
    units = reference_units(results, regions)
    wanted = str(region).strip()
    hit = units[(units["instansi_code"] == wanted)
                | (units["instansi"].str.casefold() == wanted.casefold())]
    if not hit.empty:
        return _focal_from_units(units, hit.iloc[0]["instansi_code"])
    try:
        from spbe_tools import identity
    except ModuleNotFoundError:  # identity step not installed: only exact names work
        raise ConfigError(f"unknown region {wanted!r}", expected="a code or canonical name",
                          found=wanted) from None
    res = identity.default_matcher().resolve(wanted)
    if not res.ok:
        raise ConfigError(f"cannot resolve region {wanted!r}: {res.reason}",
                          expected="a region or agency name or code",
                          found="candidates: "
                          + (", ".join(map(str, res.candidates or ())) or "none"))
    focal = _focal_from_units(units, res.code)
    return focal or Focal(res.code, res.name, res.category, res.province_code or "",
                          res.province or "", "")


# --------------------------------------------------------------------------- peer groups

@dataclass(frozen=True)
class PeerGroup:
    """A peer group: ``members`` has the columns of :func:`reference_units`."""

    kind: str
    focal: Focal
    members: pd.DataFrame = field(repr=False, compare=False)


def _group_members(units: pd.DataFrame, focal: Focal, kind: str) -> pd.DataFrame:
    pemda = units["category"].isin(PEMDA)
    if kind in ("province", "island") and focal.category not in PEMDA:
        raise ConfigError(f"peer group {kind!r} needs a pemda; {focal.name} is a {focal.category}",
                          expected="--peers category, all or custom", found=kind)
    if kind == "province":
        return units[pemda & (units["province_code"] == focal.province_code)]
    if kind == "island":
        return units[pemda & (units["island"] == focal.island)]
    if kind == "category":
        return units[units["category"] == focal.category]
    return units[pemda]  # "all"


def peer_group(results: pd.DataFrame, focal: Focal, kind: str = "province", *,
               custom: list[str] | None = None,
               regions: pd.DataFrame | None = None) -> PeerGroup:
    """The peers of ``focal``: province | category | island | all | custom.

    ``custom`` is a list of names or codes (resolved like the focal); the focal
    instansi is always a member of its own group.
    """
    if kind not in PEER_GROUPS:
        raise ConfigError("unknown peer group", expected=" | ".join(PEER_GROUPS), found=str(kind))
    units = reference_units(results, regions)
    if kind == "custom":
        if not custom:
            raise ConfigError("custom peer group needs names or codes", expected="--custom A B …",
                              found="none")
        codes = {resolve_focal(results, name, regions).code for name in custom} | {focal.code}
        members = units[units["instansi_code"].isin(codes)]
    else:
        members = _group_members(units, focal, kind)
    if focal.code not in set(members["instansi_code"]):
        members = pd.concat([members, units[units["instansi_code"] == focal.code]])
    return PeerGroup(kind, focal, members.reset_index(drop=True))


def describe_group(group: PeerGroup, lang: str = "id") -> str:
    """Words for a group: 'pemda di Provinsi Bengkulu', 'kota se-Indonesia', ..."""
    f = group.focal
    if group.kind == "province":
        return text("group_province", lang, province=f.province)
    if group.kind == "island":
        return text("group_island", lang, island=f.island)
    if group.kind == "category":
        return text("group_category", lang,
                    category=text(f"category_names.{f.category}", lang))
    return text(f"group_{group.kind}", lang)


# --------------------------------------------------------------------------- ranks

def _shown_predikat(rows: pd.DataFrame) -> pd.Series:
    """Published predikat, or the computed band where the source gave none."""
    pub = rows["predikat"].fillna("").astype(str) if "predikat" in rows else None
    comp = (rows["predikat_computed"].fillna("").astype(str) if "predikat_computed" in rows
            else rows.apply(lambda r: registry.band_for(r["index"], r["framework"])
                            if pd.notna(r["index"]) else "", axis=1))
    return comp if pub is None else pub.where(pub != "", comp)


def _units_of(index: pd.Series) -> pd.Series:
    """Index in units of the published precision (integers), so ties are exact."""
    return (index / registry.published_precision()).round()


def rank_table(results: pd.DataFrame, year: int, group: PeerGroup) -> pd.DataFrame:
    """Rank the group's members in one year (index descending, ties shared).

    Returns one row per member: ``instansi_code, instansi, category, province,
    index (float, NaN = no value), predikat, has_value, rank (Int64, competition
    ranking "1224"), rank_label ("=3" when tied, "" without value), tied, is_focal,
    synthetic, sumber``; sorted by rank then name, members without value last.
    """
    year_rows = results[results["year"] == int(year)]
    keep = [c for c in ("instansi_code", "index", "predikat", "predikat_computed", "framework",
                        "synthetic", "sumber") if c in year_rows]
    t = group.members.merge(year_rows[keep], on="instansi_code", how="left")
    t["has_value"] = t["index"].notna()
    t["predikat"] = _shown_predikat(t).where(t["has_value"], "")
    units = _units_of(t["index"])
    t["rank"] = units.apply(lambda u: int((units > u).sum()) + 1 if pd.notna(u) else pd.NA)
    t["rank"] = t["rank"].astype("Int64")
    counts = units.map(units.value_counts())
    t["tied"] = (counts > 1) & t["has_value"]
    t["rank_label"] = [("=" if tied else "") + str(r) if pd.notna(r) else ""
                       for r, tied in zip(t["rank"], t["tied"])]
    t["is_focal"] = t["instansi_code"] == group.focal.code
    t["synthetic"] = t["synthetic"].fillna(False).astype(bool) if "synthetic" in t else False
    t["sumber"] = t["sumber"].fillna("").astype(str) if "sumber" in t else ""
    t = t.sort_values(["has_value", "rank", "instansi"], ascending=[False, True, True])
    cols = ["instansi_code", "instansi", "category", "province", "index", "predikat",
            "has_value", "rank", "rank_label", "tied", "is_focal", "synthetic", "sumber"]
    return t[cols].reset_index(drop=True)


def band_counts(table: pd.DataFrame, framework_key: str) -> dict[str, int]:
    """How many valued members per predikat, in registry band order (top first), zeros kept."""
    shown = table.loc[table["has_value"], "predikat"].value_counts()
    bands = registry.framework(framework_key).bands
    return {b.predikat: int(shown.get(b.predikat, 0)) for b in bands}


def band_position(index: float, framework_key: str) -> dict[str, object]:
    """Where an index sits in its framework's bands.

    Returns ``current_band``, ``current_lower`` (None for the bottom band),
    ``margin_above_current`` (index − lower bound), ``next_band``, ``next_lower``
    and ``distance_to_next`` (next lower bound − index), distances rounded to 2
    decimals; ``next_*`` are None in the top band.

    >>> band_position(2.61, "spbe-59-2020")["distance_to_next"]
    0.89
    """
    cur = registry.current_band(index, framework_key)
    nxt = registry.next_band(index, framework_key)
    return {
        "current_band": cur.predikat,
        "current_lower": cur.lower,
        "margin_above_current": None if cur.lower is None else round(index - cur.lower, 2),
        "next_band": None if nxt is None else nxt.predikat,
        "next_lower": None if nxt is None else nxt.lower,
        "distance_to_next": None if nxt is None else round(nxt.lower - index, 2),
    }


# --------------------------------------------------------------------------- the summary

@dataclass
class Comparison:
    """One instansi against one peer group in one year (see :func:`compare`)."""

    year: int
    framework: str
    framework_short: str
    focal: Focal
    peers: str
    index: float | None
    predikat: str | None
    rank: int | None
    rank_label: str | None
    tied: bool
    n_ranked: int
    n_group: int
    percentile: float | None
    peer_median: float | None
    peer_mean: float | None
    peer_best: float | None
    peer_best_names: list[str]
    gap_median: float | None
    gap_mean: float | None
    gap_best: float | None
    national_index: float | None
    national_predikat: str | None
    gap_national: float | None
    band: dict[str, object]
    band_counts: dict[str, int]
    synthetic: bool
    sources: list[str]
    table: pd.DataFrame = field(repr=False)
    rank_representative: bool = True
    predikat_flag: str = ""  # the focal row's flag in results (e.g. "mismatch"), "" if none
    predikat_computed: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: every field, the peer table as a list of records."""
        out = {k: v for k, v in asdict(self).items() if k != "table"}
        out["table"] = _records(self.table)
        return out


def _records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Records with None for missing values and plain Python numbers."""
    rows = df.astype(object).where(df.notna(), None).to_dict("records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows]


def _gap(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def _stat(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 2)


def _percentile(table: pd.DataFrame, focal_units: float) -> float | None:
    """Share of the other valued peers scoring strictly lower (ties are not 'lower')."""
    valued = _units_of(table.loc[table["has_value"], "index"])
    if len(valued) < 2:
        return None
    return round(100 * int((valued < focal_units).sum()) / (len(valued) - 1), 1)


def _peer_stats(table: pd.DataFrame) -> dict[str, object]:
    """Median / mean / best over members with a value (focal included), 2 dp; names of the best."""
    valued = table.loc[table["has_value"], "index"]
    if valued.empty:
        return {"peer_median": None, "peer_mean": None, "peer_best": None, "peer_best_names": []}
    best = _stat(valued.max())
    names = table.loc[table["has_value"] & (_units_of(table["index"]) == _units_of(
        pd.Series([best]))[0]), "instansi"].tolist()
    return {"peer_median": _stat(valued.median()), "peer_mean": _stat(valued.mean()),
            "peer_best": best, "peer_best_names": names}


def compare(results: pd.DataFrame, region: str, year: int, peers: str = "province", *,
            custom: list[str] | None = None, regions: pd.DataFrame | None = None,
            group: PeerGroup | None = None) -> Comparison:
    """Compare ``region`` (name or code) with a peer group in ``year``.

    Peer statistics (median / mean / best) are over every member with a value,
    the focal included; gaps are focal − statistic, rounded to 2 decimals. ``group``: the
    peer group already made for this focal (:func:`peer_group`), so a caller that needs
    it too makes it once.
    """
    focal = group.focal if group is not None else resolve_focal(results, region, regions)
    ev = _evaluation(year)
    fw = registry.framework(ev.framework)
    table = rank_table(results, year, group if group is not None else peer_group(
        results, focal, peers, custom=custom, regions=regions))
    me = table[table["is_focal"]].iloc[0]
    index = float(me["index"]) if me["has_value"] else None
    stats = _peer_stats(table)
    return Comparison(
        year=int(year), framework=fw.key, framework_short=fw.short, focal=focal, peers=peers,
        index=index, predikat=me["predikat"] or None,
        rank=None if index is None else int(me["rank"]),
        rank_label=me["rank_label"] or None, tied=bool(me["tied"]),
        n_ranked=int(table["has_value"].sum()), n_group=int(len(table)),
        percentile=None if index is None else _percentile(table, _units_of(pd.Series([index]))[0]),
        **stats,
        gap_median=_gap(index, stats["peer_median"]), gap_mean=_gap(index, stats["peer_mean"]),
        gap_best=_gap(index, stats["peer_best"]),
        national_index=ev.national_index, national_predikat=ev.national_predikat,
        gap_national=_gap(index, ev.national_index),
        band={} if index is None else band_position(index, fw.key),
        band_counts=band_counts(table, fw.key),
        synthetic=bool(table.loc[table["has_value"], "synthetic"].any()),
        sources=_sources(table, int(year)), table=table,
        rank_representative=rank_is_representative(int(table["has_value"].sum()), len(table)),
        **_focal_flags(results, focal.code, int(year)),
    )


def rank_is_representative(n_ranked: int, n_group: int) -> bool:
    """True when enough of the group has a value for a rank to mean something.

    >>> rank_is_representative(11, 11), rank_is_representative(6, 93), rank_is_representative(1, 1)
    (True, False, False)
    """
    return n_ranked >= RANK_MIN_VALUED and n_ranked >= RANK_MIN_COVERAGE * n_group


def _focal_flags(results: pd.DataFrame, code: str, year: int) -> dict[str, object]:
    """The focal row's doubt flag and computed band, so no text drops the caveat."""
    rows = results[(results["instansi_code"] == code) & (results["year"] == year)]
    if rows.empty:
        return {}
    row = rows.iloc[0]
    flag = row.get("predikat_flag", "")
    computed = row.get("predikat_computed", None)
    return {"predikat_flag": "" if pd.isna(flag) else str(flag),
            "predikat_computed": None if pd.isna(computed) or computed == "" else str(computed)}


def _evaluation(year: int) -> registry.Evaluation:
    try:
        return registry.evaluation(year)
    except KeyError:
        raise ConfigError("no SPBE evaluation for this year",
                          expected=f"one of {list(registry.evaluations())}",
                          found=str(year)) from None


def _sources(table: pd.DataFrame, year: int) -> list[str]:
    """The year's decree (registry) and the distinct per-row sources of valued members."""
    out = []
    decree = registry.evaluation(year).decree
    if decree:
        out.append(decree)
    for s in table.loc[table["has_value"], "sumber"]:
        if s and s not in out:
            out.append(s)
    return out


@dataclass
class Context:
    """What a notebook or command works on: the processed tables, the focal, the year."""

    results: pd.DataFrame
    scores: pd.DataFrame | None
    focal: Focal
    year: int


def load_context(processed_dir: str | Path, region: str, year: int | None = None) -> Context:
    """Load the processed tables and resolve ``region``; ``year`` None = its latest year."""
    results, scores = load_processed(processed_dir)
    focal = resolve_focal(results, region)
    chosen = int(year) if year else latest_year(results, focal.code)
    if chosen is None:
        raise ConfigError(f"{focal.name} has no index in any year of the processed results",
                          file=str(processed_dir))
    return Context(results, scores, focal, chosen)


def latest_year(results: pd.DataFrame, code: str) -> int | None:
    """The latest year in which ``code`` has an index, or None."""
    years = results.loc[(results["instansi_code"] == code) & results["index"].notna(), "year"]
    return None if years.empty else int(years.max())


# --------------------------------------------------------------------------- text

def headline(comp: Comparison, lang: str = "id") -> str:
    """One sentence with the index, rank (with denominator), national gap and band margins."""
    f = lambda v, **kw: fmt_num(v, lang=lang, **kw)  # noqa: E731 - local shorthand
    group = describe_group(PeerGroup(comp.peers, comp.focal, pd.DataFrame()), lang)
    coverage = text("coverage_statement", lang, n_ranked=comp.n_ranked, n_group=comp.n_group,
                    group=group, year=comp.year)
    if comp.index is None:
        return text("headline_no_value", lang, name=comp.focal.name, year=comp.year,
                    coverage=coverage)
    if not comp.rank_representative:
        parts = [text("rank_not_representative", lang, coverage=coverage)]
    else:
        parts = [text("rank_statement", lang, rank=comp.rank_label, n_ranked=comp.n_ranked,
                      group=group, year=comp.year)]
        if comp.n_ranked < comp.n_group:  # say how many could have had a value
            parts[0] += f" ({coverage})"
    if comp.national_index is not None:
        key = ("vs_national_equal" if comp.gap_national == 0 else
               "vs_national_above" if comp.gap_national > 0 else "vs_national_below")
        parts.append(text(key, lang, national=f(comp.national_index)))
    b = comp.band
    if b.get("margin_above_current") is not None:
        parts.append(text("margin_statement", lang, margin=f(b["margin_above_current"]),
                          band=b["current_band"]))
    parts.append(text("distance_statement", lang, distance=f(b["distance_to_next"]),
                      band=b["next_band"]) if b.get("next_band") else text("top_band_statement",
                                                                              lang))
    if comp.predikat_flag == "mismatch" and comp.predikat_computed:
        parts.append(text("flag_mismatch", lang, predikat=comp.predikat,
                          computed=comp.predikat_computed))
    return text("headline", lang, name=comp.focal.name, index=f(comp.index),
                predikat=comp.predikat, year=comp.year, rank_statement="; ".join(parts))


def is_synthetic(rows: pd.DataFrame) -> bool:
    """True when any row drawn from is synthetic (column ``synthetic``)."""
    return "synthetic" in rows and bool(rows["synthetic"].fillna(False).astype(bool).any())


def source_note(rows: pd.DataFrame, lang: str = "id") -> str:
    """'Sumber: KepmenPANRB No. 13/2024, hasil evaluasi SPBE 2023' from the rows' years.

    Decrees come from the registry; a year without a known decree is cited by
    its year only. When every row is synthetic it cites no decree and says the data
    are an example; when some are, it ends with "sebagian data contoh".
    """
    if is_synthetic(rows) and bool(rows["synthetic"].fillna(False).astype(bool).all()):
        # invented values have no decree to cite
        return f"{text('source_prefix', lang)}: {text('source_synthetic_all', lang)}"
    years = sorted({int(y) for y in rows["year"]}) if len(rows) else []
    decrees = [short_decree(d) for y in years
               if (d := registry.evaluation(y).decree if y in registry.evaluations() else None)]
    body = text("source_results", lang, years=", ".join(map(str, years))) if years else \
        text("source_fallback", lang)
    note = f"{text('source_prefix', lang)}: " + ", ".join(decrees + [body])
    if is_synthetic(rows):
        note += f" — {text('source_synthetic_part', lang)}"
    return note


# --------------------------------------------------------------------------- years

def _ranked(results: pd.DataFrame, year: int, group: PeerGroup) -> pd.DataFrame:
    t = rank_table(results, year, group)
    return t[["instansi_code", "instansi", "index", "predikat", "rank", "rank_label"]]


_CHANGE_COLUMNS = ["instansi_code", "instansi", "index_a", "index_b", "delta", "direction", "rank_a",
                   "rank_b", "rank_change", "predikat_a", "predikat_b", "transition",
                   "series_break"]


def changes(results: pd.DataFrame, year_a: int, year_b: int, group: PeerGroup) -> pd.DataFrame:
    """Change of every member from ``year_a`` to ``year_b`` (ranks within the group each year).

    Returns ``instansi_code, instansi, index_a, index_b, delta (rounded 2 dp),
    direction (up|down|tie|"" when a year is missing; |delta| < 0.01 is a tie),
    rank_a, rank_b, rank_change (rank_a − rank_b: positive = moved up),
    predikat_a, predikat_b, transition ("Cukup → Baik", "" when unchanged or
    missing), series_break (bool, frameworks differ)``.
    """
    for year in (year_a, year_b):
        _evaluation(year)  # unknown years are a ConfigError, not a KeyError
    a = _ranked(results, year_a, group)
    b = _ranked(results, year_b, group).drop(columns="instansi")
    t = a.merge(b, on="instansi_code", suffixes=("_a", "_b"))
    t["delta"] = (t["index_b"] - t["index_a"]).round(2)
    d_units = _units_of(t["index_b"]) - _units_of(t["index_a"])
    t["direction"] = ["" if pd.isna(u) else "tie" if u == 0 else "up" if u > 0 else "down"
                      for u in d_units]
    t["rank_change"] = (t["rank_a"] - t["rank_b"]).astype("Int64")
    t["transition"] = [f"{pa} → {pb}" if pa and pb and pa != pb else ""
                       for pa, pb in zip(t["predikat_a"], t["predikat_b"])]
    t["series_break"] = registry.series_break(year_a, year_b)
    return t[_CHANGE_COLUMNS]


def year_over_year(results: pd.DataFrame, group: PeerGroup) -> pd.DataFrame:
    """:func:`changes` for every pair of consecutive years in which the group has values,
    stacked, with ``year_a, year_b`` in front; members missing in both years are dropped."""
    years = sorted(set(results.loc[results["instansi_code"].isin(group.members["instansi_code"])
                                   & results["index"].notna(), "year"].astype(int)))
    frames = []
    for a, b in zip(years, years[1:]):
        t = changes(results, a, b, group)
        t = t[t["index_a"].notna() | t["index_b"].notna()]
        frames.append(t.assign(year_a=a, year_b=b))
    cols = ["year_a", "year_b"]
    if not frames:
        return pd.DataFrame(columns=cols + _CHANGE_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out[cols + _CHANGE_COLUMNS]


def changes_into(results: pd.DataFrame, group: PeerGroup, year: int) -> pd.DataFrame:
    """The group's change into ``year`` from the previous year with values: the rows of
    :func:`year_over_year` whose ``year_b`` is ``year`` (index t-1, t, change, predikat
    transition, rank change); empty when ``year`` has no earlier year with values."""
    rows = year_over_year(results, group)
    return rows[rows["year_b"] == int(year)].reset_index(drop=True)


def change(results: pd.DataFrame, group: PeerGroup, year_a: int, year_b: int) -> dict[str, object]:
    """The focal member's row of :func:`changes`, as a dict (plus both frameworks)."""
    row = changes(results, year_a, year_b, group)
    row = row[row["instansi_code"] == group.focal.code]
    out = _records(row)[0]
    out.update(year_a=int(year_a), year_b=int(year_b),
               framework_a=registry.evaluation(year_a).framework,
               framework_b=registry.evaluation(year_b).framework)
    return out


def trend(results: pd.DataFrame, group: PeerGroup) -> pd.DataFrame:
    """The focal's index per registry year up to the latest year in ``results``.

    Returns ``year, index (NaN = no value), predikat, framework, series_break
    (framework differs from the previous listed year), peer_median (over members
    with a value that year; NaN when fewer than ``MIN_MEDIAN_PEERS`` have one),
    n_peers_valued, n_group (members of the group), national_index (registry),
    synthetic (any valued member that year is synthetic)``. Years without a value
    are kept so gaps stay visible.
    """
    last = int(results["year"].max())
    rows = []
    for year, ev in registry.evaluations().items():
        if year > last:
            break
        t = rank_table(results, year, group)
        me = t[t["is_focal"]].iloc[0]
        valued = t.loc[t["has_value"], "index"]
        rows.append({"year": year, "index": me["index"], "predikat": me["predikat"],
                     "framework": ev.framework,
                     "peer_median": valued.median() if len(valued) >= MIN_MEDIAN_PEERS
                     else float("nan"),
                     "n_peers_valued": int(len(valued)), "n_group": int(len(t)),
                     "national_index": ev.national_index if ev.national_index is not None
                     else float("nan"),
                     # the peer median draws on every valued member, so any synthetic one counts
                     "synthetic": bool(t.loc[t["has_value"], "synthetic"].any())})
    out = pd.DataFrame(rows)
    changed = out["framework"].ne(out["framework"].shift())
    out["series_break"] = changed & (out.index > 0)
    return out


# --------------------------------------------------------------------------- scores

def score_gaps(scores: pd.DataFrame, group: PeerGroup, year: int,
               level: str = "domain") -> pd.DataFrame:
    """Focal's scores at one level vs the group's median and best.

    ``scores`` has ``year, instansi_code, level, item, item_name, value``.
    Returns ``item, item_name, value, peer_median, peer_best, gap_median,
    gap_best (focal − statistic, 2 dp), n_peers`` (members with a score for the
    item, focal included); empty when the focal has no score at that level.
    """
    s = scores[(scores["year"] == int(year)) & (scores["level"] == level)
               & scores["instansi_code"].isin(group.members["instansi_code"])
               & scores["value"].notna()]
    stats = s.groupby("item")["value"].agg(peer_median="median", peer_best="max", n_peers="count")
    mine = s[s["instansi_code"] == group.focal.code][["item", "item_name", "value"]]
    out = mine.merge(stats.reset_index(), on="item", how="left")
    out["gap_median"] = (out["value"] - out["peer_median"]).round(2)
    out["gap_best"] = (out["value"] - out["peer_best"]).round(2)
    cols = ["item", "item_name", "value", "peer_median", "peer_best", "gap_median", "gap_best",
            "n_peers"]
    return out[cols].sort_values("item", key=_natural).reset_index(drop=True)


def _item_order(item: str) -> tuple[int, str]:
    """Sort key for item codes: D2 before D10."""
    digits = "".join(ch for ch in str(item) if ch.isdigit())
    return (int(digits) if digits else 0, str(item))


def _natural(items: pd.Series) -> pd.Series:
    return items.map(_item_order)


def score_matrix(scores: pd.DataFrame, group: PeerGroup, year: int,
                 level: str = "indicator") -> pd.DataFrame:
    """Instansi (rows, focal first) × item (columns, natural order) of ``value``; NaN = missing."""
    s = scores[(scores["year"] == int(year)) & (scores["level"] == level)
               & scores["instansi_code"].isin(group.members["instansi_code"])]
    if s.empty:
        return pd.DataFrame()
    m = s.pivot_table(index="instansi_code", columns="item", values="value", aggfunc="first")
    m = m[sorted(m.columns, key=_item_order)]
    names = dict(zip(group.members["instansi_code"], group.members["instansi"]))
    order = sorted(m.index, key=lambda c: (c != group.focal.code, names.get(c, c)))
    m = m.loc[order]
    m.index = [names.get(c, c) for c in m.index]
    return m
