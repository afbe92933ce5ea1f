"""The personal data guard: what must never be stored, and pseudonymising references.

A column is personal when its title or its values look like names, email addresses,
phone numbers, national insurance numbers, home addresses, free-text notes or dates of
birth. Such columns are never stored: they cannot be mapped to any field, except a date
of birth, which may be mapped to "Date of birth" and is then kept only as an age band.
Single values inside other mapped columns that look like an email address, a phone
number or a national insurance number are removed too.

A person's reference is stored only as HMAC-SHA256 keyed with the organisation's
secret: the same reference always gives the same key (so repeat visits link), but the
key cannot be turned back into the reference, nor matched across organisations.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import statistics
from collections.abc import Sequence
from datetime import date
from typing import Any

from vcsehub.impact.models import Field
from vcsehub.impact.values import is_blank, parse_date, text_of

NAME, EMAIL, PHONE, NINO, ADDRESS, NOTES, DATE_OF_BIRTH = (
    "name",
    "email",
    "phone",
    "nino",
    "address",
    "notes",
    "date_of_birth",
)
KIND_LABELS = {
    NAME: "people's names",
    EMAIL: "email addresses",
    PHONE: "phone numbers",
    NINO: "national insurance numbers",
    ADDRESS: "home addresses",
    NOTES: "free-text notes",
    DATE_OF_BIRTH: "dates of birth",
}

_EMAIL = re.compile(r"[^@\s<>(),;:]+@[^@\s<>(),;:]+\.[A-Za-z]{2,}")
_PHONE_TEXT = re.compile(r"^(?:\+44|0044|\(?0)\d[\d\s()\-.]{8,14}$")
_PHONE_IN_TEXT = re.compile(
    r"(?:\+44\s?7\d{3}|\b07\d{3}|\b0[123]\d{2,3})[\s\-]?\d{3}[\s\-]?\d{3,4}\b"
)
_NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.I)
_PERSON_NAME = re.compile(
    r"^[A-Z][a-z'’\-]+(?: [A-Z][a-z'’\-]+){1,2}$|^[A-Z][a-z'’\-]+, [A-Z][a-z'’\-]+$"
)
_ADDRESS = re.compile(
    r"\b\d+[a-z]?,? [A-Za-z' ]+ (?:street|st|road|rd|avenue|ave|lane|close|drive|way|grove|"
    r"place|crescent|court|gardens|terrace|walk|hill|park|green|row|square)\b",
    re.I,
)

_WORDS = re.compile(r"[a-z0-9]+")
NAME_TITLE_WORDS = {
    "name",
    "names",
    "surname",
    "forename",
    "forenames",
    "firstname",
    "lastname",
    "fullname",
}
NOT_A_PERSON = {
    "service",
    "activity",
    "project",
    "programme",
    "organisation",
    "organization",
    "agency",
    "referrer",
    "school",
    "group",
    "event",
    "session",
    "venue",
    "centre",
    "site",
    "team",
    "worker",
    "volunteer",
    "staff",
    "partner",
    "funder",
    "file",
    "sheet",
    "course",
}
TITLE_KINDS: tuple[tuple[str, set[str]], ...] = (
    (EMAIL, {"email", "e mail", "email address", "e mail address", "mail"}),
    (
        PHONE,
        {
            "phone",
            "telephone",
            "tel",
            "mobile",
            "phone number",
            "mobile number",
            "contact number",
            "tel no",
            "landline",
            "mobile no",
            "phone no",
        },
    ),
    (
        NINO,
        {
            "ni number",
            "ni no",
            "nino",
            "national insurance",
            "national insurance number",
            "national insurance no",
            "nin",
        },
    ),
    (
        ADDRESS,
        {
            "address",
            "home address",
            "address line 1",
            "address 1",
            "address1",
            "street",
            "house",
            "house number",
            "address line 2",
            "town",
        },
    ),
    (
        NOTES,
        {
            "notes",
            "note",
            "comments",
            "comment",
            "description",
            "details",
            "remarks",
            "free text",
            "narrative",
            "feedback",
            "case notes",
            "observations",
            "story",
            "other information",
            "additional information",
            "summary",
            "reason for visit",
        },
    ),
    (
        DATE_OF_BIRTH,
        {"dob", "d o b", "date of birth", "birth date", "birthdate", "birthday", "born"},
    ),
)
COMMON_GIVEN_NAMES = frozenset(
    [
        "aaliyah",
        "aaron",
        "abdul",
        "abdullah",
        "adam",
        "adrian",
        "ahmed",
        "aisha",
        "alan",
        "alex",
        "alexander",
        "ali",
        "alice",
        "amanda",
        "amelia",
        "amir",
        "amy",
        "andrew",
        "angela",
        "ann",
        "anna",
        "anne",
        "anthony",
        "arjun",
        "ava",
        "barbara",
        "ben",
        "benjamin",
        "beth",
        "bilal",
        "brian",
        "carl",
        "carol",
        "caroline",
        "catherine",
        "charles",
        "charlie",
        "charlotte",
        "chloe",
        "chris",
        "christine",
        "claire",
        "daniel",
        "danielle",
        "david",
        "dawn",
        "deborah",
        "dennis",
        "diane",
        "donna",
        "dorothy",
        "edward",
        "elaine",
        "eleanor",
        "elizabeth",
        "ella",
        "ellie",
        "emily",
        "emma",
        "eric",
        "ethan",
        "fatima",
        "fiona",
        "frank",
        "gary",
        "george",
        "grace",
        "graham",
        "hannah",
        "harry",
        "hassan",
        "hayley",
        "helen",
        "henry",
        "holly",
        "hussain",
        "ian",
        "imran",
        "isabella",
        "isaac",
        "jack",
        "jacob",
        "james",
        "jane",
        "janet",
        "jasmine",
        "jason",
        "jean",
        "jennifer",
        "jessica",
        "joan",
        "joanne",
        "john",
        "jonathan",
        "joseph",
        "joshua",
        "julie",
        "karen",
        "kate",
        "katie",
        "kelly",
        "kevin",
        "khadija",
        "kim",
        "laura",
        "lauren",
        "leah",
        "lee",
        "leo",
        "liam",
        "lily",
        "linda",
        "lisa",
        "louise",
        "lucy",
        "luke",
        "maria",
        "mark",
        "martin",
        "mary",
        "matthew",
        "megan",
        "melissa",
        "michael",
        "michelle",
        "mohammed",
        "mohammad",
        "mohamed",
        "muhammad",
        "nadia",
        "naomi",
        "natalie",
        "neil",
        "nicola",
        "noah",
        "oliver",
        "olivia",
        "omar",
        "paul",
        "pauline",
        "peter",
        "philip",
        "priya",
        "rachel",
        "raj",
        "rebecca",
        "richard",
        "robert",
        "ruby",
        "ruth",
        "ryan",
        "sam",
        "samantha",
        "samuel",
        "sandra",
        "sarah",
        "scott",
        "sean",
        "shabana",
        "sharon",
        "shirley",
        "simon",
        "sophie",
        "stephen",
        "steven",
        "stuart",
        "susan",
        "tariq",
        "thomas",
        "tim",
        "tom",
        "tony",
        "tracey",
        "tracy",
        "usman",
        "victoria",
        "wayne",
        "william",
        "yasmin",
        "yusuf",
        "zainab",
        "zara",
        "zoe",
    ]
)


def normalise_title(title: str) -> str:
    return " ".join(_WORDS.findall(title.lower()))


def title_kind(title: str) -> str | None:
    """The kind of personal data a column title names, or None."""
    key = normalise_title(title)
    words = set(key.split())
    for kind, titles in TITLE_KINDS:
        if key in titles:
            return kind
    if key.startswith(("email", "e mail")) or "email" in words:
        return EMAIL
    if words & {"phone", "telephone", "mobile"}:
        return PHONE
    if "birth" in words or "dob" in words:
        return DATE_OF_BIRTH
    if words & {"notes", "comments", "note", "comment"}:
        return NOTES
    if "address" in words and not words & {"email"}:
        return ADDRESS
    if words & NAME_TITLE_WORDS and not words & NOT_A_PERSON:
        return NAME
    return None


def _share(values: Sequence[Any], test) -> float:
    filled = [v for v in values if not is_blank(v)]
    if not filled:
        return 0.0
    return sum(1 for v in filled if test(v)) / len(filled)


def is_email(value: Any) -> bool:
    return isinstance(value, str) and _EMAIL.search(value) is not None


def is_phone(value: Any) -> bool:
    """A UK phone number: 07…, 01…/02…/03… or +44…, typed with any spacing.

    A whole number of 10 digits starting 1, 2, 3 or 7 is a phone number whose leading
    zero a spreadsheet dropped.
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return False
        digits = str(int(value))
        return len(digits) == 10 and digits[0] in "1237"
    if not isinstance(value, str):
        return False
    text = value.strip()
    if _PHONE_TEXT.match(text):
        digits = re.sub(r"\D", "", text)
        if digits.startswith("44"):
            digits = "0" + digits[2:]
        elif digits.startswith("0044"):
            digits = "0" + digits[4:]
        return len(digits) in (10, 11) and digits[1] in "1237"
    return False


def is_nino(value: Any) -> bool:
    return isinstance(value, str) and _NINO.search(value) is not None


def looks_like_name(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = " ".join(value.split())
    if not _PERSON_NAME.match(text):
        return False
    first = text.split(",")[-1].split()[0] if "," in text else text.split()[0]
    return first.lower() in COMMON_GIVEN_NAMES or len(text.split()) >= 2


def value_personal_kind(value: Any) -> str | None:
    """Kind of personal data found inside one value (email, phone, NI number), or None."""
    if is_blank(value):
        return None
    if is_email(value):
        return EMAIL
    if is_nino(value):
        return NINO
    if is_phone(value) or (isinstance(value, str) and _PHONE_IN_TEXT.search(value)):
        return PHONE
    return None


def _looks_like_notes(values: Sequence[Any]) -> bool:
    texts = [text_of(v) for v in values if isinstance(v, str) and v.strip()]
    if len(texts) < 3:
        return False
    lengths = [len(t) for t in texts]
    words = [len(t.split()) for t in texts]
    distinct = len(set(texts)) / len(texts)
    return statistics.mean(lengths) >= 30 and statistics.mean(words) >= 5 and distinct >= 0.5


def _names_share(values: Sequence[Any]) -> float:
    filled = [v for v in values if isinstance(v, str) and v.strip()]
    if not filled:
        return 0.0
    names = [v for v in filled if looks_like_name(v)]
    if not names:
        return 0.0
    known = sum(
        1
        for v in names
        if (v.split(",")[-1].split()[0] if "," in v else v.split()[0]).lower() in COMMON_GIVEN_NAMES
    )
    distinct = len({v.strip().lower() for v in filled}) / len(filled)
    if known / len(names) < 0.2 or distinct < 0.3:
        return 0.0
    return len(names) / len(filled)


def _dates_of_birth(values: Sequence[Any], today: date) -> bool:
    dates = [parse_date(v, today=today) for v in values if not is_blank(v)]
    found = [d for d in dates if d is not None]
    if len(found) < 3 or len(found) < 0.8 * len(dates):
        return False
    years = sorted(d.year for d in found)
    return years[len(years) // 2] <= today.year - 12


def column_personal_kind(
    title: str, values: Sequence[Any], *, today: date | None = None
) -> str | None:
    """The kind of personal data a column holds (from its title, then its values), or None."""
    today = today or date.today()
    kind = title_kind(title)
    if kind is not None:
        return kind
    if _share(values, is_email) >= 0.2:
        return EMAIL
    if _share(values, is_nino) >= 0.2:
        return NINO
    if _share(values, is_phone) >= 0.2:
        return PHONE
    if _share(values, lambda v: isinstance(v, str) and _ADDRESS.search(v) is not None) >= 0.5:
        return ADDRESS
    if _names_share(values) >= 0.5:
        return NAME
    if _looks_like_notes(values):
        return NOTES
    if _dates_of_birth(values, today):
        return DATE_OF_BIRTH
    return None


def fields_allowed_for(kind: str | None) -> set[str]:
    """The fields a column of this kind may be mapped to ('' = not stored, always allowed)."""
    everything = {"", *Field.values}
    if kind is None:
        return everything
    if kind == DATE_OF_BIRTH:
        return {"", Field.DATE_OF_BIRTH}
    return {""}


def normalise_reference(value: Any) -> str:
    """A person reference as compared: trimmed, spaces squeezed, case ignored ('' if blank)."""
    return " ".join(text_of(value).split()).casefold()


def pseudonymise(secret: str, value: Any) -> str:
    """HMAC-SHA256 (hex) of the normalised reference, keyed by the organisation's secret."""
    reference = normalise_reference(value)
    if not reference:
        return ""
    return hmac.new(secret.encode(), reference.encode(), hashlib.sha256).hexdigest()


def pseudonymiser(secret: str):
    """`pseudonymise` with the key set up once, for many references (the same digests)."""
    keyed = hmac.new(secret.encode(), digestmod=hashlib.sha256)

    def pseudonym(value: Any) -> str:
        reference = normalise_reference(value)
        if not reference:
            return ""
        digest = keyed.copy()
        digest.update(reference.encode())
        return digest.hexdigest()

    return pseudonym


def keyed_hasher(secret: str):
    """`keyed_hash` with the key set up once, for hashing many rows (the same digests)."""
    keyed = hmac.new(secret.encode(), b"row\x1e", hashlib.sha256)

    def hash_parts(parts: Sequence[str]) -> str:
        digest = keyed.copy()
        digest.update("\x1f".join(parts).encode())
        return digest.hexdigest()

    return hash_parts


def keyed_hash(secret: str, parts: Sequence[str]) -> str:
    """HMAC-SHA256 of several values (a row's fingerprint), keyed by the organisation's secret."""
    message = "\x1f".join(parts).encode()
    return hmac.new(secret.encode(), b"row\x1e" + message, hashlib.sha256).hexdigest()
