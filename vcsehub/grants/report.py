"""Group a file's problems into issues people can act on, in plain English.

Each schema error, refusal and normalisation becomes one line of a report: what is wrong
and how to fix it, how many times and in how many grants, and where it first occurs
(sheet, row and column for spreadsheets; grant number and JSON path for JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vcsehub.grants.reading import GrantFile, GrantRecord
from vcsehub.grants.schema import GrantSchema
from vcsehub.grants.validation import SchemaError

EXAMPLES = 5
MESSAGES_REMEMBERED = 10_000

TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "array": "a list",
    "object": "a group of fields",
    "null": "empty",
    "integer": "a whole number",
    "boolean": "true or false",
}

REJECTIONS = {
    "no-identifier": "A grant has no Identifier, so it was not imported. Give every grant its own Identifier (your 360Giving prefix, then your reference).",
    "no-amount": "A grant has no Amount Awarded that can be read as a number, so it was not imported. Write the amount as a number, e.g. 15000 or 1500.50.",
    "not-a-grant": "An item in the grants list is not a grant (it is not a group of fields), so it was not imported.",
    "duplicate-identifier": "Two or more grants have the same Identifier; only the first was imported. Give every grant its own Identifier.",
}


def _value_kind(value: Any) -> str:
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return "something else"


def schema_message(error: SchemaError, schema: GrantSchema) -> tuple[str, str, str]:
    """(code, field path without numbers, message) for one schema error, in plain English."""
    path = (
        [p for p in error.path[2:] if not isinstance(p, int)]
        if error.path[:1] == ("grants",)
        else list(error.path)
    )
    where = "/".join(str(p) for p in path)
    title = schema.title_for_path(where) if where else "The grant"
    v = error.validator
    if v == "required":
        missing = f"{where}/{error.value}" if where else error.value
        return (
            "schema-required",
            missing,
            f"{schema.title_for_path(missing)} is missing. It is required by the 360Giving standard: add the column and fill it in for every grant.",
        )
    if v == "type":
        wanted = error.value if isinstance(error.value, list) else [error.value]
        words = " or ".join(TYPE_WORDS.get(t, t) for t in wanted if t != "null") or "empty"
        return (
            f"schema-type-{wanted[0]}",
            where,
            f"{title} must be {words}, but it is {_value_kind(error.instance)}. Check the values in this column.",
        )
    if v == "enum":
        if where == "fromOpenCall":
            text = f'{title} must be "Yes" or "No".'
        elif where.endswith("currency"):
            text = f"{title} must be a three-letter ISO 4217 currency code, such as GBP."
        else:
            allowed = error.value if isinstance(error.value, list) else []
            sample = ", ".join(str(a) for a in allowed[:5]) + (" …" if len(allowed) > 5 else "")
            text = f"{title} must be one of the codes in the 360Giving codelist ({sample})."
        return "schema-enum", where, text
    if v == "format" and error.value == "uri":
        return (
            "schema-format-uri",
            where,
            f"{title} must be a full web address, starting with http:// or https://.",
        )
    if v == "format":
        return (
            f"schema-format-{error.value}",
            where,
            f"{title} must be a date and time written like 2024-03-31T09:00:00Z.",
        )
    if v == "oneOf" and error.kind == "only_one":
        return (
            "schema-org-and-individual",
            where,
            "A grant can go to an organisation or to an individual, not both: fill in either the Recipient Org columns or the Recipient Ind columns.",
        )
    if v == "oneOf":
        return (
            "schema-date",
            where,
            f"{title} must be a date written YYYY-MM-DD (e.g. 2024-03-31), or a full date and time.",
        )
    if v == "minItems":
        return "schema-empty-list", where, f"{title} is an empty list; give at least one."
    if v == "minimum":
        return "schema-minimum", where, f"{title} must be at least {error.value}."
    if v == "pattern":
        return "schema-pattern", where, f"{title} is not written in the form the standard asks for."
    return f"schema-{v}", where, f"{title} breaks the 360Giving schema ({v})."


def _message_key(error: SchemaError) -> tuple | None:
    """All schema_message reads of an error, or None when they cannot be a dict key."""
    path = error.path
    in_grant = path[:1] == ("grants",)
    where = tuple(p for p in path[2:] if not isinstance(p, int)) if in_grant else tuple(path)
    value = error.value
    if isinstance(value, list):
        value = (list, *value)
    kind = _value_kind(error.instance) if error.validator == "type" else None
    key = (error.validator, in_grant, where, type(error.value), value, error.kind, kind)
    try:
        hash(key)
    except TypeError:
        return None
    return key


@dataclass
class Issue:
    category: str
    severity: str
    code: str
    message: str
    path: str = ""
    column: str = ""
    count: int = 0
    grants_affected: int = 0
    last_grant: int = -1
    examples: list[dict] = field(default_factory=list)
    # Where it was first found: (grant number, report's phase, order found), so reports
    # of the same file made in two processes merge in the order one report would have.
    first: tuple[int, int, int] = (-1, 0, 0)


class Report:
    """Collects a file's problems, grouped by kind and field."""

    def __init__(self, grant_file: GrantFile, schema: GrantSchema, *, phase: int = 0) -> None:
        self.file = grant_file
        self.schema = schema
        self.issues: dict[tuple, Issue] = {}
        self.phase = phase  # of a grant's checks: 0 schema and quality, 1 normalising
        self.grant_number = -1  # the grant being checked (-1: the file as a whole)
        self._messages: dict[tuple, tuple[str, str, str]] = {}

    def add(
        self,
        *,
        category: str,
        severity: str,
        code: str,
        message: str,
        path: str = "",
        record: GrantRecord | None = None,
        full_path: str = "",
        value: Any = None,
    ) -> None:
        key = (category, code, path, message)
        issue = self.issues.get(key)
        if issue is None:
            issue = self.issues[key] = Issue(
                category=category,
                severity=severity,
                code=code,
                message=message,
                path=path,
                first=(self.grant_number, self.phase, len(self.issues)),
            )
            if path and self.file.format != "json":
                issue.column = self.schema.title_for_path(path)
        issue.count += 1
        if record is not None and issue.last_grant != record.index:
            issue.grants_affected += 1
            issue.last_grant = record.index
        if len(issue.examples) < EXAMPLES:
            example: dict[str, Any] = {"grant": record.index + 1 if record else None}
            if record is not None:
                identifier = record.data.get("id") if isinstance(record.data, dict) else None
                example["identifier"] = identifier if isinstance(identifier, str) else None
                sheet, row, column = self.file.column_for(record, full_path or path)
                if sheet:
                    example.update(sheet=sheet, row=row, column=column)
            if full_path:
                example["path"] = full_path
            if value is not None:
                example["value"] = _short(value)
            issue.examples.append(example)

    def schema_message(self, error: SchemaError) -> tuple[str, str, str]:
        """schema_message, worked out once for each kind of error at each field."""
        key = _message_key(error)
        if key is None:
            return schema_message(error, self.schema)
        found = self._messages.get(key)
        if found is None:
            found = schema_message(error, self.schema)
            if len(self._messages) < MESSAGES_REMEMBERED:
                self._messages[key] = found
        return found

    def schema_error(self, error: SchemaError, record: GrantRecord) -> None:
        code, path, message = self.schema_message(error)
        relative = "/".join(str(p) for p in error.path[2:])
        if error.validator == "required":
            relative = f"{relative}/{error.value}" if relative else str(error.value)
        value = error.instance if error.validator not in ("required", "oneOf") else None
        if path.startswith("recipientIndividual"):
            value = None  # never copy what may identify a person into the report
        self.add(
            category="schema",
            severity="error",
            code=code,
            message=message,
            path=path,
            record=record,
            full_path=relative,
            value=value,
        )

    def merge(self, other: dict[tuple, Issue]) -> None:
        """Take in the issues another report of the same file found (in another phase),
        in the order one report doing both phases grant by grant would hold them."""
        if self.issues.keys() & other.keys():
            raise ValueError("Reports of two phases found the same issue; they cannot be merged")
        merged = sorted([*self.issues.items(), *other.items()], key=lambda item: item[1].first)
        self.issues = dict(merged)

    def file_level(
        self, *, category: str, severity: str, code: str, message: str, path: str = ""
    ) -> None:
        self.add(category=category, severity=severity, code=code, message=message, path=path)


def _short(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        text = str(value)
    elif isinstance(value, (str, int, float, bool)) or value is None:
        text = value
    else:
        text = str(value)
    if isinstance(text, str) and len(text) > 120:
        return text[:117] + "…"
    return text
