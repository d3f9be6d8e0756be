"""Write the columns tables of docs/architecture.md from their declarations
(spbe_tools/table_columns.py): ``python tools/docs_columns.py`` after changing a table.
Each table sits between ``<!-- columns: NAME -->`` and ``<!-- /columns -->``;
tests/test_table_columns.py fails while the docs and the declarations differ."""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from spbe_tools.table_columns import TIDY_TABLES, markdown_table  # noqa: E402

DOCS = ROOT / "docs" / "architecture.md"
BLOCK = re.compile(r"(<!-- columns: (\w+) -->\n).*?(<!-- /columns -->)", re.DOTALL)


def rendered(text: str) -> str:
    """``text`` with every columns block replaced by its table's declaration."""
    tables = {t.name: t for t in TIDY_TABLES}
    return BLOCK.sub(lambda m: m.group(1) + markdown_table(tables[m.group(2)]) + "\n"
                     + m.group(3), text)


if __name__ == "__main__":
    DOCS.write_text(rendered(DOCS.read_text(encoding="utf-8")), encoding="utf-8")
