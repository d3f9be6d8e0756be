"""Byte-identity fingerprint of a checkout's outputs, to compare two commits of a restructuring.

Builds the shipped ``data/raw`` + ``data/demo`` with ``spbe build --no-cache`` and every case of
the hostile-input corpus (``tests/bad_inputs.py``) with ``run_build(strict=False, jobs=1)``, and
writes the SHA-256 of each output file (the corpus manifests left out: they hold temp paths) or
the error a case raised, as JSON. Run it once per checkout, then diff the two files::

    git worktree add /tmp/before <old-commit>
    PYTHONPATH=/tmp/before python tools/fingerprint_outputs.py /tmp/before before.json
    PYTHONPATH=. python tools/fingerprint_outputs.py . after.json
    python tools/fingerprint_outputs.py --diff before.json after.json
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fingerprint(root: Path) -> dict[str, str]:
    """{"shipped/<file>" | "case/<kind>/<file>" | "case/<kind>/error": sha256 or error}."""
    sys.path.insert(0, str(root / "tests"))
    import spbe_tools
    from spbe_tools.build import run_build, write_outputs

    from bad_inputs import CASES, write_case

    if not Path(spbe_tools.__file__).resolve().is_relative_to(root):
        raise SystemExit(f"spbe_tools comes from {spbe_tools.__file__}; set PYTHONPATH={root}")
    out: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "shipped"
        subprocess.run([sys.executable, "-m", "spbe_tools", "build", "--raw",
                        str(root / "data/raw"), "--raw", str(root / "data/demo"),
                        "--out", str(dest), "--no-cache"], check=True, cwd=root,
                       capture_output=True)
        for f in sorted(p for p in dest.rglob("*") if p.is_file()):
            out["shipped/" + f.relative_to(dest).as_posix()] = _sha(f.read_bytes())
        for i, case in enumerate(CASES):
            folder = Path(tmp) / f"c{i}"
            write_case(case, folder)
            try:
                built = run_build(folder, strict=False, jobs=1)
            except Exception as exc:  # the refusal is part of the fingerprint
                text = str(exc).replace(str(folder), "<case>")
                out[f"case/{case.kind}/error"] = f"{type(exc).__name__}: {text}"
                continue
            hashes = write_outputs(built, Path(tmp) / f"out{i}")
            out.update({f"case/{case.kind}/{name}": sha for name, sha in hashes.items()
                        if name != "manifest.json"})
    return out


def main(argv: list[str]) -> int:
    if argv[:1] == ["--diff"]:
        before, after = (json.loads(Path(p).read_text()) for p in argv[1:3])
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        for key in changed:
            print(f"{key}: {before.get(key, '(absent)')[:12]} -> {after.get(key, '(absent)')[:12]}")
        print(f"{len(changed)} of {len(before.keys() | after.keys())} entries differ")
        return 1 if changed else 0
    root, target = Path(argv[0]).resolve(), Path(argv[1])
    found = fingerprint(root)
    target.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    print(f"{len(found)} entries -> {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
