from __future__ import annotations

from datetime import date, datetime

from ninja import Schema


class ImportedFileOut(Schema):
    name: str
    bytes: int
    sha256: str


class ImportRunOut(Schema):
    id: int
    source_id: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    sha256: str
    files: list[ImportedFileOut]
    error: str
    data_date: date | None
    licence: str


class SourceOut(Schema):
    id: str
    title: str
    publisher: str
    description: str
    licence: str
    licence_url: str
    attribution: list[str]
    urls: list[str]
    format: str
    derived: bool
    last_import: ImportRunOut | None
