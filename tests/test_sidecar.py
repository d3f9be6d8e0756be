"""The sidecar's ``authority`` key (spbe_tools/sidecar.py): one of the known authorities,
else an InputError naming the sidecar and the allowed values; absent, the default."""
from __future__ import annotations

from pathlib import Path

import pytest

from spbe_tools.errors import InputError
from spbe_tools.sidecar import AUTHORITIES, DEFAULT_AUTHORITY, authority_of, read_sidecar


def _sidecar(folder: Path, text: str) -> Path:
    book = folder / "laporan_2024.xlsx"
    book.write_bytes(b"")  # read_sidecar reads only the sidecar beside it
    book.with_name("laporan_2024.source.yml").write_text(text, encoding="utf-8")
    return book


@pytest.mark.parametrize("authority", AUTHORITIES)
def test_each_known_authority_is_read_as_written(tmp_path, authority):
    book = _sidecar(tmp_path, f"publisher: Kementerian PANRB\nauthority: {authority}\n")
    assert authority_of(read_sidecar(book, "laporan_2024.xlsx")) == authority


@pytest.mark.parametrize("value", ["resmi", "Official", "1", "[official]"])
def test_an_unknown_authority_fails_naming_the_sidecar_and_the_allowed_values(tmp_path, value):
    book = _sidecar(tmp_path, f"authority: {value}\n")
    with pytest.raises(InputError) as err:
        read_sidecar(book, "laporan/laporan_2024.xlsx")
    text = err.value.describe()
    assert text.startswith("laporan/laporan_2024.source.yml")
    assert "sidecar key 'authority'" in text
    assert "Expected: one of official, pemda, news" in text


def test_a_sidecar_without_authority_is_the_default_and_stays_as_written(tmp_path):
    book = _sidecar(tmp_path, "publisher: Kementerian PANRB\n")
    content = read_sidecar(book, "laporan_2024.xlsx")
    assert "authority" not in content  # the manifest copies the sidecar: nothing added
    assert authority_of(content) == DEFAULT_AUTHORITY == AUTHORITIES[-1]
