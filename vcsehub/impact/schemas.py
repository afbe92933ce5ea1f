"""Shapes of the impact API's answers."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class UploadOut(Schema):
    id: int
    original_name: str
    status: str = Field(description="checking, confirmed, discarded or failed.")
    created_at: datetime
    rows_read: int
    rows_stored: int
    rows_excluded: int = Field(description="Rows not stored because of an error in them.")
    rows_duplicate: int = Field(description="Repeats within the file, or rows already stored.")
    excluded_reasons: dict[str, int] = Field(description="Why rows were not stored: reason → rows.")
    period_start: date | None
    period_end: date | None


class DatasetOut(Schema):
    id: int
    name: str
    organisation: str = Field(description="The owner organisation's slug.")
    records: int = Field(description="Stored records (rows).")
    first_date: date | None = Field(description="Earliest date of contact stored.")
    last_date: date | None = Field(description="Latest date of contact stored.")
    mapping: dict[str, str] = Field(description="Column title → field of the latest upload.")
    uploads: list[UploadOut]


class ImpactErrorOut(Schema):
    detail: str
