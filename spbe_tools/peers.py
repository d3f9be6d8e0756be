"""The instansi being compared (:class:`Focal`) and its peer group — the
pemda of its province or island region, its category, every pemda, or a custom list.

``regions`` is the reference table of ``identity.load_regions()`` (``code, name, type,
province_code, autonomous`` and optionally ``island``): it gives the members that could
have a value, so a group's denominator counts the regions without one too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from spbe_tools.categories import REGION_CATEGORIES
from spbe_tools.errors import ConfigError
from spbe_tools.wording import text

__all__ = ["PEER_GROUPS", "PEMDA", "Focal", "PeerGroup", "describe_group", "peer_group",
           "reference_units", "resolve_focal"]

PEER_GROUPS = ("province", "category", "island", "all", "custom")
PEMDA = REGION_CATEGORIES  # the categories of a pemda: provinsi, kabupaten, kota
_UNIT_COLUMNS = ["instansi_code", "instansi", "category", "province_code", "province", "island"]


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
