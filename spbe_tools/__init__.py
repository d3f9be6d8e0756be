"""SPBE Workbook: ingest, compare and brief on Kemen-PANRB SPBE evaluation results.

The data flows one way, in the stages of docs/architecture.md ("Stages"): read (raw
workbooks -> cells -> layout / LHE layout -> ingest, names as reported) -> identity (names to
codes) -> analyse (validate, which resolves every name read -> build the tidy tables ->
peers, ranks, trends -> compare) -> report (charts, maps, brief, notebooks), on shared
foundations (errors, paths, registry, …), with the command line on top. A test keeps every
import pointing back along this flow, and asks a module over 400 lines to say why it is one.
"""
__version__ = "0.1.0"
