"""``spbe plan``: the cheapest one-level raises that lift a region to a target predikat.

Thin: reads ``<processed>/scores.csv``, resolves the region with the identity
matcher and calls :func:`spbe_tools.plan.plan_to_target`. Plans drawn from
synthetic levels say so ("contoh") in every format.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import pandas as pd

from spbe_tools import plan as planner
from spbe_tools import schema
from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import ConfigError, InputError
from spbe_tools.paths import DEFAULT_PROCESSED
from spbe_tools.safe_output import neutralise_frame
from spbe_tools.table_columns import SCORES
from spbe_tools.wording import fmt_num, label

SYNTHETIC_LABEL = label("synthetic")  # "contoh"


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "plan", help=SUMMARIES["plan"],
        description="Exact plan that lifts the region's SPBE index to the target, from the LHE "
                    "levels in scores.csv. --objective steps (default): the fewest one-level "
                    "steps (least effort first with --effort); --objective indicators: the "
                    "fewest distinct indicators raised, then the fewest steps.")
    p.add_argument("--region", required=True, help='name or code, e.g. "Kota Bengkulu"')
    p.add_argument("--year", type=int, required=True, help="evaluation year")
    p.add_argument("--target", default="Sangat Baik",
                   help='a predikat ("Sangat Baik") or an index (3.5); default Sangat Baik')
    p.add_argument("--processed", default=str(DEFAULT_PROCESSED),
                   help="folder with scores.csv (default: data/processed)")
    p.add_argument("--effort", metavar="FILE.csv",
                   help="CSV with columns indicator,effort (effort per level step; default 1)")
    p.add_argument("--fixed", default="", help="indicators that cannot move, e.g. 11,12")
    p.add_argument("--max-level", type=int, help="highest level any indicator may reach")
    p.add_argument("--objective", default="steps", choices=tuple(planner.OBJECTIVES),
                   help="steps: fewest one-level steps (least effort first with --effort); "
                        "indicators: fewest distinct indicators, then fewest steps")
    p.add_argument("--format", default="table", choices=("table", "csv", "json"))
    p.set_defaults(func=run)


def _read_scores(processed: str) -> pd.DataFrame:
    path = Path(processed) / "scores.csv"
    if not path.is_file():
        raise ConfigError("no LHE scores; ingest an LHE workbook and run `spbe build` first",
                          file=str(path), expected="scores.csv written by spbe build",
                          found="nothing")
    return schema.read_table(path, SCORES)


def read_effort(path: str) -> dict[str, float]:
    """{indicator: effort per step} from a CSV with columns ``indicator,effort``."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"indicator", "effort"} <= set(reader.fieldnames or ()):
            raise InputError("effort file needs the columns indicator,effort", file=path,
                             row=1, expected="indicator,effort", found=str(reader.fieldnames))
        out = {}
        for n, row in enumerate(reader, start=2):
            try:
                out[row["indicator"].strip()] = float(row["effort"].replace(",", "."))
            except ValueError:
                raise InputError("effort is not a number", file=path, row=n,
                                 expected="a number", found=repr(row["effort"])) from None
    return out


def run(args: argparse.Namespace) -> int:
    from spbe_tools.identity import resolve_region

    found = resolve_region(args.region, year=args.year)
    code, name = found.code, found.name
    levels, fw, synthetic = planner.levels_from_scores(_read_scores(args.processed), code,
                                                       args.year)
    fixed = [f.strip() for f in args.fixed.split(",") if f.strip()]
    effort = read_effort(args.effort) if args.effort else None
    plan = planner.plan_to_target(levels, fw, args.target, effort=effort, fixed=fixed,
                                  max_level=args.max_level, objective=args.objective)
    room = planner.headroom(plan.start_index, fw)
    drops = planner.fewest_drops(levels, fw)
    if args.format == "json":
        json.dump(_as_dict(plan, name, code, args.year, synthetic, room, drops), sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
    elif args.format == "csv":
        table = plan.raises.assign(instansi=name, instansi_code=code, year=args.year,
                                   synthetic=synthetic)
        neutralise_frame(table).to_csv(sys.stdout, index=False)
    else:
        print(_table(plan, name, args.year, synthetic, room, drops))
    return 0 if plan.feasible else 1


def _as_dict(plan, name, code, year, synthetic, room, drops) -> dict:
    return {"instansi": name, "instansi_code": code, "year": year, "framework": plan.framework,
            "synthetic": synthetic, "label": SYNTHETIC_LABEL if synthetic else "",
            "target_predikat": plan.target_predikat, "target_index": plan.target_index,
            "start_index": plan.start_index, "end_index": plan.end_index,
            "margin": plan.margin, "feasible": plan.feasible, "reason": plan.reason,
            "objective": plan.objective, "indicators_raised": plan.indicators_raised,
            "total_steps": plan.total_steps, "total_effort": plan.total_effort,
            "current_predikat": room.predikat, "lower_bound": room.lower,
            "headroom": room.margin, "fewest_drops_to_lose_predikat": drops,
            "raises": plan.raises.to_dict("records")}


def _table(plan, name, year, synthetic, room, drops) -> str:
    target = plan.target_predikat or fmt_num(plan.target_index)
    lines = [f"{name} {year}: indeks {fmt_num(plan.start_index, 4)} ({room.predikat})"
             + (f"  [{SYNTHETIC_LABEL}]" if synthetic else "")]
    if room.lower is not None:
        lines.append(f"  {fmt_num(room.margin, 4)} di atas batas {room.predikat} "
                     f"({fmt_num(room.lower)}); {drops} penurunan satu level sudah cukup "
                     "untuk turun predikat")
    lines.append(f"Target {target} (≥ {fmt_num(plan.target_index)}): {plan.reason}")
    lines.append(f"  {plan.total_steps} langkah pada {plan.indicators_raised} indikator, indeks "
                 f"akhir {fmt_num(plan.end_index, 4)}, margin "
                 f"{fmt_num(plan.margin, 4, signed=True)}")
    if not plan.raises.empty:
        shown = plan.raises.assign(
            weight=plan.raises["weight"].map(lambda v: fmt_num(v)),
            gain=plan.raises["gain"].map(lambda v: fmt_num(v, 4)),
            effort=plan.raises["effort"].map(lambda v: fmt_num(v, 1)))
        lines.append(shown.to_string(index=False))
    return "\n".join(lines)
