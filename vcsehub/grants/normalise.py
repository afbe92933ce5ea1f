"""Make imperfect grants usable: read dates, amounts, Yes/No and org-ids the way people write them.

Every change is reported (code, field, value) so the import can record it as a warning;
the schema validation still reports the file honestly. Only a grant with no identifier
or no readable amount is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

# -- organisation identifiers (org-id.guide) -----------------------------------------------

# Values repeat from grant to grant (dates, funders' org-ids, postcodes): reading each
# distinct text once saves much of the time on a large file.
CACHE = 8192
_CHC = re.compile(r"^GB-?CHC-?0*(\d+)$", re.I)
_COH = re.compile(r"^GB-?COH-?([A-Z]{2})?(\d+)$", re.I)
_SC = re.compile(r"^GB-?SC-?(?:SC)?0*(\d+)$", re.I)
_NIC = re.compile(r"^GB-?NIC-?(?:NIC|XN|XR)?0*(\d+)$", re.I)
_SPACES = re.compile(r"\s+")


def org_id(value: Any) -> str:
    """An org-id in its standard form, e.g. 'gb-chc-0123' → 'GB-CHC-123'.

    GB-CHC numbers lose leading zeros; GB-COH numbers are 8 characters, zero-padded, keeping
    SC/NI/OC-style letters; GB-SC numbers include their 'SC'; GB-NIC numbers are digits.
    Unknown schemes (360G-…, XI-…) are kept as published, without surrounding spaces.
    """
    if value is None:
        return ""
    return _org_id_text(str(value))


@lru_cache(maxsize=CACHE)
def _org_id_text(value: str) -> str:
    text = _SPACES.sub("", value)
    if not text:
        return ""
    if match := _CHC.match(text):
        return f"GB-CHC-{int(match.group(1))}"
    if match := _COH.match(text):
        letters = (match.group(1) or "").upper()
        return f"GB-COH-{letters}{match.group(2).zfill(8 - len(letters))}"
    if match := _SC.match(text):
        return f"GB-SC-SC{match.group(1).zfill(6)}"
    if match := _NIC.match(text):
        return f"GB-NIC-{int(match.group(1))}"
    return text


def charity_org_id(number: Any) -> str:
    """The org-id of a charity number as people write it ('1090095', 'SC012345', 'NIC100012')."""
    return _charity_org_id_text(str(number or ""))


@lru_cache(maxsize=CACHE)
def _charity_org_id_text(number: str) -> str:
    text = _SPACES.sub("", number).upper()
    if not text:
        return ""
    if re.fullmatch(r"\d{5,8}(-\d+)?", text):
        return f"GB-CHC-{int(text.split('-')[0])}"
    if re.fullmatch(r"SC\d{5,6}", text):
        return f"GB-SC-SC{text[2:].zfill(6)}"
    if re.fullmatch(r"(NIC|XN|XR)?\d{5,6}", text) and text.startswith(("NIC", "XN", "XR")):
        return f"GB-NIC-{int(re.sub(r'^[A-Z]+', '', text))}"
    return ""


def company_org_id(number: Any) -> str:
    return _company_org_id_text(str(number or ""))


@lru_cache(maxsize=CACHE)
def _company_org_id_text(number: str) -> str:
    text = _SPACES.sub("", number).upper()
    if re.fullmatch(r"([A-Z]{2})?\d{1,8}", text):
        return org_id(f"GB-COH-{text}")
    return ""


def org_id_prefix(value: str) -> str:
    """The list prefix of an org-id: 'GB-CHC' for 'GB-CHC-123', '360G' for '360G-abc-1'."""
    parts = value.split("-")
    if value.upper().startswith("360G-"):
        return "360G"
    return "-".join(parts[:2]) if len(parts) >= 3 else ""


# -- values --------------------------------------------------------------------------------

_MONEY_JUNK = re.compile(r"[£$€,\s]|GBP|USD|EUR", re.I)
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(months?|mths?|m)?\s*$", re.I)
CENT = Decimal("0.01")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_BREAKS = re.compile(r"[\r\n\t]")
_CURRENCY = re.compile(r"[A-Z]{3}")


def money(value: Any) -> tuple[Decimal | None, bool]:
    """(amount, changed): '£1,000.50' → (Decimal('1000.50'), True); unreadable → (None, False)."""
    if value is None or isinstance(value, bool):
        return None, False
    if isinstance(value, (int, Decimal)):
        amount, changed = Decimal(value), False
    elif isinstance(value, float):
        amount, changed = Decimal(repr(value)), False
    else:
        text = _MONEY_JUNK.sub("", str(value))
        try:
            amount = Decimal(text)
        except InvalidOperation:
            return None, False
        changed = True
    if not amount.is_finite():
        return None, False
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded, changed or rounded != amount


def date(value: Any) -> tuple[dt.date | None, str]:
    """(date, how): how is '' for ISO dates, else 'dd/mm/yyyy', 'mm/yyyy', or 'unreadable'."""
    if value is None or value == "":
        return None, ""
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    return _date_text(str(value).strip())


@lru_cache(maxsize=CACHE)
def _date_text(text: str) -> tuple[dt.date | None, str]:
    if match := _ISO_DATE.match(text):
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3])), ""
        except ValueError:
            return None, "unreadable"
    if match := _DMY.match(text):
        try:
            return dt.date(int(match[3]), int(match[2]), int(match[1])), "dd/mm/yyyy"
        except ValueError:
            return None, "unreadable"
    if match := _MY.match(text):
        try:
            return dt.date(int(match[2]), int(match[1]), 1), "mm/yyyy"
        except ValueError:
            return None, "unreadable"
    return None, "unreadable"


def yes_no(value: Any) -> tuple[bool | None, bool]:
    """(answer, changed): 'Yes'/'No' as they are; 'Y', 'N', 'true', 'false' changed."""
    if value is None or value == "":
        return None, False
    text = str(value).strip().lower()
    if text in ("yes", "no"):
        return text == "yes", str(value) not in ("Yes", "No")
    if text in ("y", "true", "1"):
        return True, True
    if text in ("n", "false", "0"):
        return False, True
    return None, True


def postcode(value: Any) -> str:
    """A UK postcode in standard form ('b11 1aa' → 'B11 1AA'), or '' when it is not one."""
    return _postcode_text(str(value or ""))


@lru_cache(maxsize=CACHE)
def _postcode_text(value: str) -> str:
    text = _SPACES.sub(" ", value).strip().upper()
    match = _POSTCODE.match(text)
    if not match and len(text) >= 5 and text[-3] == "O":
        # A letter O typed for a zero, as in "B12 OPH".
        match = _POSTCODE.match(f"{text[:-3]}0{text[-2:]}")
    return f"{match[1]} {match[2]}" if match else ""


def duration(value: Any) -> tuple[Decimal | None, bool]:
    if value is None or value == "" or isinstance(value, bool):
        return None, False
    if isinstance(value, (int, Decimal)):
        return Decimal(value), False
    match = _DURATION.match(str(value))
    if not match:
        return None, True
    return Decimal(match[1]), True


# -- a whole grant ----------------------------------------------------------------------------


@dataclass
class Change:
    code: str
    path: str
    value: Any
    message: str


@dataclass
class NormalisedGrant:
    fields: dict = field(default_factory=dict)
    locations: list[dict] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    rejected: str = ""  # why the grant cannot be imported


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _first(items: Any) -> dict:
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    if isinstance(items, dict):
        return items
    return {}


def _dicts(items: Any) -> list[dict]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def grant(data: Any) -> NormalisedGrant:
    """The Grant model's fields for one 360Giving grant, with every change recorded."""
    result = NormalisedGrant()
    if not isinstance(data, dict):
        result.rejected = "not-a-grant"
        return result
    changes = result.changes
    identifier = _text(data.get("id"))
    if not identifier:
        result.rejected = "no-identifier"
        return result
    if identifier != data.get("id"):
        changes.append(
            Change(
                "identifier-spaces",
                "id",
                data.get("id"),
                "Spaces or line breaks around the Identifier were removed.",
            )
        )
    if _BREAKS.search(identifier):
        changes.append(
            Change(
                "identifier-line-break",
                "id",
                identifier,
                "An Identifier holds a line break or tab; it was kept as written, but it is probably a typing mistake.",
            )
        )
    for key in ("recipientOrganization", "fundingOrganization"):
        for org in _dicts(data.get(key)):
            found = [name for name in ("email", "telephone", "contactName") if org.get(name)]
            if found:
                changes.append(
                    Change(
                        "contact-details",
                        f"{key}/{found[0]}",
                        "(not shown)",
                        "Contact details (e-mail, phone number or contact name) were found; VCSE Hub does not store them. Published grants data should not name people or hold their contact details.",
                    )
                )
    for key in ("title", "description"):
        text = data.get(key)
        # The "@" test first: searching long descriptions with the pattern is slow.
        if isinstance(text, str) and "@" in text and _EMAIL.search(text):
            changes.append(
                Change(
                    "email-address",
                    key,
                    "(not shown)",
                    f"An e-mail address appears in {key.title()}. Published grants data should not hold personal contact details.",
                )
            )
    amount, changed = money(data.get("amountAwarded"))
    if amount is None:
        result.rejected = "no-amount"
        return result
    if changed:
        changes.append(
            Change(
                "amount-text",
                "amountAwarded",
                data.get("amountAwarded"),
                "Amount Awarded was written as text (with £, commas or spaces, or more than 2 decimal places) and was read as a number.",
            )
        )
    f = result.fields
    f["identifier"] = identifier
    f["title"] = _text(data.get("title"))
    f["description"] = _text(data.get("description"))
    currency = _text(data.get("currency")).upper()
    if currency != _text(data.get("currency")):
        changes.append(
            Change(
                "currency-case",
                "currency",
                data.get("currency"),
                "Currency was written in lower case.",
            )
        )
    f["currency"] = currency[:3] if _CURRENCY.fullmatch(currency) else ""
    f["amount_awarded"] = amount
    for key, name in (
        ("amountAppliedFor", "amount_applied_for"),
        ("amountDisbursed", "amount_disbursed"),
    ):
        value, changed = money(data.get(key))
        f[name] = value
        if changed and value is not None:
            changes.append(
                Change(
                    "amount-text",
                    key,
                    data.get(key),
                    f"{key} was written as text and was read as a number.",
                )
            )
    f["award_date"] = _date(data.get("awardDate"), "awardDate", changes)
    planned = _first(data.get("plannedDates"))
    f["planned_start_date"] = _date(planned.get("startDate"), "plannedDates/startDate", changes)
    f["planned_end_date"] = _date(planned.get("endDate"), "plannedDates/endDate", changes)
    months, changed = duration(planned.get("duration"))
    if changed:
        changes.append(
            Change(
                "duration-text",
                "plannedDates/duration",
                planned.get("duration"),
                "Planned Dates:Duration (months) was text; the number of months was read from it."
                if months is not None
                else "Planned Dates:Duration (months) could not be read as a number of months and was left out.",
            )
        )
    f["planned_duration_months"] = (
        months if months is not None and months < Decimal("100000") else None
    )
    funders = _dicts(data.get("fundingOrganization"))
    funder = funders[0] if funders else {}
    f["funder_org_id"] = org_id(funder.get("id"))
    f["funder_name"] = _text(funder.get("name"))
    _org_id_change(funder.get("id"), f["funder_org_id"], "fundingOrganization/id", changes)
    open_call, changed = yes_no(data.get("fromOpenCall"))
    f["from_open_call"] = open_call
    if changed:
        changes.append(
            Change(
                "open-call",
                "fromOpenCall",
                data.get("fromOpenCall"),
                'From An Open Call? should be "Yes" or "No"; other answers such as "Y" and "N" were read as Yes or No where possible.',
            )
        )
    f["programmes"] = [
        {"code": _text(p.get("code")), "title": _text(p.get("title"))}
        for p in _dicts(data.get("grantProgramme"))
    ]
    f["classifications"] = [
        {
            "vocabulary": _text(c.get("vocabulary")),
            "code": _text(c.get("code")),
            "title": _text(c.get("title")),
        }
        for c in _dicts(data.get("classifications"))
    ]
    f["data_source"] = (
        _text(data.get("dataSource"))[:1000]
        if _text(data.get("dataSource")).startswith(("http://", "https://"))
        else ""
    )
    f["date_modified"] = _text(data.get("dateModified"))[:40]
    individual = "recipientIndividual" in data and not data.get("recipientOrganization")
    _recipient(data, f, changes, individual=individual)
    _locations(data, result, individual=individual)
    return result


def _date(value: Any, path: str, changes: list[Change]) -> dt.date | None:
    parsed, how = date(value)
    if how == "unreadable":
        changes.append(
            Change(
                "date-unreadable",
                path,
                value,
                f"{path} is not a date VCSE Hub can read, so it was left out.",
            )
        )
    elif how:
        changes.append(
            Change(
                f"date-{how.replace('/', '')}",
                path,
                value,
                f"{path} was written {how} and was read as a date"
                + (" (the 1st of the month)." if how == "mm/yyyy" else "."),
            )
        )
    return parsed


def _org_id_change(published: Any, normalised: str, path: str, changes: list[Change]) -> None:
    if published is not None and normalised and normalised != str(published):
        changes.append(
            Change(
                "org-id-normalised",
                path,
                published,
                "An organisation identifier was written in a non-standard form and was corrected (e.g. GB-CHC-0123 → GB-CHC-123).",
            )
        )


def _recipient(data: dict, f: dict, changes: list[Change], *, individual: bool) -> None:
    if individual:
        # The standard asks publishers to make these anonymous; we keep nothing of them anyway.
        f["recipient_type"] = "individual"
        f["recipient_org_id"] = f["recipient_org_id_as_published"] = f["recipient_name"] = ""
        f["recipient_charity_number"] = f["recipient_company_number"] = f["recipient_postcode"] = ""
        f["recipient_other_org_ids"] = []
        details = (
            data.get("toIndividualsDetails")
            if isinstance(data.get("toIndividualsDetails"), dict)
            else {}
        )
        f["individual_details"] = {
            "primary_reason": _text(details.get("primaryGrantReason")),
            "secondary_reason": _text(details.get("secondaryGrantReason")),
            "purposes": [str(p) for p in details.get("grantPurpose", []) if isinstance(p, str)]
            if isinstance(details.get("grantPurpose"), list)
            else [],
        }
        return
    recipient = _first(data.get("recipientOrganization"))
    f["recipient_type"] = "organisation"
    f["individual_details"] = {}
    published = _text(recipient.get("id"))
    f["recipient_org_id_as_published"] = published[:300]
    f["recipient_org_id"] = org_id(published)
    _org_id_change(recipient.get("id"), f["recipient_org_id"], "recipientOrganization/id", changes)
    f["recipient_name"] = _text(recipient.get("name"))[:500]
    f["recipient_charity_number"] = _text(recipient.get("charityNumber"))[:50]
    f["recipient_company_number"] = _text(recipient.get("companyNumber"))[:50]
    raw_postcode = recipient.get("postalCode")
    f["recipient_postcode"] = postcode(raw_postcode)
    if raw_postcode and not f["recipient_postcode"]:
        changes.append(
            Change(
                "postcode-unreadable",
                "recipientOrganization/postalCode",
                raw_postcode,
                "Recipient Org:Postal Code is not a UK postcode, so it was left out.",
            )
        )
    others = [
        charity_org_id(f["recipient_charity_number"]),
        company_org_id(f["recipient_company_number"]),
    ]
    f["recipient_other_org_ids"] = [o for o in others if o and o != f["recipient_org_id"]]


def _locations(data: dict, result: NormalisedGrant, *, individual: bool) -> None:
    locations = []
    for place in _dicts(data.get("beneficiaryLocation")):
        code = _text(place.get("geoCode"))
        code_is_postcode = bool(code and postcode(code))
        if code_is_postcode and individual:
            result.changes.append(
                Change(
                    "individual-postcode",
                    "beneficiaryLocation/geoCode",
                    "(removed)",
                    "A postcode was given as the location of a grant to an individual; it was not stored, because it could identify the person.",
                )
            )
            code = ""
        elif code_is_postcode:
            result.changes.append(
                Change(
                    "geocode-postcode",
                    "beneficiaryLocation/geoCode",
                    code,
                    "Beneficiary Location:Geographic Code holds a postcode, not an ONS area code; it was not used as an area code.",
                )
            )
            code = ""
        entry = {
            "name": _text(place.get("name"))[:300],
            "geo_code": code[:20],
            "geo_code_type": _text(place.get("geoCodeType"))[:20],
            "country_code": _text(place.get("countryCode"))[:10],
        }
        locations.append(entry)
        if entry["geo_code"]:
            result.locations.append(entry)
    result.fields["beneficiary_locations"] = locations
