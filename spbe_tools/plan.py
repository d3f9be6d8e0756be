"""Target planner: the cheapest set of one-level raises that lifts an index to a predikat.

Why one module of ~420 lines: one planner. The exact search (a knapsack over one-level
steps) and the fewest-indicators objective share the candidate table and the checks
against the framework's weights.

The index is Σ level × weight / Σ weight (see :mod:`spbe_tools.registry.structure`).
All arithmetic is on integers: weights in hundredths of a percent point
(``weight_units``), the target as an exact fraction, so 3.4999999 never passes
for 3.50. The plan reaches the target on the *unrounded* index, so the published
(2-decimal) index reaches it too.

The optimiser is a bounded knapsack solved exactly by dynamic programming over
(indicator, gain so far): for each indicator choose 0…room raises, minimise total
effort (then total steps; with effort 1 per step: the fewest one-level steps), or —
objective ``"indicators"`` — the fewest distinct indicators raised (then steps),
subject to gain ≥ need. Greedy by weight is not exact
once levels are capped at 5 or efforts differ; tests check the DP against brute force.

>>> levels = {n: 3 for n in range(1, 48)}
>>> p = plan_to_target(levels, "spbe-59-2020", "Sangat Baik")
>>> p.start_index, p.end_index, p.total_steps, p.feasible
(3.0, 3.5, 18, True)
>>> headroom(2.61, "spbe-59-2020")
Headroom(predikat='Baik', lower=2.6, margin=0.01)
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import reduce
from typing import NamedTuple

import numpy as np
import pandas as pd

from spbe_tools import registry
from spbe_tools.errors import ConfigError
from spbe_tools.registry import structure

__all__ = ["Plan", "Headroom", "plan_to_target", "headroom", "drop_risk", "fewest_drops",
           "min_effort_steps", "min_indicator_steps", "OBJECTIVES", "resolve_target",
           "normalise_levels", "levels_from_scores"]

RAISE_COLUMNS = ["indicator", "name", "from_level", "to_level", "steps", "weight", "gain",
                 "effort"]
_EFFORT_SCALE = 10**6      # efforts are compared at a resolution of 1e-6
_MAX_EFFORT = 10**6        # keeps the integer DP key inside int64
_INF = np.int64(2**62)


@dataclass(frozen=True)
class Plan:
    """Result of :func:`plan_to_target`.

    ``raises`` columns: indicator (int), name, from_level, to_level, steps (int),
    weight (% of index), gain (index points), effort (steps × effort per step).
    Indices are unrounded index points (0–5); margin = end_index − target_index.
    """

    framework: str
    raises: pd.DataFrame
    start_index: float
    end_index: float
    target_index: float
    target_predikat: str | None
    margin: float
    feasible: bool
    reason: str
    total_steps: int = 0
    total_effort: float = 0.0
    notes: tuple[str, ...] = field(default=())
    objective: str = "steps"  # see OBJECTIVES

    @property
    def indicators_raised(self) -> int:
        return len(self.raises)


class Headroom(NamedTuple):
    """Current predikat, its inclusive lower bound and how far above it the index sits."""

    predikat: str
    lower: float | None
    margin: float | None


# ---------------------------------------------------------------------------
# input normalisation

def _indicator_number(key: object, ind: pd.DataFrame) -> int:
    """17, "17", "I17" or an exact indicator name -> 17; ConfigError otherwise."""
    numbers = set(ind["number"])
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        number = int(key)
    else:
        text = str(key).strip()
        if text[:1] in "Ii" and text[1:].isdigit():
            text = text[1:]
        if text.isdigit():
            number = int(text)
        else:
            names = dict(zip(ind["name"].str.casefold(), ind["number"]))
            number = int(names.get(text.casefold(), -1))
    if number not in numbers:
        raise ConfigError(f"unknown indicator {key!r}",
                          expected=f"a number 1–{max(numbers)}, I<n> or an indicator name",
                          found=repr(key))
    return number


def normalise_levels(levels: Mapping, framework_key: str) -> dict[int, int]:
    """Map {indicator key: level} to {number: level}, checking completeness and range.

    Keys may be numbers, ``"I17"`` or names; every indicator of the framework must
    appear exactly once with a whole level inside the framework's range.
    """
    ind = structure.indicators(framework_key)
    lo, hi = structure.level_range(framework_key)
    out: dict[int, int] = {}
    for key, value in levels.items():
        number = _indicator_number(key, ind)
        if number in out:
            raise ConfigError(f"indicator {number} given twice", found=repr(key))
        if value is None or isinstance(value, bool) or float(value) != int(float(value)) \
                or not lo <= int(float(value)) <= hi:
            raise ConfigError(f"level of indicator {number} is not a whole level {lo}–{hi}",
                              expected=f"{lo}–{hi}", found=repr(value))
        out[number] = int(float(value))
    missing = sorted(set(ind["number"]) - set(out))
    if missing:
        raise ConfigError("levels are missing for some indicators",
                          expected=f"all {len(ind)} indicators of {framework_key}",
                          found=f"missing {missing}")
    return out


def resolve_target(target: str | float, framework_key: str) -> tuple[Fraction, str | None]:
    """A predikat name ("Sangat Baik") -> its band's lower bound; a number -> itself."""
    fw = registry.framework(framework_key)
    if isinstance(target, str) and registry.canonical_predikat(target) is not None:
        name = registry.canonical_predikat(target)
        band = next((b for b in fw.bands if b.predikat == name), None)
        if band is None:
            raise ConfigError(f"predikat {name!r} is not a band of {framework_key}")
        lower = Fraction(0) if band.lower is None else Fraction(str(band.lower))
        return lower, name
    try:
        value = Fraction(str(float(str(target).replace(",", "."))))
    except ValueError:
        raise ConfigError("target is neither a predikat nor a number",
                          expected=", ".join(b.predikat for b in fw.bands) + " or an index",
                          found=repr(target)) from None
    if not fw.index_min <= value <= fw.index_max:
        raise ConfigError("target index outside the framework's range",
                          expected=f"{fw.index_min}–{fw.index_max}", found=str(target))
    return value, None


def _per_indicator(value: object, numbers: list[int], ind: pd.DataFrame,
                   default: float | None) -> dict[int, float | None]:
    """Expand an int/float or a {key: value} mapping into {number: value}."""
    if value is None:
        return {n: default for n in numbers}
    if isinstance(value, Mapping):
        out = {n: default for n in numbers}
        for key, v in value.items():
            out[_indicator_number(key, ind)] = float(v)
        return out
    return {n: float(value) for n in numbers}


# ---------------------------------------------------------------------------
# the exact optimiser

def min_effort_steps(weights: list[int], rooms: list[int], efforts: list[float],
                     need: int) -> list[int] | None:
    """Steps per item minimising Σ effort·steps (ties: fewest steps) with Σ weight·steps ≥ need.

    weights: positive integers (gain per step); rooms: max steps per item (≥ 0);
    efforts: effort per step (0 ≤ e ≤ 1e6, resolution 1e-6). Returns None when even
    every item at its room falls short. Exact: a DP over the gain reached so far,
    capped at ``need``.

    >>> min_effort_steps([3, 2], [1, 3], [1, 1], 4)   # greedy would take 3 + 2 = 2 steps
    [1, 1]
    >>> min_effort_steps([3, 2], [1, 3], [5, 1], 4)
    [0, 2]
    """
    span = sum(rooms) + 1                     # key = effort * span + steps (lexicographic)
    return _knapsack(weights, rooms, need, [round(e * _EFFORT_SCALE) * span + 1 for e in efforts],
                     [0] * len(weights))


def min_indicator_steps(weights: list[int], rooms: list[int], need: int) -> list[int] | None:
    """Steps per item raising the fewest distinct items (ties: fewest steps) with
    Σ weight·steps ≥ need; None when even every item at its room falls short.

    >>> min_effort_steps([3, 5, 5], [3, 1, 1], [1, 1, 1], 9)   # fewest steps: 2, two items
    [0, 1, 1]
    >>> min_indicator_steps([3, 5, 5], [3, 1, 1], 9)           # one item, three steps
    [3, 0, 0]
    """
    span = sum(rooms) + 1                     # key = items * span + steps
    return _knapsack(weights, rooms, need, [1] * len(weights), [span] * len(weights))


def _knapsack(weights: list[int], rooms: list[int], need: int, step_cost: list[int],
              item_cost: list[int]) -> list[int] | None:
    """Exact bounded knapsack: steps per item minimising Σ (k·step_cost + item_cost if k)
    with Σ weight·k ≥ need (DP over the gain so far, capped at ``need``)."""
    if need <= 0:
        return [0] * len(weights)
    g = reduce(math.gcd, [w for w, r in zip(weights, rooms) if r > 0], 0)
    if g == 0 or sum(w * r for w, r in zip(weights, rooms)) < need:
        return None
    size = -(-need // g)                      # states 0..size, size means "need reached"
    dp = np.full(size + 1, _INF, dtype=np.int64)
    dp[0] = 0
    trail = []
    for w, room, step, fixed in zip(weights, rooms, step_cost, item_cost):
        best, k_of, src_of = dp.copy(), np.zeros(size + 1, np.int64), np.arange(size + 1)
        unit = w // g
        for k in range(1, room + 1):
            add = np.int64(k * step + fixed)
            shift = k * unit
            cand, src = np.full(size + 1, _INF, np.int64), np.arange(size + 1)
            if shift < size:
                head = dp[:size - shift]
                cand[shift:size] = np.where(head >= _INF, _INF, head + add)
                src[shift:size] = np.arange(size - shift)
            lo = max(size - shift, 0)         # every source from lo upward saturates at size
            j = lo + int(np.argmin(dp[lo:]))
            cand[size], src[size] = (_INF if dp[j] >= _INF else dp[j] + add), j
            better = cand < best
            best[better], k_of[better], src_of[better] = cand[better], k, src[better]
        trail.append((k_of, src_of))
        dp = best
    if dp[size] >= _INF:
        return None
    steps, state = [], size
    for k_of, src_of in reversed(trail):
        steps.append(int(k_of[state]))
        state = int(src_of[state])
    return steps[::-1]


# ---------------------------------------------------------------------------
# public planner

def _raises_frame(ind: pd.DataFrame, levels: dict[int, int], steps: dict[int, int],
                  effort: dict[int, float], total_units: int) -> pd.DataFrame:
    rows = []
    for _, r in ind.iterrows():
        k = steps.get(int(r["number"]), 0)
        if k:
            n = int(r["number"])
            rows.append({"indicator": n, "name": r["name"], "from_level": levels[n],
                         "to_level": levels[n] + k, "steps": k, "weight": float(r["weight"]),
                         "gain": k * int(r["weight_units"]) / total_units,
                         "effort": k * effort[n]})
    return pd.DataFrame(rows, columns=RAISE_COLUMNS).astype(
        {"indicator": "int64", "from_level": "int64", "to_level": "int64", "steps": "int64",
         "weight": "float64", "gain": "float64", "effort": "float64"})


OBJECTIVES = {
    "steps": "least total effort (then fewest steps); with the default effort of 1 per step, "
             "the fewest one-level steps",
    "indicators": "fewest distinct indicators raised (then fewest steps)",
}


def _objective_text(objective: str, with_effort: bool) -> str:
    if objective == "indicators":
        return OBJECTIVES["indicators"]
    return "least total effort (then fewest steps)" if with_effort else "fewest one-level steps"


def plan_to_target(levels: Mapping[int | str, int], framework_key: str, target: str | float,
                   *, effort: Mapping | None = None, fixed: Iterable = (),
                   max_level: int | Mapping | None = None, objective: str = "steps") -> Plan:
    """Cheapest one-level-at-a-time raises that bring the index to ``target``.

    objective: ``"steps"`` minimises total effort, then steps (effort 1 per step by default:
    the fewest one-level steps); ``"indicators"`` minimises how many distinct indicators
    are raised, then steps (effort is reported, not optimised). See :data:`OBJECTIVES`.

    levels: {indicator (number, ``"I17"`` or name): level} for every indicator.
    target: a predikat ("Sangat Baik") or an index value. effort: effort per level
    step per indicator (default 1, so the plan has the fewest steps); fixed:
    indicators that cannot move; max_level: a cap for all or {indicator: cap}
    (default the framework's top level). Infeasible targets return the plan that
    raises every movable indicator to its cap, with ``feasible=False``.
    """
    ind = structure.indicators(framework_key)
    lv = normalise_levels(levels, framework_key)
    _, hi = structure.level_range(framework_key)
    numbers = [int(n) for n in ind["number"]]
    eff = _per_indicator(effort, numbers, ind, 1.0)
    caps = _per_indicator(max_level, numbers, ind, float(hi))
    fixed_set = {_indicator_number(k, ind) for k in fixed}
    for n in numbers:
        if not 0 <= eff[n] <= _MAX_EFFORT or math.isnan(eff[n]):
            raise ConfigError(f"effort of indicator {n} must be between 0 and {_MAX_EFFORT}",
                              found=repr(eff[n]))
    rooms = [0 if n in fixed_set else max(0, min(int(caps[n]), hi) - lv[n]) for n in numbers]
    units = [int(u) for u in ind["weight_units"]]
    total = sum(units)
    start = sum(u * lv[n] for u, n in zip(units, numbers))
    target_value, predikat = resolve_target(target, framework_key)
    need = math.ceil(target_value * total) - start
    if objective not in OBJECTIVES:
        raise ConfigError("unknown planning objective", expected=" or ".join(OBJECTIVES),
                          found=repr(objective))
    chosen = (min_indicator_steps(units, rooms, need) if objective == "indicators"
              else min_effort_steps(units, rooms, [eff[n] for n in numbers], need))
    feasible = chosen is not None
    if need <= 0:
        reason = "already at or above the target"
    elif feasible:
        reason = f"optimal: {_objective_text(objective, effort is not None)} reaching the target"
    else:
        chosen = rooms
        reason = ("not reachable: raising every movable indicator to its cap falls short"
                  + (f" ({len(fixed_set)} fixed)" if fixed_set else ""))
    steps = dict(zip(numbers, chosen))
    raises = _raises_frame(ind, lv, steps, eff, total)
    end = start + sum(u * k for u, k in zip(units, chosen))
    return Plan(framework=framework_key, raises=raises, start_index=start / total,
                end_index=end / total, target_index=float(target_value),
                target_predikat=predikat, margin=float(Fraction(end, total) - target_value),
                feasible=feasible, reason=reason, total_steps=int(raises["steps"].sum()),
                total_effort=float(raises["effort"].sum()), objective=objective)


def headroom(index: float, framework_key: str) -> Headroom:
    """How far ``index`` can fall before its predikat drops: (band, lower bound, margin).

    The bottom band has no lower bound: lower and margin are None.
    """
    band = registry.current_band(index, framework_key)
    if band.lower is None:
        return Headroom(band.predikat, None, None)
    return Headroom(band.predikat, band.lower, round(float(index) - band.lower, 6))


def fewest_drops(levels: Mapping, framework_key: str) -> int | None:
    """Fewest one-level drops that push the index below its current band (None at the bottom).

    With every step costing the same, taking the heaviest available steps first is
    exact: any k drops lose at most the k heaviest step weights.
    """
    ind = structure.indicators(framework_key)
    lv = normalise_levels(levels, framework_key)
    lo, _ = structure.level_range(framework_key)
    units = dict(zip(ind["number"].astype(int), ind["weight_units"].astype(int)))
    total = sum(units.values())
    score = sum(units[n] * lv[n] for n in units)
    band = registry.current_band(Fraction(score, total), framework_key)
    if band.lower is None:
        return None
    excess = score - Fraction(str(band.lower)) * total   # must lose strictly more than this
    pool = sorted((units[n] for n in units for _ in range(lv[n] - lo)), reverse=True)
    lost = 0
    for count, w in enumerate(pool, start=1):
        lost += w
        if lost > excess:
            return count
    return None


def drop_risk(levels: Mapping, framework_key: str) -> pd.DataFrame:
    """Per indicator: what one level less would cost, and whether it alone drops the predikat.

    Returns columns: indicator, name, level, weight, loss_per_level (index points),
    index_after, predikat_after, drops_predikat (bool); heaviest loss first.
    Indicators already at the lowest level cannot drop and are left out.
    """
    ind = structure.indicators(framework_key)
    lv = normalise_levels(levels, framework_key)
    lo, _ = structure.level_range(framework_key)
    total = int(ind["weight_units"].sum())
    score = sum(int(u) * lv[int(n)] for n, u in zip(ind["number"], ind["weight_units"]))
    now = registry.band_for(score / total, framework_key)
    rows = []
    for _, r in ind.iterrows():
        n, u = int(r["number"]), int(r["weight_units"])
        if lv[n] > lo:
            after = (score - u) / total
            band = registry.band_for(after, framework_key)
            rows.append({"indicator": n, "name": r["name"], "level": lv[n],
                         "weight": float(r["weight"]), "loss_per_level": u / total,
                         "index_after": after, "predikat_after": band,
                         "drops_predikat": band != now})
    cols = ["indicator", "name", "level", "weight", "loss_per_level", "index_after",
            "predikat_after", "drops_predikat"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["loss_per_level", "indicator"], ascending=[False, True],
                           ignore_index=True)


def levels_from_scores(scores: pd.DataFrame, instansi_code: str, year: int
                       ) -> tuple[dict[str, int], str, bool]:
    """One instansi-year's indicator levels from the ``scores`` table.

    Takes columns year, instansi_code, level, item, value, framework (synthetic
    optional). Returns ({"I1": level, …}, framework key, synthetic?). ConfigError
    when the table holds no indicator levels for that instansi and year.
    """
    rows = scores[(scores["year"].astype(int) == int(year))
                  & (scores["instansi_code"].astype(str) == str(instansi_code))
                  & (scores["level"] == "indicator")]
    if rows.empty:
        raise ConfigError(f"no indicator levels for {instansi_code} in {year}",
                          expected="an ingested LHE with indicator levels (spbe template lhe)",
                          found="none in scores")
    frameworks = sorted(set(rows["framework"]))
    if len(frameworks) != 1:
        raise ConfigError("indicator levels under more than one framework", found=str(frameworks))
    synthetic = bool(rows["synthetic"].astype(str).str.lower().isin(["true", "1"]).any()) \
        if "synthetic" in rows else False
    levels = {str(i): int(round(float(v))) for i, v in zip(rows["item"], rows["value"])}
    return levels, frameworks[0], synthetic
