"""``spbe brief``: the briefing pack (charts, ringkasan.xlsx, briefing.pptx, briefing.docx)
and the executed notebooks with their HTML exports, in ``reports/<slug>-<year>/``.

``--region`` may be repeated, or replaced by ``--province CODE`` (the province and each of
its kabupaten/kota): one pack per region, from tables loaded once and notebooks run in one
kernel. Every region, year and pack folder is checked before the first pack is written.

Thin: the pack is written by :func:`spbe_tools.brief.write_pack`, the notebooks are
run by :func:`spbe_tools.notebooks.run_notebooks`.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import nullcontext
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.commands.compare import add_common, resolve_year
from spbe_tools.errors import ConfigError
from spbe_tools.paths import DEFAULT_DEMO, DEFAULT_RAW, DEFAULT_REPORTS


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "brief", help=SUMMARIES["brief"])
    add_common(p, several=True)
    p.add_argument("--year", type=int, help="evaluation year (default: each region's latest "
                                            "with a value)")
    p.add_argument("--out", help="output folder of one region's pack (default: "
                                 "<reports>/<slug>-<year>[-<peers>]/; the peer group is named "
                                 "unless it is province)")
    p.add_argument("--reports", type=Path, default=DEFAULT_REPORTS,
                   help="folder of the default pack folders (default: reports)")
    p.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                   help="raw folder the ingest notebook reads (default: data/raw)")
    p.add_argument("--demo", type=Path, default=DEFAULT_DEMO,
                   help="synthetic demo folder read beside --raw (default: data/demo; "
                        "'' for none)")
    p.add_argument("--allow-missing", action="store_true",
                   help="write the pack even when the region has no index that year "
                        "(the texts say so); without it, that is an error")
    p.add_argument("--template", type=Path, action="append", default=[],
                   metavar="FILE",
                   help="an office's own .pptx (masters and layouts for the deck) or .docx "
                        "(styles for the Word nota); may be given once for each")
    p.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                   help="write only the pack, without executing the notebooks")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spbe_tools.brief import write_pack  # late: matplotlib/pptx only when briefing
    from spbe_tools.notebooks import KernelSession, run_notebooks
    from spbe_tools.pack_folder import check_destination
    from spbe_tools.processed import load_processed

    regions = args.region or []
    if args.out and (len(regions) != 1):
        raise ConfigError("--out names the folder of one pack; for several regions the packs "
                          "go to <reports>/<slug>-<year>/", expected="one --region with --out, "
                          "or --reports DIR",
                          found=f"{len(regions)} regions" if regions else "--province")
    if args.out:
        check_destination(Path(args.out))  # refuse a user's folder before any work
    results, scores = load_processed(args.processed)
    if args.province:
        regions = _province_members(args.province)
    packs = _plan_packs(results, regions, args)
    params = {"peers": args.peers, "raw_dir": str(args.raw.resolve()),
              "demo_dir": str(args.demo.resolve()) if str(args.demo) not in {"", "."} else "",
              "processed_dir": str(Path(args.processed).resolve()), "lang": args.lang}
    with KernelSession() if args.notebooks else nullcontext() as session:
        for region, year, out in packs:
            def notebooks(folder: Path, region=region, year=year) -> list[Path]:
                """The executed notebooks and their HTML, written into the pack being built."""
                print(f"executing notebooks ({region}) …", file=sys.stderr)
                return run_notebooks(folder, {**params, "region": region, "year": year,
                                              "out_dir": str(folder.resolve())},
                                     session=session)

            written = write_pack(results, scores, region=region, year=year, peers=args.peers,
                                 out_dir=out, lang=args.lang, custom=args.custom,
                                 extra=notebooks if args.notebooks else None,
                                 allow_missing=args.allow_missing, templates=args.template)
            folder = next(iter(written.values())).parent
            print(f"{len(written)} files written to {folder}")
            for name in written:
                print(f"  {name}")
    return 0


def _plan_packs(results, regions: list[str], args: argparse.Namespace
                ) -> list[tuple[str, int, Path]]:
    """(region, year, folder) of each pack, every one checked before any is written: the
    region resolves, has a value that year (unless --allow-missing), and its folder may be
    (re)placed by the brief."""
    from spbe_tools.brief import default_out_dir
    from spbe_tools.pack_folder import check_destination
    from spbe_tools.peers import resolve_focal

    packs, missing = [], []
    for region in regions:
        year = resolve_year(results, region, args.year)
        focal = resolve_focal(results, region)
        has = results[(results["instansi_code"] == focal.code) & (results["year"] == year)]
        if has.empty and not args.allow_missing and len(regions) > 1:
            missing.append(f"{focal.name} ({year})")
        out = (Path(args.out) if args.out
               else default_out_dir(focal.name, year, args.reports, args.peers))
        check_destination(out)
        packs.append((region, year, out))
    if missing:
        raise ConfigError("some regions have no SPBE index in the year asked; brief them "
                          "one by one for the reason, or add --allow-missing",
                          expected="a value for every region", found=", ".join(missing))
    return packs


def _province_members(code: str) -> list[str]:
    """Codes of the province ``code`` and of its autonomous kabupaten/kota, in code order."""
    from spbe_tools.identity import load_regions

    regions = load_regions()
    prov = str(code).strip()
    if not ((regions["code"] == prov) & (regions["type"] == "provinsi")).any():
        raise ConfigError("--province takes a Kemendagri province code", expected="a code "
                          "such as 17 (Bengkulu)", found=repr(code))
    members = regions[(regions["autonomous"] == "1")
                      & ((regions["code"] == prov) | (regions["province_code"] == prov))]
    return sorted(members["code"], key=lambda c: (len(c), c))
