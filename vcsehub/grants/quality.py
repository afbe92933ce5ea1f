"""The 360Giving Data Quality Tool's additional checks, one grant at a time, in plain English.

Beyond the schema, the official tool (lib360dataquality's "quality" and "usefulness"
checks, used by cove-360) flags grants that are valid but doubtful: an amount of zero,
dates that cannot be right, organisation identifiers that do not look like the register
they name, e-mail addresses in the text, missing programme or location information, and
codes that are not on the standard's codelists. The same checks are defined here from
its documentation (same conditions and thresholds), written for speed: they run on every
grant of a file of a million grants, so each is a few dictionary look-ups, a precompiled
regular expression or a set membership test.

`grant_findings(grant, index=…, rows=…)` takes one grant as the importer sees it (the
unflattened dict) and its position (its number in the file, and the sheet rows it came
from for spreadsheets) and returns its findings. Each finding has a stable code, a
severity ("warning" for the tool's quality checks, "info" for its usefulness checks), a
message saying what is wrong and how to fix it, and where (JSON path with and without
list numbers, so a report can name the spreadsheet column).

Left to others, so nothing is reported twice: e-mail addresses in Title and Description,
contact details and postcodes given for individuals are reported by normalise.py; codes
the schema already restricts with an `enum` (currency and country codes in 1.4.3) are
schema errors. "More than one funding organisation" is about a whole file, not a grant.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

WARNING = "warning"  # the Data Quality Tool's "quality and accuracy" checks
INFO = "info"  # its "usefulness" checks

TITLE_MAX = 140  # the tool's recommended longest title
DESCRIPTION_MIN = 20  # characters: shorter descriptions say almost nothing
PLANNED_YEARS_AHEAD = 12
ACTUAL_YEARS_AHEAD = 5
YEARS_BEHIND = 25

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:$|T)")
_EMAIL = re.compile(r"[\w.-]+@[\w.-]+\.[\w.-]+")
_POSTCODE = re.compile(r"^\s*[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\s*$", re.I)
_COMPANY = re.compile(r"^\w{8}$")
# A bare register number written where an org-id belongs: a charity number (6 or 7
# digits, or SC/NI letters and digits) or a company number (8 characters, digits last).
_BARE_NUMBER = re.compile(r"^(?:\d{6,8}|SC\d{5,6}|NIC\d{5,6}|[A-Z]{2}\d{6})$", re.I)


@dataclass(slots=True)
class Finding:
    code: str
    severity: str
    message: str
    path: str  # JSON path without list numbers, e.g. "recipientOrganization/charityNumber"
    full_path: str  # with list numbers, relative to the grant, e.g. "recipientOrganization/0/id"
    value: Any = None  # the value found (never for a recipient individual)
    index: int = 0  # the grant's position in the file (0-based)
    sheet: str = ""  # for spreadsheets: the sheet and row the grant starts on
    row: int | None = None


MESSAGES = {
    "quality-amount-zero": "Amount Awarded is 0. Grants of nothing are unusual: check whether they belong in the file, and if they do, say why in the Description.",
    "quality-amount-negative": "Amount Awarded is less than 0. A grant should be the amount given; record money returned or withdrawn as a transaction, not a negative grant.",
    "quality-funder-prefix": "Funding Org:Identifier does not start with a list prefix from org-id.guide (such as GB-CHC- or GB-COH-), so it cannot be matched to a register. Use the funder's charity or company number with its prefix, or your 360G- prefix.",
    "quality-recipient-prefix": "Recipient Org:Identifier does not start with a list prefix from org-id.guide (such as GB-CHC- or GB-COH-), so it cannot be matched to a register. Use the charity or company number with its prefix, or your 360G- prefix for organisations with neither.",
    "quality-recipient-unprefixed-number": "Recipient Org:Identifier looks like a bare charity or company number, without the prefix of its register. Write it as an org-id, e.g. GB-CHC-1234567 (charity in England and Wales), GB-SC-SC012345 (Scotland) or GB-COH-01234567 (company).",
    "quality-org-id-charity": "An identifier starting GB-CHC- does not end in a charity number (6 or 7 digits). Check for missing or extra digits, or text in the number.",
    "quality-org-id-company": "An identifier starting GB-COH- does not end in a company number (8 letters or digits, e.g. 01234567 or SC123456). Check for missing digits (keep leading zeros) or text in the number.",
    "quality-charity-number": "Recipient Org:Charity Number does not look like a UK charity number (6 or 7 digits, after any two-letter prefix such as SC). Check for missing or extra digits; a correct non-UK number can be left as it is.",
    "quality-company-number": "Recipient Org:Company Number does not look like a UK company number (8 letters or digits, e.g. 09876543 or SC123459). Keep leading zeros; a correct non-UK number can be left as it is.",
    "quality-funder-is-recipient": "The funder and the recipient have the same identifier. Check that the recipient is not the funder itself.",
    "quality-email": "Text that looks like an e-mail address was found. If it is a person's address it is personal data: remove it before publishing unless they agreed.",
    "quality-date-impossible": "A date does not exist (such as 31 September, or 29 February in a year that is not a leap year). Check it for a typing mistake.",
    "quality-planned-start-after-end": "Planned Dates:Start Date is after Planned Dates:End Date. The two may be swapped, or one has a typing mistake.",
    "quality-actual-start-after-end": "Actual Dates:Start Date is after Actual Dates:End Date. The two may be swapped, or one has a typing mistake.",
    "quality-award-date-future": "Award Date is in the future. It is the date the decision to fund was made, so it is normally in the past: check for a typing mistake, or grants not yet committed.",
    "quality-planned-far-future": f"A Planned Date is more than {PLANNED_YEARS_AHEAD} years in the future. Check for a typing mistake unless the work really runs that long.",
    "quality-actual-far-future": f"An Actual Date is more than {ACTUAL_YEARS_AHEAD} years in the future. Check for a typing mistake.",
    "quality-date-far-past": f"A date is more than {YEARS_BEHIND} years ago. Check for a typing mistake unless the grant really is that old.",
    "quality-postcode": "Recipient Org:Postal Code does not look like a UK postcode (e.g. B1 1AA). Check it for a typing mistake; a correct postcode outside the UK can be left as it is.",
    "quality-individual-no-details": "A grant to an individual has no To Individuals Details (grant purpose and reason codes). Give them: with the person anonymised, they are what makes the grant understandable.",
    "quality-individual-dei": "A grant to an individual holds diversity, equity and inclusion information. Remove it: with the rest of the grant it could identify the person.",
    "quality-codelist-geocodetype": "Geographic Code Type is not a code from the 360Giving codelist of geographic code types (e.g. LSOA, WD, MD, UA, CTY).",
    "quality-codelist-reason": "A grant-to-individuals reason is not a code from the 360Giving codelist (GTIR010 to GTIR120).",
    "quality-codelist-purpose": "A grant-to-individuals purpose is not a code from the 360Giving codelist (GTIP010 and on).",
    "quality-codelist-regrant": "Regrant Type is not a code from the 360Giving codelist (FRG010 and on).",
    "quality-codelist-scope": "Location Scope is not a code from the 360Giving codelist (GLS010 and on).",
    "quality-codelist-currency": "Currency is not a code from the 360Giving currency codelist (ISO 4217, e.g. GBP).",
    "quality-codelist-country": "Country Code is not a code from the 360Giving country codelist (ISO 3166, e.g. GB).",
    # usefulness
    "useful-recipient-360g": "Recipient Org:Identifier starts 360G-, an identifier the publisher made up. Where the organisation has a charity or company number, use that (with its prefix), so its grants can be linked to the registers and to other funders' grants.",
    "useful-funder-360g": "Funding Org:Identifier starts 360G-. Where the funder has a charity or company number, use that with its prefix.",
    "useful-no-charity-or-company-number": "The recipient has neither a Charity Number nor a Company Number. Give them where the organisation has one: they link its grants to the registers.",
    "useful-no-recipient-location": "The recipient has no Postal Code and no Location with a Geographic Code and Code Type, so the grant cannot be mapped by the recipient's address.",
    "useful-no-programme": "The grant has no Grant Programme. Programme names help people see a funder's kinds of funding; ignore this if you have no programmes.",
    "useful-no-beneficiary-location": "The grant has no Beneficiary Location, so where the money helps cannot be mapped except by the recipient's address.",
    "useful-title-is-description": "Title and Description are the same, so the grant says little about what it funds. Give a fuller description if you have one.",
    "useful-description-short": f"Description is shorter than {DESCRIPTION_MIN} characters, so it says little about what the grant funds.",
    "useful-title-long": f"Title is longer than {TITLE_MAX} characters. Keep titles short so people can see the purpose quickly; put the detail in the Description.",
    "useful-no-last-modified": "The grant has no Last Modified date, so users cannot tell when it changed between versions of the file.",
    "useful-no-data-source": "The grant has no Data Source (a web address for where the data came from).",
}
SEVERITY = {code: INFO if code.startswith("useful-") else WARNING for code in MESSAGES}


# -- codelists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Codelists:
    """Codes each checked field may take. None = that list is not loaded: not checked."""

    geo_code_types: frozenset[str] | None = None
    reasons: frozenset[str] | None = None
    purposes: frozenset[str] | None = None
    regrant_types: frozenset[str] | None = None
    location_scopes: frozenset[str] | None = None
    currencies: frozenset[str] | None = None  # None also when the schema enforces it (enum)
    countries: frozenset[str] | None = None
    org_id_prefixes: frozenset[str] | None = None  # upper case, with 360G


CODELIST_FILES = {
    "geo_code_types": "geoCodeType.csv",
    "reasons": "grantToIndividualsReason.csv",
    "purposes": "grantToIndividualsPurpose.csv",
    "regrant_types": "regrantType.csv",
    "location_scopes": "locationScope.csv",
    "currencies": "currency.csv",
    "countries": "countryCode.csv",
}
ENUM_IN_SCHEMA = {"currencies": "currency", "countries": "countryCode"}


def _codes(path: Path, column: str = "Code") -> frozenset[str] | None:
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return frozenset(
            (row.get(column) or "").strip() for row in csv.DictReader(stream) if row.get(column)
        )


def _schema_enums(schema: dict | None) -> set[str]:
    """Names of the fields whose codelist the schema itself enforces with an enum."""
    enforced: set[str] = set()
    definitions = (schema or {}).get("$defs") or (schema or {}).get("definitions") or {}
    if "enum" in (definitions.get("currency") or {}):
        enforced.add("currency")
    location = (definitions.get("Location") or {}).get("properties") or {}
    if "enum" in (location.get("countryCode") or {}):
        enforced.add("countryCode")
    return enforced


def codelists_read(data_dir: Path, *, schema: dict | None = None) -> Codelists:
    """The codelists of the standard and the org-id.guide prefixes, from a folder laid out
    like shared/data (`360giving-standard/codelists/*.csv`, `org-id/org-id-lists-summary.csv`).

    Lists missing from the folder are None (not checked). Lists the grant schema already
    enforces with an enum are None too, so the schema error is not repeated.
    """
    folder = Path(data_dir) / "360giving-standard" / "codelists"
    enforced = _schema_enums(schema)
    lists: dict[str, frozenset[str] | None] = {}
    for name, filename in CODELIST_FILES.items():
        if ENUM_IN_SCHEMA.get(name) in enforced:
            lists[name] = None
        else:
            lists[name] = _codes(folder / filename)
    prefixes = _codes(Path(data_dir) / "org-id" / "org-id-lists-summary.csv", column="code")
    if prefixes is not None:
        prefixes = frozenset({p.upper() for p in prefixes} | {"360G"})
    return Codelists(**lists, org_id_prefixes=prefixes)


def codelists_current(*, schema: dict | None = None) -> Codelists:
    """The codelists from the data folder the site reads open data from (VCSEHUB_DATA_DIR).

    Without one, no codelist is known and those checks are skipped (never "all invalid").
    """
    from django.conf import settings

    folder = getattr(settings, "DATA_DIR", None)
    if not folder:
        return Codelists()
    key = (str(folder), id(schema))
    if key not in _CURRENT:
        _CURRENT.clear()
        _CURRENT[key] = codelists_read(Path(folder), schema=schema)
    return _CURRENT[key]


_CURRENT: dict[tuple, Codelists] = {}


# -- helpers ---------------------------------------------------------------------------------


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and value.strip():
        try:
            return Decimal(value.replace(",", "").replace("£", "").strip())
        except InvalidOperation:
            return None
    return None


_IMPOSSIBLE = object()


def _date(value: Any) -> Any:
    """A date; _IMPOSSIBLE for an ISO-looking date that does not exist; None otherwise
    (dates written another way are the schema's and the importer's business)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    return _date_text(value)


@lru_cache(maxsize=4096)  # grants in one file share most of their dates
def _date_text(value: str) -> Any:
    match = _ISO_DATE.match(value)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return _IMPOSSIBLE


@lru_cache(maxsize=64)
def _years_from(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


def _first(items: Any) -> dict:
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return {}


def _dicts(items: Any) -> list[dict]:
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _prefixed(org_id: str, prefixes: frozenset[str]) -> bool:
    """True when the org-id starts with a known list prefix (as the tool: case-insensitive)."""
    upper = org_id.upper()
    parts = upper.split("-")
    # Prefixes have one to three parts (360G, GB-CHC, CN-11-CR): try each.
    return (
        parts[0] in prefixes or "-".join(parts[:2]) in prefixes or "-".join(parts[:3]) in prefixes
    )


def _charity_number_ok(number: str) -> bool:
    return len(number) in (6, 7) and number.isdigit()


def _has_at(value: Any) -> bool:
    """Whether any text inside holds an @ (outside fields meant for e-mail addresses).

    Runs on every value of every grant, so it walks with a stack rather than recursing.
    """
    stack = [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if "@" in value:
                return True
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str):
                    if "@" in item and "email" not in key.lower():
                        return True
                elif "email" not in key.lower():
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _emails(value: Any, path: str, found: list[tuple[str, str]]) -> None:
    """(path, text) of every text value holding something like an e-mail address.

    Called only for the rare grant where _has_at found an @, so building paths is cheap.
    """
    if isinstance(value, str):
        if "@" in value and _EMAIL.search(value):
            found.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            if "email" in key.lower():
                continue  # a field for an e-mail address: the schema's business
            _emails(item, f"{path}/{key}" if path else key, found)
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _emails(item, f"{path}/{number}", found)


# -- the checks ------------------------------------------------------------------------------


class _Out:
    __slots__ = ("findings", "index", "sheet", "row")

    def __init__(self, index: int, rows: Sequence[tuple[str, int]]) -> None:
        self.findings: list[Finding] = []
        self.index = index
        self.sheet, self.row = rows[0] if rows else ("", None)

    def add(self, code: str, full_path: str, value: Any = None) -> None:
        self.findings.append(
            Finding(
                code,
                SEVERITY[code],
                MESSAGES[code],
                _without_numbers(full_path),
                full_path,
                value,
                self.index,
                self.sheet,
                self.row,
            )
        )


@lru_cache(maxsize=4096)
def _without_numbers(full_path: str) -> str:
    """The path without list numbers ("recipientOrganization/0/id" → "recipientOrganization/id")."""
    return "/".join(p for p in full_path.split("/") if not p.isdigit())


# Title and Description: normalise.py reports e-mail addresses there (as personal data).
SKIP_FOR_EMAILS = frozenset({"title", "description", "recipientIndividual"})


def grant_findings(
    grant: Any,
    *,
    index: int,
    rows: Sequence[tuple[str, int]] = (),
    codelists: Codelists | None = None,
    today: dt.date | None = None,
    usefulness: bool = True,
) -> list[Finding]:
    """The additional checks' findings for one grant (none for anything that is not a grant).

    index: the grant's position in the file (0-based); rows: the (sheet, row) pairs it was
    read from, for spreadsheets. today: the date "future" and "past" are measured from.
    usefulness: False leaves out the "info" findings (the tool's usefulness checks), which
    most real files trigger on every grant.
    """
    if not isinstance(grant, dict):
        return []
    out = _Out(index, rows)
    lists = codelists or Codelists()
    today = today or dt.date.today()
    individual = "recipientIndividual" in grant
    _amount(grant, out)
    _organisations(grant, out, lists, individual=individual)
    _dates(grant, out, today)
    _individual(grant, out, individual=individual)
    _codelists(grant, out, lists, individual=individual)
    if usefulness:
        _usefulness(grant, out, individual=individual)
    found: list[tuple[str, str]] = []
    # Any text holding an @ shows in the grant's repr (made in C), so most grants, which
    # hold none, are passed over without walking their values.
    for key, value in grant.items() if "@" in repr(grant) else ():
        if isinstance(value, str) and "@" not in value:
            continue  # most values: plain text with no @
        if key in SKIP_FOR_EMAILS or "email" in key.lower() or not _has_at(value):
            continue
        _emails(value, key, found)
    for path, text in found:
        out.add("quality-email", path, None if individual else text)
    if not usefulness:
        return [f for f in out.findings if f.severity == WARNING]
    return out.findings


def _amount(grant: dict, out: _Out) -> None:
    amount = _number(grant.get("amountAwarded"))
    if amount is None:
        return  # no readable amount: the importer refuses the grant
    if amount == 0:
        out.add("quality-amount-zero", "amountAwarded", grant.get("amountAwarded"))
    elif amount < 0:
        out.add("quality-amount-negative", "amountAwarded", grant.get("amountAwarded"))


def _org_id_format(org_id: str, path: str, out: _Out) -> None:
    upper = org_id.upper()
    if upper.startswith("GB-CHC-"):
        if not _charity_number_ok(org_id[7:]):
            out.add("quality-org-id-charity", path, org_id)
    elif upper.startswith("GB-COH-") and not _COMPANY.match(org_id[7:]):
        out.add("quality-org-id-company", path, org_id)


def _organisations(grant: dict, out: _Out, lists: Codelists, *, individual: bool) -> None:
    prefixes = lists.org_id_prefixes
    funder_ids = set()
    for number, funder in enumerate(_dicts(grant.get("fundingOrganization"))):
        org_id = _text(funder.get("id"))
        if not org_id:
            continue
        funder_ids.add(org_id.upper())
        path = f"fundingOrganization/{number}/id"
        if org_id.upper().startswith("360G"):
            out.add("useful-funder-360g", path, org_id)
        elif prefixes is not None and not _prefixed(org_id, prefixes):
            out.add("quality-funder-prefix", path, org_id)
        _org_id_format(org_id, path, out)
    if individual:
        return
    for number, org in enumerate(_dicts(grant.get("recipientOrganization"))):
        base = f"recipientOrganization/{number}"
        org_id = _text(org.get("id"))
        if org_id:
            path = f"{base}/id"
            if org_id.upper().startswith("360G"):
                out.add("useful-recipient-360g", path, org_id)
            elif _BARE_NUMBER.match(org_id):
                out.add("quality-recipient-unprefixed-number", path, org_id)
            elif prefixes is not None and not _prefixed(org_id, prefixes):
                out.add("quality-recipient-prefix", path, org_id)
            _org_id_format(org_id, path, out)
            if org_id.upper() in funder_ids:
                out.add("quality-funder-is-recipient", path, org_id)
        charity = org.get("charityNumber")
        if charity not in (None, ""):
            text = str(charity)
            digits = text[2:] if text[:2].isalpha() else text
            if not _charity_number_ok(digits):
                out.add("quality-charity-number", f"{base}/charityNumber", charity)
        company = org.get("companyNumber")
        if company not in (None, "") and not _COMPANY.match(str(company)):
            out.add("quality-company-number", f"{base}/companyNumber", company)
        if not org.get("charityNumber") and not org.get("companyNumber"):
            out.add("useful-no-charity-or-company-number", f"{base}/id")
        postcode = org.get("postalCode")
        if isinstance(postcode, str) and postcode.strip() and not _POSTCODE.match(postcode):
            out.add("quality-postcode", f"{base}/postalCode", postcode)
        located = any(
            loc.get("geoCode") and loc.get("geoCodeType") for loc in _dicts(org.get("location"))
        )
        if not (postcode or located):
            out.add("useful-no-recipient-location", f"{base}/id")


DATE_FIELDS = (
    ("awardDate", "awardDate"),
    ("plannedDates/0/startDate", "planned_start"),
    ("plannedDates/0/endDate", "planned_end"),
    ("actualDates/0/startDate", "actual_start"),
    ("actualDates/0/endDate", "actual_end"),
)


def _dates(grant: dict, out: _Out, today: dt.date) -> None:
    planned, actual = _first(grant.get("plannedDates")), _first(grant.get("actualDates"))
    raw = {
        "awardDate": grant.get("awardDate"),
        "planned_start": planned.get("startDate"),
        "planned_end": planned.get("endDate"),
        "actual_start": actual.get("startDate"),
        "actual_end": actual.get("endDate"),
    }
    if not any(raw.values()):
        return
    dates = {name: _date(value) for name, value in raw.items()}
    for path, name in DATE_FIELDS:
        if dates[name] is _IMPOSSIBLE:
            out.add("quality-date-impossible", path, raw[name])
            dates[name] = None
            break
    for name in raw:  # a later impossible date is not used either
        if dates[name] is _IMPOSSIBLE:
            dates[name] = None
    start, end = dates["planned_start"], dates["planned_end"]
    if start and end and start > end:
        out.add("quality-planned-start-after-end", DATE_FIELDS[1][0], raw["planned_start"])
    start, end = dates["actual_start"], dates["actual_end"]
    if start and end and start > end:
        out.add("quality-actual-start-after-end", DATE_FIELDS[3][0], raw["actual_start"])
    if dates["awardDate"] and dates["awardDate"] > today:
        out.add("quality-award-date-future", "awardDate", raw["awardDate"])
    planned_limit = _years_from(today, PLANNED_YEARS_AHEAD)
    for path, name in DATE_FIELDS[1:3]:
        if dates[name] and dates[name] > planned_limit:
            out.add("quality-planned-far-future", path, raw[name])
            break
    actual_limit = _years_from(today, ACTUAL_YEARS_AHEAD)
    for path, name in DATE_FIELDS[3:]:
        if dates[name] and dates[name] > actual_limit:
            out.add("quality-actual-far-future", path, raw[name])
            break
    past_limit = _years_from(today, -YEARS_BEHIND)
    for path, name in DATE_FIELDS:
        if dates[name] and dates[name] < past_limit:
            out.add("quality-date-far-past", path, raw[name])
            break


def _individual(grant: dict, out: _Out, *, individual: bool) -> None:
    if not individual:
        return
    if "toIndividualsDetails" not in grant:
        out.add("quality-individual-no-details", "recipientIndividual/id")
    if "project" in grant:
        out.add("quality-individual-dei", "recipientIndividual/id")


def _check_codes(
    values: Iterable[tuple[str, Any]], allowed: frozenset[str] | None, code: str, out: _Out
) -> None:
    if allowed is None:
        return
    for path, value in values:
        if value in (None, ""):
            continue
        if not isinstance(value, str) or value.strip() not in allowed:
            out.add(code, path, value)


def _codelists(grant: dict, out: _Out, lists: Codelists, *, individual: bool) -> None:
    locations = [
        (f"beneficiaryLocation/{n}", loc)
        for n, loc in enumerate(_dicts(grant.get("beneficiaryLocation")))
    ]
    for key in ("recipientOrganization", "fundingOrganization"):
        if key == "recipientOrganization" and individual:
            continue
        for n, org in enumerate(_dicts(grant.get(key))):
            locations += [
                (f"{key}/{n}/location/{m}", loc)
                for m, loc in enumerate(_dicts(org.get("location")))
            ]
    for key, allowed, code in (
        ("geoCodeType", lists.geo_code_types, "quality-codelist-geocodetype"),
        ("countryCode", lists.countries, "quality-codelist-country"),
    ):
        if allowed is None:
            continue
        for p, loc in locations:  # the path is written only for a value that fails
            value = loc.get(key)
            if value in (None, ""):
                continue
            if not isinstance(value, str) or value.strip() not in allowed:
                out.add(code, f"{p}/{key}", value)
    _check_codes(
        [("currency", grant.get("currency"))], lists.currencies, "quality-codelist-currency", out
    )
    _check_codes(
        [("regrantType", grant.get("regrantType"))],
        lists.regrant_types,
        "quality-codelist-regrant",
        out,
    )
    _check_codes(
        [("locationScope", grant.get("locationScope"))],
        lists.location_scopes,
        "quality-codelist-scope",
        out,
    )
    details = grant.get("toIndividualsDetails")
    if isinstance(details, dict):
        _check_codes(
            [
                ("toIndividualsDetails/primaryGrantReason", details.get("primaryGrantReason")),
                ("toIndividualsDetails/secondaryGrantReason", details.get("secondaryGrantReason")),
            ],
            lists.reasons,
            "quality-codelist-reason",
            out,
        )
        purposes = details.get("grantPurpose")
        if isinstance(purposes, str):
            purposes = [purposes]
        if isinstance(purposes, list):
            _check_codes(
                (
                    (f"toIndividualsDetails/grantPurpose/{n}", value)
                    for n, value in enumerate(purposes)
                ),
                lists.purposes,
                "quality-codelist-purpose",
                out,
            )


def _usefulness(grant: dict, out: _Out, *, individual: bool) -> None:
    title, description = grant.get("title"), grant.get("description")
    if isinstance(title, str) and len(title) > TITLE_MAX:
        out.add("useful-title-long", "title", None if individual else title)
    if title and description and title == description:
        out.add("useful-title-is-description", "description")
    elif isinstance(description, str) and 0 < len(description.strip()) < DESCRIPTION_MIN:
        out.add("useful-description-short", "description", None if individual else description)
    if not grant.get("grantProgramme"):
        out.add("useful-no-programme", "id")
    if not grant.get("beneficiaryLocation"):
        out.add("useful-no-beneficiary-location", "id")
    if not grant.get("dateModified"):
        out.add("useful-no-last-modified", "id")
    if not grant.get("dataSource"):
        out.add("useful-no-data-source", "id")
