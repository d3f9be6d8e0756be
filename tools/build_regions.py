"""Build ``spbe_tools/data/regions.csv`` from the npm package idn-area-data 4.0.1.

Development-time only: the generated CSV is committed, so tests and CI never
need the network. Run it again only to regenerate or to review the table.

Usage (from the repository root)::

    python tools/build_regions.py                       # runs `npm pack` in a temp dir
    python tools/build_regions.py --tarball idn-area-data-4.0.1.tgz   # a tarball you fetched
    python tools/build_regions.py --check               # rebuild in memory, diff with the CSV

Steps (see ``../shared/region_reference.md``):

1. ``npm pack idn-area-data@4.0.1`` in a temporary directory (or take ``--tarball``).
2. Verify the tarball's SHA-256 (``EXPECTED_SHA256``); stop on any difference.
3. Read ``package/data/provinces.csv`` and ``package/data/regencies.csv`` straight
   from the tarball (nothing is extracted to disk).
4. Write ``regions.csv``: ``code,name,type,province_code,autonomous,island``.
   ``type`` comes from the code suffix (01-69 kabupaten, 71-99 kota) and is
   checked against the name prefix; ``autonomous`` is 0 for the six Jakarta
   administrative units; ``island`` is derived from the province code's first digit.
5. Copy ``package/data/LICENSE.md`` (ODbL 1.0) to ``LICENSE-ODbL-1.0.md``.

The data is ODbL 1.0 (attribution in ``spbe_tools/data/NOTICE.md``); the
hand-written ``region_aliases.csv`` is a separate file of ours, never merged in.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "idn-area-data"
VERSION = "4.0.1"
EXPECTED_SHA256 = "8d47ffb2be39c08aacb0a2dd43193a1edb5754edb1022d57158341c702acc32d"
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "spbe_tools" / "data"
COLUMNS = ["code", "name", "type", "province_code", "autonomous", "island"]
# First digit of the Kemendagri province code -> island group. 2 is Kepulauan Riau,
# which sits with Sumatera in the usual regional groupings ("se-Sumatera" rankings).
ISLANDS = {"1": "Sumatera", "2": "Sumatera", "3": "Jawa", "5": "Bali-Nusa Tenggara",
           "6": "Kalimantan", "7": "Sulawesi", "8": "Maluku", "9": "Papua"}
EXPECTED_COUNTS = {"provinsi": 38, "kabupaten": 416, "kota": 98}


def fetch_tarball(workdir: Path) -> Path:
    """Run ``npm pack`` in ``workdir`` and return the tarball path."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    return workdir / f"{PACKAGE}-{VERSION}.tgz"


def verify_sha256(path: Path) -> None:
    """Stop unless the tarball is byte-identical to the one that was reviewed."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != EXPECTED_SHA256:
        raise SystemExit(f"{path}: sha256 {digest}, expected {EXPECTED_SHA256}")


def read_member(tar: tarfile.TarFile, name: str) -> str:
    """Text of one regular file inside the tarball."""
    member = tar.getmember(name)
    if not member.isfile():
        raise SystemExit(f"{name} in the tarball is not a regular file")
    return tar.extractfile(member).read().decode("utf-8")


def region_rows(provinces_csv: str, regencies_csv: str) -> list[dict[str, str]]:
    """Rows of regions.csv from the two upstream CSV texts (columns ``COLUMNS``)."""
    rows = [{"code": p["code"].strip(), "name": p["name"].strip(), "type": "provinsi",
             "province_code": "", "autonomous": "1", "island": ISLANDS[p["code"].strip()[0]]}
            for p in csv.DictReader(io.StringIO(provinces_csv))]
    for r in csv.DictReader(io.StringIO(regencies_csv)):
        code, prov, name = r["code"].strip(), r["province_code"].strip(), r["name"].strip()
        typ = "kota" if int(code.split(".")[1]) >= 71 else "kabupaten"  # kab 01-69, kota 71-99
        if not name.startswith("Kota " if typ == "kota" else "Kabupaten "):
            raise SystemExit(f"{code} {name!r}: name prefix disagrees with code type {typ}")
        if not code.startswith(prov + "."):
            raise SystemExit(f"{code}: not inside province {prov}")
        rows.append({"code": code, "name": name, "type": typ, "province_code": prov,
                     "autonomous": "0" if "Administrasi" in name else "1",
                     "island": ISLANDS[prov[0]]})
    return rows


def check_rows(rows: list[dict[str, str]]) -> None:
    """The closed-world checks from region_reference.md (counts, unique codes, 546 autonomous)."""
    counts = {t: sum(r["type"] == t for r in rows) for t in EXPECTED_COUNTS}
    if counts != EXPECTED_COUNTS:
        raise SystemExit(f"type counts {counts}, expected {EXPECTED_COUNTS}")
    if len({r["code"] for r in rows}) != len(rows):
        raise SystemExit("duplicate codes")
    autonomous = sum(r["autonomous"] == "1" for r in rows)
    if autonomous != 546:
        raise SystemExit(f"{autonomous} autonomous units, expected 546")


def render(rows: list[dict[str, str]]) -> str:
    """CSV text with ``\\n`` line ends (stable bytes across platforms)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def build(tarball: Path) -> tuple[str, str]:
    """(regions.csv text, ODbL licence text) from a verified tarball."""
    verify_sha256(tarball)
    with tarfile.open(tarball, "r:gz") as tar:
        rows = region_rows(read_member(tar, "package/data/provinces.csv"),
                           read_member(tar, "package/data/regencies.csv"))
        licence = read_member(tar, "package/data/LICENSE.md")
    check_rows(rows)
    return render(rows), licence


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="use this tarball instead of npm pack")
    parser.add_argument("--out", type=Path, default=DATA, help="output folder (spbe_tools/data)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the committed files differ")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp))
        regions, licence = build(tarball)
    targets = {args.out / "regions.csv": regions, args.out / "LICENSE-ODbL-1.0.md": licence}
    if args.check:
        stale = [str(p) for p, text in targets.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        print("up to date" if not stale else f"differs: {', '.join(stale)}")
        return 1 if stale else 0
    for path, text in targets.items():
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
