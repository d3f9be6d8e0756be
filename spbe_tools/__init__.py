"""SPBE Workbook: ingest, compare and brief on Kemen-PANRB SPBE evaluation results.

The data flows one way, in the stages of docs/architecture.md ("Stages"): read (raw
workbooks -> cells -> layout -> ingest) -> identity (names to codes) -> analyse (validate ->
build the tidy tables -> compare) -> report (charts, maps, brief, notebooks), on shared
foundations (errors, paths, registry, …), with the command line on top. A test keeps every
import pointing back along this flow.
"""
__version__ = "0.1.0"
