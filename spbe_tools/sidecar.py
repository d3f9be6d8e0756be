"""The sidecar ``<name>.source.yml`` beside a raw workbook — where its numbers
come from (publisher, decree, source URLs, evaluation year) and whether they are synthetic.

Keys: :data:`SIDECAR_KEYS`. ``authority`` says how far its figures are the evaluation's own:
one of :data:`AUTHORITIES`, highest first (``official`` the evaluator's decree or report,
``pemda`` an instansi's own statement, ``news`` a press or web page quoting the figure); a
sidecar without it is :data:`DEFAULT_AUTHORITY` (:func:`authority_of`), the lowest, so a source
that says nothing never outranks one that does, and sources that say nothing stay equal to each
other. A sidecar must be a regular file (not a named pipe, folder or
device) of at most :data:`MAX_SIDECAR_BYTES`, UTF-8 text, plain YAML without anchors or
aliases (``&a``/``*a``, which let a few lines expand to gigabytes), nested at most
:data:`MAX_SIDECAR_DEPTH` levels, with text keys and values of the documented types; and
its ``synthetic`` flag must agree with the workbook's file name. Anything else is an
InputError naming the sidecar (and its line when known).
"""
from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path
from typing import Any

import yaml

from spbe_tools.errors import InputError
from spbe_tools.raw_folder import (
    MAX_SIDECAR_BYTES,
    existing_sidecar,
    sidecar_file_problem,
    sidecar_name_of,
)

__all__ = ["AUTHORITIES", "DEFAULT_AUTHORITY", "MAX_SIDECAR_DEPTH", "SIDECAR_KEYS",
           "authority_of", "authority_rank", "read_sidecar"]

SIDECAR_KEYS = {"publisher", "title", "decree", "evaluation_year", "source_urls", "retrieved",
                "transcribed_by", "transcribed", "licence", "synthetic", "extract", "notes",
                # pdf / text: what spbe extract read (sha256, pages or lines, engines, …)
                "layout", "pdf", "text",
                "authority"}
#: The authorities a source may claim, highest first.
AUTHORITIES = ("official", "pemda", "news")
# what spbe extract records of the file it read: a PDF, or a Markdown/HTML text
_EXTRACT_KEYS = frozenset({"pdf", "text"})

#: The authority of a sidecar without the key (or of a workbook without a sidecar): the
#: lowest, so an unlabelled source ranks with news pages, equal to every other unlabelled one.
DEFAULT_AUTHORITY = "news"
#: Nesting of mappings/lists in a sidecar (spbe extract writes 3 levels).
MAX_SIDECAR_DEPTH = 8


class _SidecarLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases and nesting past MAX_SIDECAR_DEPTH
    before a node is built (:class:`_SidecarRefused` with the offending mark)."""

    _depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            name = getattr(event, "anchor", "")
            raise _SidecarRefused(f"YAML anchors and aliases are not allowed in a sidecar "
                                  f"(&{name} / *{name}: a few lines can expand to gigabytes)",
                                  event.start_mark, "plain keys and values, each written out")
        self._depth += 1
        try:
            if self._depth > MAX_SIDECAR_DEPTH:
                raise _SidecarRefused("the sidecar is nested too deeply", event.start_mark,
                                      f"at most {MAX_SIDECAR_DEPTH} levels of lists/mappings")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _SidecarRefused(Exception):
    def __init__(self, message: str, mark, expected: str):
        super().__init__(message)
        self.message, self.mark, self.expected = message, mark, expected


def _decode_sidecar(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            found = f"UTF-16 text (byte-order mark {raw[0]:02X} {raw[1]:02X})"
        else:
            found = f"byte {raw[exc.start]:#04x} at offset {exc.start}"
        raise InputError("the sidecar is not UTF-8 text", file=shown,
                         row=raw[:exc.start].count(b"\n") + 1,
                         expected="UTF-8 (save the .source.yml as UTF-8)", found=found) from None


def _load_sidecar(path: Path, shown: str) -> Any:
    problem = sidecar_file_problem(path, shown)
    if problem:
        raise problem
    with open(path, "rb") as fh:
        raw = fh.read(MAX_SIDECAR_BYTES + 1)
    if len(raw) > MAX_SIDECAR_BYTES:  # grew since stat
        raise InputError("the sidecar is too large", file=shown,
                         expected=f"at most {MAX_SIDECAR_BYTES:,} bytes",
                         found=f"more than {MAX_SIDECAR_BYTES:,} bytes")
    text = _decode_sidecar(raw, shown)
    try:
        return yaml.load(text, Loader=_SidecarLoader)  # a SafeLoader subclass
    except _SidecarRefused as exc:
        raise InputError(exc.message, file=shown, row=exc.mark.line + 1 if exc.mark else None,
                         expected=exc.expected) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"the sidecar is not valid YAML ({getattr(exc, 'problem', exc)})",
                         file=shown, row=mark.line + 1 if mark else None) from None


def read_sidecar(workbook: Path, display: str) -> dict:
    """The sidecar's content ({} when there is none); InputError for a sidecar that is not
    a regular file, too large, not UTF-8, invalid YAML (anchors/aliases included) or with
    unknown keys or values of the wrong type."""
    path = existing_sidecar(workbook)
    shown = sidecar_name_of(display)
    if path is None:
        data: dict = {}
    else:
        data = _load_sidecar(path, shown) or {}
        if not isinstance(data, dict):
            raise InputError("the sidecar must be a YAML mapping of keys to values", file=shown,
                             found=type(data).__name__)
        not_text = [k for k in data if not isinstance(k, str)]
        if not_text:
            raise InputError("a sidecar key that is not text", file=shown,
                             expected=f"keys among {sorted(SIDECAR_KEYS)}",
                             found=f"{not_text[0]!r} ({type(not_text[0]).__name__})")
        unknown = sorted(set(data) - SIDECAR_KEYS)
        if unknown:
            raise InputError(f"unknown sidecar key(s) {unknown}", file=shown,
                             expected=f"keys among {sorted(SIDECAR_KEYS)}")
        _check_sidecar_types(data, shown)
    named_synthetic = workbook.name.lower().startswith("synthetic")
    if bool(data.get("synthetic", False)) != named_synthetic:
        raise InputError(
            "synthetic data must say so in both its file name (synthetic_…) and its sidecar "
            "(synthetic: true); here they disagree", file=shown,
            expected=f"synthetic: {str(named_synthetic).lower()}",
            found=f"synthetic: {str(bool(data.get('synthetic', False))).lower()}")
    return {k: data[k] for k in sorted(data)}


def authority_of(sidecar: dict) -> str:
    """The authority a sidecar's content (as :func:`read_sidecar` gives it) claims:
    its ``authority``, else :data:`DEFAULT_AUTHORITY`.

    >>> authority_of({"authority": "official"}), authority_of({})
    ('official', 'news')
    """
    return sidecar.get("authority") or DEFAULT_AUTHORITY


def authority_rank(authority: str) -> int:
    """0 for the highest authority, larger below (:data:`AUTHORITIES`); ValueError for a word
    that is not one."""
    return AUTHORITIES.index(authority)


_TEXT_KEYS = {"publisher", "title", "decree", "retrieved", "transcribed_by", "transcribed",
              "licence", "notes", "layout"}
_BOOL_KEYS = {"synthetic", "extract"}


def _check_sidecar_types(data: dict, shown: str) -> None:
    """InputError naming the key when a sidecar value has the wrong type: text keys hold
    text (or a date), synthetic/extract true/false, evaluation_year a whole year,
    source_urls a list of URLs (text), pdf a mapping."""
    def bad(key: str, expected: str) -> InputError:
        return InputError(f"sidecar key {key!r} has the wrong type", file=shown,
                          expected=expected,
                          found=f"{_quoted_excerpt(data[key])} ({type(data[key]).__name__})")

    for key, value in data.items():
        if value is None:
            continue
        if key in _TEXT_KEYS and not isinstance(value, (str, _dt.date)):
            raise bad(key, "text")
        if key in _BOOL_KEYS and not isinstance(value, bool):
            raise bad(key, "true or false")
        if key == "evaluation_year" and (isinstance(value, bool) or not isinstance(value, int)):
            raise bad(key, "a whole year such as 2023")
        if key in _EXTRACT_KEYS and not isinstance(value, dict):
            raise bad(key, "a mapping (written by spbe extract)")
        if key in _EXTRACT_KEYS:
            odd = _not_plain(value)
            if odd:
                raise InputError(f"sidecar key '{key}' holds {odd[0]}", file=shown,
                                 expected="text (or whole-number) keys; text, number, "
                                          "true/false or date values, lists and mappings",
                                 found=f"{_quoted_excerpt(odd[1])} ({type(odd[1]).__name__})")
    authority = data.get("authority")
    if authority is not None and authority not in AUTHORITIES:
        raise InputError(f"sidecar key 'authority' is {_quoted_excerpt(authority)}, not a "
                         "known authority", file=shown,
                         expected=f"one of {', '.join(AUTHORITIES)} (highest first)",
                         found=f"{_quoted_excerpt(authority)} ({type(authority).__name__})")
    urls = data.get("source_urls")
    if urls is not None and (not isinstance(urls, list)
                             or not all(isinstance(u, str) and u.strip() for u in urls)):
        raise bad("source_urls", "a YAML list of URLs: source_urls: [\"https://…\"]")


def _quoted_excerpt(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _not_plain(value: Any) -> tuple[str, Any] | None:
    """("a key that is not text or a number", key) / ("a value that is not plain data",
    value) / ("keys of mixed types", key) for the first thing in a nested value the
    manifest (JSON, keys sorted) cannot hold as it is; None if none. Keys are text, or
    whole numbers (spbe extract's page numbers), one kind per mapping."""
    if isinstance(value, dict):
        kinds = set()
        for k, v in value.items():
            if isinstance(k, bool) or not isinstance(k, (str, int)):
                return "a key that is not text or a whole number", k
            kinds.add(type(k))
            if len(kinds) > 1:
                return "keys of mixed types (text and numbers) in one mapping", k
            odd = _not_plain(v)
            if odd:
                return odd
        return None
    if isinstance(value, list):
        return next(filter(None, map(_not_plain, value)), None)
    if isinstance(value, float) and not math.isfinite(value):
        return "a value that is not a finite number", value
    if value is None or isinstance(value, (str, bool, int, float, _dt.date)):
        return None
    return "a value that is not plain data", value
