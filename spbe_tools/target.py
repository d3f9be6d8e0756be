"""The target view: where an instansi stands against its predikat bands, and the plan up.

Combines the published index (``results``), the LHE indicator levels (``scores``) and
the exact planner (:mod:`spbe_tools.plan`) into what the analyst briefs: the margin
above the current band, the fewest indicator raises to reach a target predikat, and
which indicators put the current predikat most at risk. Pure: reads and writes no files.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from spbe_tools import plan as planner
from spbe_tools import registry
from spbe_tools.errors import ConfigError
from spbe_tools.wording import fmt_num, label, text

__all__ = ["TargetView", "target_view"]


@dataclass
class TargetView:
    """``summary`` is JSON-ready; ``plan``/``drop_risk`` are None without LHE levels."""

    code: str
    name: str
    year: int
    summary: dict
    headline: str
    plan: planner.Plan | None
    drop_risk: pd.DataFrame | None


def _published(results: pd.DataFrame, code: str, year: int) -> pd.Series | None:
    rows = results[(results["instansi_code"] == code) & (results["year"] == int(year))]
    return None if rows.empty else rows.iloc[0]


def _levels(scores: pd.DataFrame | None, code: str, year: int):
    if scores is None or scores.empty:
        return None
    try:
        return planner.levels_from_scores(scores, code, year)
    except ConfigError:
        return None


def _position(name: str, year: int, index: float, fw: str, lang: str) -> tuple[str, dict]:
    room = planner.headroom(index, fw)
    f = lambda v: fmt_num(v, lang=lang)  # noqa: E731
    values = {"name": name, "year": year, "index": f(index), "predikat": room.predikat}
    if room.margin is None:
        return text("target_position_bottom", lang, **values), {"predikat": room.predikat}
    return (text("target_position", lang, margin=f(room.margin), **values),
            {"predikat": room.predikat, "band_lower": room.lower,
             "margin_above_band": round(room.margin, 2)})


def _plan_sentence(p: planner.Plan, target: str, lang: str) -> str:
    f = lambda v: fmt_num(v, lang=lang)  # noqa: E731
    values = {"target": p.target_predikat or target, "target_index": f(p.target_index),
              "end_index": f(p.end_index)}
    if not p.feasible:
        return text("target_infeasible", lang, **values)
    if p.total_steps == 0:
        return text("target_reached", lang, **values)
    return text("target_plan", lang, steps=p.total_steps, n=len(p.raises), **values)


def target_view(scores: pd.DataFrame | None, results: pd.DataFrame, code: str, year: int,
                target: str | float = "Sangat Baik", *, name: str | None = None,
                lang: str = "id") -> TargetView:
    """Position, plan to ``target`` and drop risk for one instansi-year.

    The position uses the published index when ``results`` has one, else the index
    recomputed from the LHE levels. Synthetic LHE input is said in the headline.
    """
    row = _published(results, code, year)
    name = name or (row["instansi"] if row is not None else code)
    fw = registry.evaluation(year).framework
    lv = _levels(scores, code, year)
    summary: dict = {"instansi_code": code, "instansi": name, "year": int(year),
                     "framework": fw, "target": target}
    sentences = []
    index = float(row["index"]) if row is not None else None
    p = risk = None
    if lv is not None:
        levels, fw, synthetic = lv
        try:
            p = planner.plan_to_target(levels, fw, target)
            risk = planner.drop_risk(levels, fw)
        except ConfigError as exc:  # an incomplete or invalid level set: say so, plan nothing
            summary["plan_error"] = exc.describe()
            lv = None
    if lv is not None:
        summary.update({"recomputed_index": round(p.start_index, 2), "lhe_synthetic": synthetic,
                        "target_index": p.target_index, "feasible": p.feasible,
                        "total_steps": p.total_steps, "indicators_raised": len(p.raises),
                        "end_index": round(p.end_index, 4), "margin": round(p.margin, 4)})
        index = index if index is not None else p.start_index
    if index is not None:
        sentence, pos = _position(name, int(year), index, fw, lang)
        sentences.append(sentence)
        summary.update({"index": round(index, 2), **pos})
    if p is not None:
        sentences.append(_plan_sentence(p, str(target), lang))
        if summary["lhe_synthetic"]:
            sentences.append(f"({label('synthetic', lang)})")
    else:
        sentences.append(text("target_no_scores", lang, name=name, year=year))
    headline = " ".join(s if s.endswith(")") else s + "." for s in sentences)
    return TargetView(code, name, int(year), summary, headline, p, risk)
