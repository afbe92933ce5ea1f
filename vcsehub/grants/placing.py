"""Place each grant on the map, and link its recipient and funder to the charity registers.

A grant is placed by the best location available, in this order:

1. **beneficiary-area**: the grant's own beneficiary location, when it names one local
   area by its ONS GSS code — a small area (LSOA 2011 or 2021, or an LSOA *name* such as
   "Oxford 008B", which some publishers put in the code column), a ward or a local
   authority. Several local beneficiary areas in one local authority place the grant at
   that local authority; areas wider than a local authority (a county, region or country)
   are too wide to place and the next method is tried.
2. **beneficiary-postcode**: a beneficiary location given as a postcode.
3. **recipient-postcode**: the recipient organisation's postcode in the grant.
4. **register-postcode**: the postcode of the recipient's registered address, when its
   org-id (or its charity or company number) matches a charity register record.

The place then gives the small areas (LSOA 2011 and 2021), the ward, the local authority
and the IMD 2019 and 2025 deciles of the small area. A postcode gives all of these
through the postcode lookup. A small area gives its local authority and deciles; its ward
is the ward holding most of its postcodes (derived, as on the area pages). A ward or a
local authority gives no decile. Every grant records the method and, in plain words, why.

Recipients are linked to the registers here too (the register record's org-id and its
income band), so pages can show grants by recipient size; "not known" stays blank. So are
funders (Funder.register_org_id, with a note saying how, or why not), so a funder page
links to the funder's register page.
Run again (`vcsehub grants_place`) whenever postcodes, areas or registers are re-imported.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from vcsehub.geography.lookup import postcodes_lookup
from vcsehub.geography.models import Area, AreaType, Deprivation, DeprivationIndex, LsoaLookup
from vcsehub.geography.models import Postcode as PostcodeRow
from vcsehub.grants import normalise
from vcsehub.grants.models import Funder, Grant

CHUNK = 500  # codes per IN (...) query
READ_CHUNK = 5000
BATCH = 20000  # grants decided together (one round of bulk look-ups)
UPDATE_CHUNK = 900
# place_postcode is written from the grant's own recipient_postcode column in SQL, so
# grants placed (or not) by their recipient's postcode share one UPDATE per place.
FROM_RECIPIENT = "<recipient>"  # ids per UPDATE (under SQLite's variable limit with the SET values)


class PlaceMethod(models.TextChoices):
    BENEFICIARY_AREA = "beneficiary-area", "The grant's beneficiary area"
    BENEFICIARY_POSTCODE = "beneficiary-postcode", "The grant's beneficiary postcode"
    RECIPIENT_POSTCODE = "recipient-postcode", "The recipient's postcode in the grant"
    REGISTER_POSTCODE = "register-postcode", "The recipient's registered address"
    NONE = "none", "Not placed"


METHOD_ORDER = [m.value for m in PlaceMethod]
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
WARD_CODE = re.compile(r"^[EWSN]05\d{6}$|^S13\d{6}$")
LAD_CODE = re.compile(r"^(E0[6789]|W06|S12|N09)\d{6}$")
GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
LSOA_NAME = re.compile(r"^.+ \d{3}[A-Z]$")
PLACE_FIELDS = (
    "place_method",
    "place_note",
    "place_postcode",
    "place_postcode_status",
    "place_lsoa11",
    "place_lsoa21",
    "place_ward",
    "place_lad",
    "place_imd2019_decile",
    "place_imd2025_decile",
    "recipient_register_org_id",
    "recipient_income_band",
)


@dataclass
class Place:
    method: str = PlaceMethod.NONE
    note: str = ""
    postcode: str = ""
    postcode_status: str = ""
    lsoa11: str = ""
    lsoa21: str = ""
    ward: str = ""
    lad: str = ""
    imd2019: int | None = None
    imd2025: int | None = None
    register_org_id: str = ""
    income_band: str = ""

    def values(self) -> tuple:
        return (
            self.method,
            self.note[:300],
            self.postcode,
            self.postcode_status,
            self.lsoa11,
            self.lsoa21,
            self.ward,
            self.lad,
            self.imd2019,
            self.imd2025,
            self.register_org_id,
            self.income_band,
        )


@dataclass
class PlacementSummary:
    grants: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    with_lad: int = 0
    with_imd2019: int = 0
    with_imd2025: int = 0
    linked_to_register: int = 0
    funders_linked: int = 0
    registers_loaded: bool = False

    def lines(self) -> list[str]:
        labels = dict(PlaceMethod.choices)
        out = [f"{self.grants:,} grants placed:"]
        for method in METHOD_ORDER:
            if self.by_method.get(method):
                out.append(f"  {labels[method]}: {self.by_method[method]:,}")
        out.append(f"  with a local authority: {self.with_lad:,}")
        out.append(
            f"  with an IMD decile: {self.with_imd2019:,} (IoD2019), {self.with_imd2025:,} (IoD2025)"
        )
        if self.registers_loaded:
            out.append(f"  recipients linked to a charity register: {self.linked_to_register:,}")
            out.append(f"  funders linked to a charity register: {self.funders_linked:,}")
        else:
            out.append("  charity registers: not loaded, so no recipient was linked")
        return out


# -- the areas a beneficiary location names -----------------------------------------------


@dataclass(frozen=True)
class AreaPlace:
    """What one area code or small-area name resolves to."""

    level: str  # "lsoa", "ward", "lad" or "wide"
    code: str
    lsoa11: str = ""
    lsoa21: str = ""
    ward: str = ""
    lad: str = ""


class _Areas:
    """Bulk resolution of beneficiary area codes and LSOA names to places."""

    def __init__(self, codes: set[str], names: set[str]) -> None:
        self.by_code: dict[str, AreaPlace] = {}
        self.by_name: dict[str, str] = {}  # LSOA 2011 name (upper case) → code
        lsoa_codes = {c for c in codes if LSOA_CODE.match(c)}
        if names:
            upper = {n.upper() for n in names}
            for code, name in Area.objects.filter(
                type__in=(AreaType.LSOA11, AreaType.WELSH_LSOA11), name__in=list(names)
            ).values_list("code", "name"):
                self.by_name[name.upper()] = code
            missing = upper - set(self.by_name)
            if missing:  # names written in another case
                for code, name in (
                    Area.objects.filter(type__in=(AreaType.LSOA11, AreaType.WELSH_LSOA11))
                    .filter(name__in=[n.title() for n in missing])
                    .values_list("code", "name")
                ):
                    self.by_name[name.upper()] = code
            lsoa_codes |= set(self.by_name.values())
        self._lsoas(lsoa_codes)
        self._others({c for c in codes if not LSOA_CODE.match(c)})

    def _lsoas(self, codes: set[str]) -> None:
        if not codes:
            return
        areas: dict[str, dict[str, str]] = defaultdict(dict)
        for chunk in _chunks(codes):
            for code, kind, lad in Area.objects.filter(
                code__in=chunk,
                type__in=(AreaType.LSOA11, AreaType.WELSH_LSOA11, AreaType.LSOA21),
            ).values_list("code", "type", "lad_code"):
                areas[code]["21" if kind == AreaType.LSOA21 else "11"] = lad
        forward: dict[str, set[str]] = defaultdict(set)
        back: dict[str, set[str]] = defaultdict(set)
        for chunk in _chunks(codes):
            for lsoa11, lsoa21 in LsoaLookup.objects.filter(
                models.Q(lsoa11__in=chunk) | models.Q(lsoa21__in=chunk)
            ).values_list("lsoa11", "lsoa21"):
                forward[lsoa11].add(lsoa21)
                back[lsoa21].add(lsoa11)
        wards = _ward_best_fit(codes)
        for code in codes:
            kinds = areas.get(code, {})
            if not kinds:
                continue
            lsoa11 = code if "11" in kinds else ""
            lsoa21 = code if "21" in kinds else ""
            # The other vintage only when the best-fit lookup gives exactly one area.
            if lsoa11 and not lsoa21 and len(forward.get(code, ())) == 1:
                lsoa21 = next(iter(forward[code]))
            if lsoa21 and not lsoa11 and len(back.get(code, ())) == 1:
                lsoa11 = next(iter(back[code]))
            lad = kinds.get("21") or kinds.get("11") or ""
            ward = wards.get(lsoa21 or "", "") or wards.get(lsoa11 or "", "")
            self.by_code[code] = AreaPlace("lsoa", code, lsoa11, lsoa21, ward, lad)

    def _others(self, codes: set[str]) -> None:
        if not codes:
            return
        found: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(codes):
            for code, kind, lad in (
                Area.objects.filter(code__in=chunk)
                .order_by("year")
                .values_list("code", "type", "lad_code")
            ):
                found[code] = (kind, lad)
        for code in codes:
            kind, lad = found.get(code, ("", ""))
            if kind == AreaType.WARD or (not kind and WARD_CODE.match(code)):
                self.by_code[code] = AreaPlace("ward", code, ward=code, lad=lad)
            elif kind == AreaType.LAD or (not kind and LAD_CODE.match(code)):
                # A former district points at its successor through lad_code.
                self.by_code[code] = AreaPlace("lad", code, lad=lad or code)
            elif kind or GSS_CODE.match(code):
                self.by_code[code] = AreaPlace("wide", code)

    def place_of(self, location: dict) -> AreaPlace | None:
        code = (location.get("geo_code") or "").strip().upper()
        if code in self.by_code:
            return self.by_code[code]
        name_code = self.by_name.get(code) or self.by_name.get(
            (location.get("name") or "").strip().upper()
        )
        if name_code and (location.get("geo_code_type") or "").upper() in ("LSOA", ""):
            return self.by_code.get(name_code)
        return None


def _ward_best_fit(lsoa_codes: set[str]) -> dict[str, str]:
    """LSOA code → the ward holding most of its postcodes (derived; ties: lower ward code)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for column in ("lsoa11", "lsoa21"):
        for chunk in _chunks(lsoa_codes):
            rows = (
                PostcodeRow.objects.filter(**{f"{column}__in": chunk})
                .exclude(ward_code="")
                .values(column, "ward_code")
                .annotate(n=models.Count("id"))
                .values_list(column, "ward_code", "n")
            )
            for lsoa, ward, n in rows:
                counts[lsoa][ward] += n
    return {
        lsoa: min(by_ward.items(), key=lambda item: (-item[1], item[0]))[0]
        for lsoa, by_ward in counts.items()
    }


def _chunks(values: Iterable[str]) -> Iterable[list[str]]:
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


# -- the charity registers (read-only, when the charities app is installed) -----------------
#
# A grant's funder and recipient org-ids are linked to a register record (vcsehub.charities)
# when the record's own org-id matches, when the org-id is one the registers' OrgIdLink table
# says is the same body (e.g. GB-SC-… of a charity on both registers), or when it is a
# GB-COH company number that a register record gives as its company number. Common slips
# are repaired first (register_candidates). Identifiers that are not register numbers
# (360G-… made by the publisher, or a bare name) stay unlinked, and the note says so.

REGISTER_PREFIXES = ("GB-CHC", "GB-SC", "GB-NIC", "GB-COH")
_SC_LETTER_O = re.compile(r"^GB-SC-SCO(\d{4,5})$")  # "SCO12345": a letter O for the zero


@dataclass(frozen=True)
class RegisterRecord:
    org_id: str
    postcode: str
    income_band: str
    how: str = ""  # how the org-id asked for led to this record, in plain words


def registers_loaded() -> bool:
    if not apps.is_installed("vcsehub.charities"):
        return False
    return apps.get_model("charities", "Charity").objects.exists()


def register_candidates(org_id: str) -> list[str]:
    """The org-ids a register could hold this (normalised) org-id under, best first.

    Repairs a slip seen in real files: Scottish numbers written with a letter O,
    'GB-SC-SCO08158' for GB-SC-SC008158 (The Baring Foundation's file).
    """
    if not org_id:
        return []
    found = [org_id]
    if match := _SC_LETTER_O.match(org_id):
        found.append(f"GB-SC-SC{match.group(1).zfill(6)}")
    return found


def _register_records(org_ids: set[str]) -> dict[str, RegisterRecord]:
    """org-id (of any scheme linked to a register record) → that register record."""
    if not org_ids or not registers_loaded():
        return {}
    charity_model = apps.get_model("charities", "Charity")
    link_model = apps.get_model("charities", "OrgIdLink")
    aliases: dict[str, str] = {o: o for o in org_ids}
    reasons: dict[str, str] = {}
    for chunk in _chunks(org_ids):
        for a, b, reason in link_model.objects.filter(
            models.Q(org_id_a__in=chunk) | models.Q(org_id_b__in=chunk)
        ).values_list("org_id_a", "org_id_b", "reason"):
            if a in org_ids and b not in aliases:
                aliases[b], reasons[b] = a, reason
            if b in org_ids and a not in aliases:
                aliases[a], reasons[a] = b, reason
    found: dict[str, RegisterRecord] = {}
    for chunk in _chunks(aliases):
        for org_id, postcode, band in charity_model.objects.filter(org_id__in=chunk).values_list(
            "org_id", "postcode", "income_band"
        ):
            asked = aliases[org_id]
            how = "" if asked == org_id else f"the registers link {asked} to it ({reasons[org_id]})"
            found.setdefault(asked, RegisterRecord(org_id, postcode or "", band or "", how))
            found.setdefault(org_id, RegisterRecord(org_id, postcode or "", band or ""))
    companies = {
        o.removeprefix("GB-COH-"): o for o in org_ids if o.startswith("GB-COH-") and o not in found
    }
    for chunk in _chunks(companies):
        for org_id, number, postcode, band in (
            charity_model.objects.filter(company_number__in=chunk)
            .order_by("org_id")
            .values_list("org_id", "company_number", "postcode", "income_band")
        ):
            how = f"its company number {number} is on this register record"
            found.setdefault(
                companies[number], RegisterRecord(org_id, postcode or "", band or "", how)
            )
    return found


def register_record_for(
    candidates: Iterable[str], records: dict[str, RegisterRecord]
) -> RegisterRecord | None:
    for candidate in candidates:
        for repaired in register_candidates(candidate):
            if repaired in records:
                record = records[repaired]
                if repaired != candidate and not record.how:
                    how = f"{candidate} read as {repaired} (a letter O written for a zero)"
                    record = RegisterRecord(record.org_id, record.postcode, record.income_band, how)
                return record
    return None


def register_link_note(org_id: str, record: RegisterRecord | None, *, loaded: bool) -> str:
    """Why an org-id is (or is not) linked to a register record, in plain words."""
    if record is not None:
        if record.org_id == org_id:
            return f"Linked to the charity register record {record.org_id}."
        return f"Linked to the charity register record {record.org_id}: {record.how}."
    if not org_id:
        return "Not linked: the file gives no identifier."
    prefix = normalise.org_id_prefix(org_id).upper()
    if prefix == "360G":
        return (
            f"Not linked: {org_id} is an identifier the publisher made up (360G-), "
            "not a charity or company number."
        )
    if prefix in REGISTER_PREFIXES:
        if not loaded:
            return "Not linked: the charity registers are not loaded."
        return f"Not linked: no record in the charity registers loaded has the identifier {org_id}."
    if prefix:
        return f"Not linked: {prefix} identifiers are not from the UK charity registers."
    return (
        f"Not linked: {org_id} is not an identifier from a register "
        "(it has no list prefix such as GB-CHC-)."
    )


def funders_link(*, org_ids: Iterable[str] | None = None) -> int:
    """Link funders (all, or those with these org-ids) to the charity registers.

    Records the register record (Funder.register_org_id) and, in plain words, how it was
    found or why none was (Funder.register_note). Returns how many funders were linked.
    """
    funders = Funder.objects.all()
    if org_ids is not None:
        funders = funders.filter(org_id__in=list(org_ids))
    rows = list(funders.values_list("id", "org_id"))
    loaded = registers_loaded()
    records = _register_records({c for _pk, o in rows for c in register_candidates(o)})
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, org_id in rows:
        record = register_record_for([org_id], records)
        note = register_link_note(org_id, record, loaded=loaded)
        groups[(record.org_id if record else "", note[:300])].append(pk)
    for (register_org_id, note), ids in groups.items():
        for start in range(0, len(ids), UPDATE_CHUNK):
            Funder.objects.filter(id__in=ids[start : start + UPDATE_CHUNK]).update(
                register_org_id=register_org_id, register_note=note
            )
    return sum(len(ids) for (linked, _note), ids in groups.items() if linked)


# -- placing ---------------------------------------------------------------------------------

Row = tuple  # (id, recipient_type, recipient_org_id, other_org_ids, postcode, locations)


def _beneficiary(locations: list[dict], areas: _Areas) -> tuple[AreaPlace | None, str, str]:
    """(area place, beneficiary postcode, note) from a grant's beneficiary locations."""
    if not locations:
        return None, "", ""
    places = [areas.place_of(loc) for loc in locations]
    local = [p for p in places if p is not None and p.level != "wide"]
    wide = [p for p in places if p is not None and p.level == "wide"]
    postcodes = [
        pc
        for loc in locations
        for pc in (normalise.postcode(loc.get("postcode") or loc.get("name") or ""),)
        if pc
    ]
    if len({(p.level, p.code) for p in local}) == 1:
        return local[0], "", ""
    if local:
        lads = {p.lad for p in local}
        if len(lads) == 1 and "" not in lads:
            lad = lads.pop()
            place = AreaPlace("lad", lad, lad=lad)
            return place, "", f"{len(local)} beneficiary areas, all in one local authority"
        return None, "", f"{len(local)} beneficiary areas in more than one local authority"
    if len(set(postcodes)) == 1:
        return None, postcodes[0], ""
    if wide:
        return None, "", f"beneficiary area {wide[0].code} is wider than a local authority"
    return None, "", ""


def _fill_from_area(place: Place, area: AreaPlace, deciles: dict) -> None:
    place.lsoa11, place.lsoa21, place.ward, place.lad = (
        area.lsoa11,
        area.lsoa21,
        area.ward,
        area.lad,
    )
    place.imd2019 = deciles.get((DeprivationIndex.IMD2019, area.lsoa11)) if area.lsoa11 else None
    place.imd2025 = deciles.get((DeprivationIndex.IMD2025, area.lsoa21)) if area.lsoa21 else None
    what = {"lsoa": "small area", "ward": "ward", "lad": "local authority"}[area.level]
    note = f"Placed by the beneficiary {what} {area.code}"
    if area.level == "lsoa" and area.ward:
        note += "; ward from the small area's postcodes (derived)"
    place.note = note + "."


def _fill_from_postcode(place: Place, result) -> None:
    place.postcode, place.postcode_status = result.postcode, result.status
    place.lsoa11, place.lsoa21 = result.lsoa11, result.lsoa21
    place.ward, place.lad = result.ward_code, result.lad_code
    place.imd2019, place.imd2025 = result.imd2019_decile, result.imd2025_decile


def grants_place(*, grants: models.QuerySet[Grant] | None = None) -> PlacementSummary:
    """Place the grants (all when None) and link their recipients to the registers.

    Runs in one transaction; reads grants in chunks and writes one UPDATE per distinct
    place (the postcode used is in `place_postcode`, not in the note, so grants that
    could not be placed share one UPDATE).
    """
    grants = Grant.objects.all() if grants is None else grants
    summary = PlacementSummary(registers_loaded=registers_loaded())
    groups: dict[tuple, list[int]] = defaultdict(list)
    lookups: dict = {}
    with transaction.atomic():
        batch: list[Row] = []

        def place(rows: list[Row]) -> None:
            for row, decided in zip(rows, _place_rows(rows, summary, lookups), strict=True):
                groups[decided.values()].append(row[0])

        for row in grants.values_list(
            "id",
            "recipient_type",
            "recipient_org_id",
            "recipient_other_org_ids",
            "recipient_postcode",
            "beneficiary_locations",
        ).iterator(chunk_size=READ_CHUNK):
            batch.append(row)
            if len(batch) >= BATCH:
                place(batch)
                batch = []
        if batch:
            place(batch)
        summary.funders_linked = funders_link(
            org_ids=set(grants.order_by().values_list("funder_org_id", flat=True).distinct())
        )
        for values, ids in groups.items():
            update = dict(zip(PLACE_FIELDS, values, strict=True))
            if update["place_postcode"] == FROM_RECIPIENT:
                update["place_postcode"] = models.F("recipient_postcode")
            for start in range(0, len(ids), UPDATE_CHUNK):
                Grant.objects.filter(id__in=ids[start : start + UPDATE_CHUNK]).update(**update)
    return summary


class BatchPlacer:
    """Places grants while they are loaded, before they are written (the importer's writer).

    Gives each batch of rows exactly the places grants_place would give the same grants
    read back in the same batches of BATCH, without reading them back or updating them.
    """

    def __init__(self) -> None:
        self.summary = PlacementSummary(registers_loaded=registers_loaded())
        self.lookups: dict = {}
        self.funder_org_ids: set[str] = set()

    def place(self, rows: list[Row]) -> list[Place]:
        return _place_rows(rows, self.summary, self.lookups)

    def finish(self) -> PlacementSummary:
        """Link the funders seen to the registers; the summary of everything placed."""
        self.summary.funders_linked = funders_link(org_ids=self.funder_org_ids)
        return self.summary


def _place_rows(rows: list[Row], summary: PlacementSummary, lookups: dict) -> list[Place]:
    """Decide the place of each row of one batch, in order, and count them in the summary."""
    codes: set[str] = set()
    names: set[str] = set()
    org_ids: set[str] = set()
    for _id, _kind, org_id, others, _pc, locations in rows:
        for loc in locations or ():
            code = (loc.get("geo_code") or "").strip().upper()
            if code:
                codes.add(code)
                if LSOA_NAME.match(code) and not GSS_CODE.match(code):
                    names.add(loc.get("geo_code").strip())
            name = (loc.get("name") or "").strip()
            if name and LSOA_NAME.match(name):
                names.add(name)
        for candidate in (org_id, *(others or ())):
            org_ids.update(register_candidates(candidate))
    areas = _Areas(codes, names)
    registers = _register_records(org_ids)

    first: list[tuple[Row, AreaPlace | None, str, str, RegisterRecord | None]] = []
    postcodes: set[str] = set()
    for row in rows:
        _id, kind, org_id, others, postcode, locations = row
        area, ben_postcode, note = _beneficiary(locations or [], areas)
        if kind != "organisation":
            ben_postcode = ""  # a postcode could identify a person: never used for individuals
        record = None
        if kind == "organisation":
            record = register_record_for((org_id, *(others or ())), registers)
        if area is None:
            for pc in (ben_postcode, postcode if kind == "organisation" else ""):
                if pc:
                    postcodes.add(pc)
            if record and record.postcode:
                postcodes.add(record.postcode)
        first.append((row, area, ben_postcode, note, record))

    wanted = sorted(postcodes - set(lookups))
    if wanted:
        lookups.update({r.postcode: r for r in postcodes_lookup(wanted)})
    lsoa11s = {a.lsoa11 for _r, a, *_ in first if a and a.lsoa11}
    lsoa21s = {a.lsoa21 for _r, a, *_ in first if a and a.lsoa21}
    deciles = _deciles(lsoa11s, lsoa21s)

    places = []
    for row, area, ben_postcode, note, record in first:
        place = _decide(row, area, ben_postcode, note, record, lookups, deciles)
        summary.grants += 1
        summary.by_method[place.method] = summary.by_method.get(place.method, 0) + 1
        summary.with_lad += bool(place.lad)
        summary.with_imd2019 += place.imd2019 is not None
        summary.with_imd2025 += place.imd2025 is not None
        summary.linked_to_register += bool(place.register_org_id)
        places.append(place)
    return places


def _decide(row, area, ben_postcode, note, record, lookups, deciles) -> Place:
    _id, kind, _org_id, _others, postcode, _locations = row
    place = Place()
    if record is not None:
        place.register_org_id, place.income_band = record.org_id, record.income_band
    if area is not None:
        place.method = PlaceMethod.BENEFICIARY_AREA
        _fill_from_area(place, area, deciles)
        if note:
            place.note = place.note[:-1] + f" ({note})."
        return place
    tried: list[str] = [note] if note else []
    candidates = [
        (PlaceMethod.BENEFICIARY_POSTCODE, ben_postcode, "beneficiary postcode"),
        (
            PlaceMethod.RECIPIENT_POSTCODE,
            postcode if kind == "organisation" else "",
            "recipient's postcode",
        ),
        (
            PlaceMethod.REGISTER_POSTCODE,
            record.postcode if record else "",
            "registered postcode of the linked charity" if record else "",
        ),
    ]
    unplaced_postcode = None
    for method, pc, label in candidates:
        if not pc:
            continue
        result = lookups.get(pc)
        if result is not None and result.found and (result.lad_code or result.lsoa11):
            place.method = method
            _fill_from_postcode(place, result)
            if method == PlaceMethod.RECIPIENT_POSTCODE:
                place.postcode = FROM_RECIPIENT
            tried.append(f"placed by the {label}")
            place.note = _sentence("; ".join(tried))
            return place
        tried.append(f"the {label} is not in the postcode directories loaded")
        if unplaced_postcode is None:
            used = FROM_RECIPIENT if method == PlaceMethod.RECIPIENT_POSTCODE else pc
            unplaced_postcode = (used, result.status if result else "not_found")
    if unplaced_postcode:
        place.postcode, place.postcode_status = unplaced_postcode
    if kind != "organisation":
        tried.append("a grant to an individual is placed only by a beneficiary area")
    elif not postcode and record is None:
        tried.append("no postcode in the grant and the recipient is not linked to a register")
    place.note = _sentence("Not placed: " + "; ".join(tried) if tried else "No location given")
    return place


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")) if text else ""


def _deciles(lsoa11s: set[str], lsoa21s: set[str]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for index, codes in ((DeprivationIndex.IMD2019, lsoa11s), (DeprivationIndex.IMD2025, lsoa21s)):
        for chunk in _chunks(codes):
            for code, decile in Deprivation.objects.filter(
                index=index, area_code__in=chunk
            ).values_list("area_code", "decile"):
                found[(index, code)] = decile
    return found
