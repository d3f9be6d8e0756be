"""Run every ``bench_*.py`` module (or those named) and print a table of medians and ratios."""
from __future__ import annotations

import importlib
import json
import pkgutil
import sys

import benchmarks


def _modules(names: list[str]) -> list[str]:
    found = sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__)
                   if m.name.startswith("bench_"))
    if not names:
        return found
    wanted = [n if n.startswith("bench_") else f"bench_{n}" for n in names]
    unknown = sorted(set(wanted) - set(found))
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; known: {found}")
    return wanted


def main(argv: list[str]) -> int:
    as_json = "--json" in argv
    names = [a for a in argv if not a.startswith("--")]
    rows = []
    for mod in _modules(names):
        rows.extend(importlib.import_module(f"benchmarks.{mod}").run())
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    for r in rows:
        extra = {k: v for k, v in r.items()
                 if k not in {"name", "median_s", "baseline", "baseline_median_s", "ratio"}}
        line = f"{r['name']:<45} median {r['median_s'] * 1000:10.2f} ms"
        if r.get("baseline"):
            baseline_ms = r["baseline_median_s"] * 1000
            line += f"   {r['ratio']:6.2f}x {r['baseline']} ({baseline_ms:.2f} ms)"
        if extra:
            line += "   " + " ".join(f"{k}={v}" for k, v in extra.items())
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
