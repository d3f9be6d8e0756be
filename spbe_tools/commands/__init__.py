"""The sub-commands of ``spbe``, one module each, with a ``register(subparsers)`` function.

:data:`SUMMARIES` is the one list of them: their order in ``spbe --help`` and the line
each shows there. It is plain data so that ``spbe --help`` (and any one command) starts
without importing the modules of the other commands (pandas, openpyxl, matplotlib).
"""
SUMMARIES = {
    "extract": "read a results table (annex PDF, Markdown, HTML) into an annex workbook",
    "build": "build data/processed/ from the raw workbooks",
    "check": "check raw workbooks without writing anything",
    "regions": "look up a region or agency name/code: what it resolves to and why",
    "compare": "compare a region with its peers in one year",
    "brief": "write the briefing pack for a region",
    "map": "choropleth map of a year (PNG + SVG)",
    "plan": "fewest one-level steps (or fewest indicators) to reach a predikat",
    "template": "write a fill-in workbook (LHE levels)",
    "lock": "lock past years' results against silent change",
}
