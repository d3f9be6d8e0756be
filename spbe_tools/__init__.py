"""SPBE Workbook: ingest, compare and brief on Kemen-PANRB SPBE evaluation results.

The data flows one way: raw workbook -> cells -> layout -> ingest -> identity ->
validate -> build (tidy tables) -> compare -> charts / brief.
"""
__version__ = "0.1.0"
