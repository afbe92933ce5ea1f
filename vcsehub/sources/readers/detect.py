"""Tell what a file is from its first bytes, and which text encoding it uses."""

from __future__ import annotations

import codecs
import zipfile
from functools import cache
from pathlib import Path

HEAD_BYTES = 8192

# Encodings charset-normalizer may name for Western European text; for UK files we read
# all of them as Windows-1252, the superset Excel on Windows writes.
WESTERN = {
    "cp1252",
    "windows_1252",
    "latin_1",
    "iso8859_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "mac_roman",
    "cp850",
    "cp437",
    "ascii",
    "mac_latin2",
    "cp1254",
    "iso8859_9",
    "cp1257",
}
FALLBACK_ERRORS = "vcsehub-cp1252"


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not valid UTF-8 as Windows-1252 (Latin-1 for its 5 gaps)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    text = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1") for b in bad
    )
    return text, error.end


@cache
def fallback_errors() -> str:
    """The codec error handler for guessed UTF-8: stray Windows-1252 bytes still read right."""
    codecs.register_error(FALLBACK_ERRORS, _cp1252_fallback)
    return FALLBACK_ERRORS


def detect_encoding(sample: bytes, *, complete: bool) -> str:
    """Best encoding for a text file from its first bytes (all of it when complete=True).

    UTF-8 when the sample is valid UTF-8 (with a BOM: utf-8-sig), UTF-16 when it has a
    UTF-16 BOM, else Windows-1252 unless charset-normalizer is sure of a non-Western encoding.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # The sample may end in the middle of a character.
        if (
            not complete
            and error.reason == "unexpected end of data"
            and error.start >= len(sample) - 3
        ):
            return "utf-8"
    # Mostly UTF-8 with a few Windows-1252 bytes pasted in: read as UTF-8 (the stray bytes
    # are decoded as Windows-1252 by the fallback error handler).
    text = sample.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    valid = sum(1 for ch in text if ch > "\x7f") - invalid
    if valid and valid >= invalid:
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(sample[:65536]).best()
    guess = best.encoding if best is not None else "cp1252"
    if guess in WESTERN:
        return "cp1252"
    return guess


def looks_binary(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32 and b != 27)
    return control > len(head) * 0.05


def sniff_kind(head: bytes) -> str:
    """'zip', 'xls', 'gzip', 'json', 'csv' or 'unknown' from a file's first bytes."""
    if not head:
        return "empty"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf")):
        return "unknown"
    if looks_binary(head):
        return "unknown"
    text = head
    for bom in (codecs.BOM_UTF8,):
        if text.startswith(bom):
            text = text[len(bom) :]
    stripped = text.lstrip()
    if not stripped:
        return "empty"
    if stripped[:1] in (b"{", b"["):
        return "json"
    if stripped.startswith((b"<?xml", b"<html", b"<!DOCTYPE", b"<!doctype", b"<HTML")):
        return "unknown"
    return "csv"


def zip_kind(path: Path) -> str:
    """'xlsx' for an Excel workbook (a zip holding [Content_Types].xml and xl/), else 'zip'."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return "zip"
    if "[Content_Types].xml" in names and any(name.startswith("xl/") for name in names):
        return "xlsx"
    return "zip"


def detect_format(path: Path) -> str:
    """'csv', 'json', 'xlsx', 'zip', 'gzip', 'xls', 'empty' or 'unknown', read from the content."""
    with Path(path).open("rb") as stream:
        head = stream.read(HEAD_BYTES)
    kind = sniff_kind(head)
    if kind == "zip":
        return zip_kind(Path(path))
    return kind
