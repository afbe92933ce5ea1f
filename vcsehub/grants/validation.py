"""Check grants against the 360Giving schema, the way the Data Quality Tool does, but fast.

The Data Quality Tool validates the whole package with `jsonschema` (draft 2020-12) and a
format checker (dates, web addresses), with one change to `oneOf`: a grant with a
`recipientIndividual` is checked as a grant to an individual, any other grant as a grant
to an organisation, and a grant with both gets "Only 1 of … is permitted". Duplicate grant
identifiers are reported instead of `uniqueItems`.

`SchemaValidator` compiles the schema once into plain Python closures that find the same
errors (same path, keyword and message, in the same order) as that route —
tests/grants/test_validation.py and test_validation_fast_paths.py check this on every real
file and fixture — dozens of times faster, one grant at a time, so a file is never held in
memory. Most of the speed comes from doing little for a valid value: a field whose class
can only be valid is passed at once, a text seen before gets its remembered answer, and
the path of an error is only put together once something has failed.
"""

from __future__ import annotations

import json
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from operator import itemgetter
from typing import Any

from jsonschema import FormatChecker
from jsonschema._utils import equal

TOP_TITLE = "360Giving Data Standard Schema"
# Keywords that only describe (they never make data invalid).
ANNOTATIONS = {
    "title",
    "description",
    "rollUp",
    "codelist",
    "openCodelist",
    "deprecated",
    "weight",
    "$id",
    "$schema",
    "$defs",
    "definitions",
    "examples",
    "propertyOrder",
    "$comment",
}


def _decimal_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{value!r} is not JSON serialisable")


@dataclass(frozen=True, slots=True)
class SchemaError:
    """One schema error: where (JSON path), which keyword, and the value that failed."""

    path: tuple
    validator: str
    instance: Any
    value: Any  # the keyword's value in the schema (type names, enum list, required name …)
    kind: str = ""  # for oneOf: "any", "each" or "only_one"

    @property
    def message(self) -> str:
        """The message jsonschema (with the Data Quality Tool's oneOf) gives for this error."""
        v, instance = self.validator, self.instance
        if v == "type":
            types = self.value if isinstance(self.value, list) else [self.value]
            return f"{instance!r} is not of type {', '.join(repr(t) for t in types)}"
        if v == "required":
            return f"{self.value!r} is a required property"
        if v == "enum":
            return f"{instance!r} is not one of {self.value!r}"
        if v == "pattern":
            return f"{instance!r} does not match {self.value!r}"
        if v == "format":
            return f"{instance!r} is not a {self.value!r}"
        if v == "minItems":
            return f"{instance!r} {'should be non-empty' if self.value == 1 else 'is too short'}"
        if v == "minimum":
            return f"{instance!r} is less than the minimum of {self.value!r}"
        if v == "uniqueItems":
            return "Non-unique id values"
        if v == "oneOf":
            if self.kind == "only_one":
                first, second = self.value
                return f"Only 1 of {first} or {second} is permitted, but both are present"
            if self.kind == "each":
                return (
                    f"{instance!r} is valid under each of {', '.join(repr(s) for s in self.value)}"
                )
            if type(instance) is str:  # what json.dumps gives for a text, sooner
                text = encode_basestring_ascii(instance)
            else:
                text = json.dumps(instance, sort_keys=True, default=_decimal_default)
            return f"{text} is not valid under any of the given schemas"
        return f"{instance!r} failed {v}"

    @property
    def path_text(self) -> str:
        return "/".join(map(str, self.path))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool)) or (_is_number(v) and v == int(v))
    ),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}

# Types that are exactly one Python class (a number is not: True is an int but no number).
PLAIN_TYPES: dict[str, type] = {
    "string": str,
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
}
# Classes whose values always have a type (a subclass, or an integral Decimal for
# "integer", is left to the full test).
EXACT_CLASSES: dict[str, tuple] = {
    **{name: (kind,) for name, kind in PLAIN_TYPES.items()},
    "number": (int, float, Decimal),
    "integer": (int,),
}

_FORMAT_CHECKER = FormatChecker()


@lru_cache(maxsize=65536)
def _conforms(fmt: str, value: str) -> bool:
    return _FORMAT_CHECKER.conforms(value, fmt)


# Inside the compiled checks an error is a plain tuple whose path is relative to the value
# checked: (path, keyword, instance, keyword's value, oneOf kind). A check returns a tuple
# of them, () when the value is valid, so the path of a value is only built when one of its
# members fails, and an answer for a value can be shared wherever that value appears.
Check = Callable[[Any], tuple]
NO_ERRORS: tuple = ()


def _accept(instance: Any) -> tuple:
    return NO_ERRORS


def _under(failed: list) -> tuple:
    """Errors found in members [(position in schema, key, errors)], under their keys.

    Sorted by the member's position in the schema, the order jsonschema reports them in.
    """
    if len(failed) > 1:
        failed.sort(key=itemgetter(0))
    return tuple(
        ((key, *path), keyword, instance, value, kind)
        for _, key, found in failed
        for path, keyword, instance, value, kind in found
    )


# Dates and web addresses repeat across grants, and checking them (oneOf of a format and a
# pattern) is the dearest part of validation, so each node remembers its answer per text
# (codes checked against a list too: currency, "From An Open Call?").
MEMO_KEYWORDS = frozenset({"oneOf", "format", "pattern", "enum"})
MEMO_SIZE = 20_000  # per node: enough for the dates of many years, little memory


def _memoised(check: Check) -> Check:
    """`check`, remembering the errors it finds for each string it is given.

    A string has no members, so its errors are about the string itself at the path it is
    found at, whichever grant and field it is in.
    """
    answers: dict[str, tuple] = {}

    def memo(instance: Any) -> tuple:
        if type(instance) is not str:
            return check(instance)
        found = answers.get(instance)
        if found is None:
            found = check(instance)
            if len(answers) < MEMO_SIZE:
                answers[instance] = found
        return found

    memo.answers = answers  # type: ignore[attr-defined] # read by the object checks
    return memo


class SchemaValidator:
    """A JSON Schema compiled to closures, for the keywords the 360Giving schemas use."""

    def __init__(self, schema: dict) -> None:
        self.root = schema
        self._compiled: dict[int, Check] = {}
        self.check = self._compile(schema)

    def errors(self, instance: Any, path: tuple = ()) -> list[SchemaError]:
        found = self.check(instance)
        if not found:
            return []
        return [
            SchemaError((*path, *relative), keyword, value, schema_value, kind)
            for relative, keyword, value, schema_value, kind in found
        ]

    # -- compiling -----------------------------------------------------------------------

    def _compile(self, node: Any) -> Check:
        key = id(node)
        if key in self._compiled:
            return self._compiled[key]
        if node is True or node == {}:
            self._compiled[key] = _accept
            return _accept
        compiled: list[Check] = []

        def late(instance: Any) -> tuple:  # for references back into this node
            return compiled[0](instance)

        self._compiled[key] = late
        keywords = [k for k in node if k not in ANNOTATIONS]
        for keyword in keywords:
            if not hasattr(self, f"_k_{keyword.lstrip('$')}"):
                raise ValueError(
                    f"The schema uses {keyword!r}, which this validator does not support"
                )
        check = self._object_node(node, keywords) or self._array_node(node, keywords)
        if check is None:
            checks = [getattr(self, f"_k_{k.lstrip('$')}")(node[k], node) for k in keywords]
            check = checks[0] if len(checks) == 1 else _all_of(checks)
        if MEMO_KEYWORDS.intersection(keywords) and _may_be_text(node):
            check = _memoised(check)
        compiled.append(check)
        self._compiled[key] = check
        return check

    def _sure_classes(self, node: Any) -> frozenset:
        """Classes whose values are valid at once, for a node whose only check is its type."""
        while isinstance(node, dict) and set(node) - ANNOTATIONS == {"$ref"}:
            node = self._target(node["$ref"])
        if not isinstance(node, dict) or set(node) - ANNOTATIONS != {"type"}:
            return frozenset()
        names = node["type"] if isinstance(node["type"], list) else [node["type"]]
        return frozenset(kind for name in names for kind in EXACT_CLASSES.get(name, ()))

    def _target(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"Only local schema references are supported, not {ref!r}")
        target: Any = self.root
        for part in ref[2:].split("/"):
            target = target[part]
        return target

    def _k_ref(self, ref: str, node: dict) -> Check:
        return self._compile(self._target(ref))

    def _k_type(self, types: Any, node: dict) -> Check:
        names = types if isinstance(types, list) else [types]
        if all(name in PLAIN_TYPES for name in names):
            plain = tuple(PLAIN_TYPES[name] for name in names)

            def check_plain(instance: Any) -> tuple:
                if isinstance(instance, plain):
                    return NO_ERRORS
                return (((), "type", instance, types, ""),)

            return check_plain
        tests = [TYPE_TESTS[name] for name in names]
        sure = frozenset(kind for name in names for kind in EXACT_CLASSES[name])

        def check(instance: Any) -> tuple:
            if type(instance) in sure:
                return NO_ERRORS
            for test in tests:
                if test(instance):
                    return NO_ERRORS
            return (((), "type", instance, types, ""),)

        return check

    def _members(self, properties: dict) -> dict[str, tuple]:
        """For each property: its position, the classes valid at once, remembered answers, check."""
        members = {}
        for position, (name, sub) in enumerate(properties.items()):
            check = self._compile(sub)
            answers = getattr(check, "answers", None)
            members[name] = (position, self._sure_classes(sub), answers, check)
        return members

    def _object_node(self, node: dict, keywords: list[str]) -> Check | None:
        """One check for the usual object node: type object, properties, required."""
        if (
            "properties" not in keywords
            or not set(keywords) <= {"type", "properties", "required"}
            or node.get("type", "object") != "object"
        ):
            return None
        members = self._members(node["properties"])
        required = frozenset(node.get("required", []))
        required_in_order = node.get("required", [])
        required_first = "required" in keywords and (
            keywords.index("required") < keywords.index("properties")
        )
        types = node.get("type")

        def check(instance: Any) -> tuple:
            if not isinstance(instance, dict):
                return NO_ERRORS if types is None else (((), "type", instance, types, ""),)
            failed = None
            for key, value in instance.items():
                member = members.get(key)
                if member is None:
                    continue
                position, sure, answers, sub = member
                kind = type(value)
                if kind in sure:
                    continue
                if answers is not None and kind is str:
                    found = answers.get(value)
                    if found is None:
                        found = sub(value)
                else:
                    found = sub(value)
                if found:
                    if failed is None:
                        failed = []
                    failed.append((position, key, found))
            if instance.keys() >= required:
                return _under(failed) if failed else NO_ERRORS
            missing = tuple(
                ((), "required", instance, name, "")
                for name in required_in_order
                if name not in instance
            )
            if not failed:
                return missing
            return missing + _under(failed) if required_first else _under(failed) + missing

        return check

    def _k_properties(self, properties: dict, node: dict) -> Check:
        only_properties = {"properties": properties}
        return self._object_node(only_properties, ["properties"])  # type: ignore[return-value]

    def _array_node(self, node: dict, keywords: list[str]) -> Check | None:
        """One check for the usual array node: type array, items, minItems."""
        if (
            "items" not in keywords
            or not set(keywords) <= {"type", "items", "minItems"}
            or node.get("type", "array") != "array"
        ):
            return None
        sure = self._sure_classes(node["items"])
        sub = self._compile(node["items"])
        minimum = node.get("minItems", 0)
        short_first = "minItems" in keywords and (
            keywords.index("minItems") < keywords.index("items")
        )
        types = node.get("type")

        def check(instance: Any) -> tuple:
            if not isinstance(instance, list):
                return NO_ERRORS if types is None else (((), "type", instance, types, ""),)
            failed = None
            for index, item in enumerate(instance):
                if type(item) in sure:
                    continue
                found = sub(item)
                if found:
                    if failed is None:
                        failed = []
                    failed.append((index, index, found))
            if len(instance) >= minimum:
                return _under(failed) if failed else NO_ERRORS
            short = (((), "minItems", instance, minimum, ""),)
            if not failed:
                return short
            return short + _under(failed) if short_first else _under(failed) + short

        return check

    def _k_items(self, items: Any, node: dict) -> Check:
        return self._array_node({"items": items}, ["items"])  # type: ignore[return-value]

    def _k_required(self, required: list, node: dict) -> Check:
        names = frozenset(required)

        def check(instance: Any) -> tuple:
            if not isinstance(instance, dict) or instance.keys() >= names:
                return NO_ERRORS
            return tuple(
                ((), "required", instance, name, "") for name in required if name not in instance
            )

        return check

    def _k_enum(self, enum: list, node: dict) -> Check:
        strings = frozenset(v for v in enum if isinstance(v, str))

        def check(instance: Any) -> tuple:
            if isinstance(instance, str):
                if instance in strings:
                    return NO_ERRORS
            elif any(equal(each, instance) for each in enum):
                return NO_ERRORS
            return (((), "enum", instance, enum, ""),)

        return check

    def _k_pattern(self, pattern: str, node: dict) -> Check:
        regex = re.compile(pattern)

        def check(instance: Any) -> tuple:
            if isinstance(instance, str) and not regex.search(instance):
                return (((), "pattern", instance, pattern, ""),)
            return NO_ERRORS

        return check

    def _k_format(self, fmt: str, node: dict) -> Check:
        def check(instance: Any) -> tuple:
            if isinstance(instance, str) and not _conforms(fmt, instance):
                return (((), "format", instance, fmt, ""),)
            return NO_ERRORS

        return check

    def _k_minItems(self, minimum: int, node: dict) -> Check:  # noqa: N802 - the keyword's name
        def check(instance: Any) -> tuple:
            if isinstance(instance, list) and len(instance) < minimum:
                return (((), "minItems", instance, minimum, ""),)
            return NO_ERRORS

        return check

    def _k_minimum(self, minimum: Any, node: dict) -> Check:
        def check(instance: Any) -> tuple:
            if _is_number(instance) and instance < minimum:
                return (((), "minimum", instance, minimum, ""),)
            return NO_ERRORS

        return check

    def _k_uniqueItems(self, unique: bool, node: dict) -> Check:  # noqa: N802
        # Grants are checked for duplicate identifiers by GrantChecker instead (as lib-cove does).
        return _accept

    def _k_oneOf(self, branches: list, node: dict) -> Check:  # noqa: N802
        compiled = [self._compile(b) for b in branches]
        required = [set(b.get("required", [])) if isinstance(b, dict) else set() for b in branches]
        recipient_choice = node.get("title") == TOP_TITLE
        pair: tuple[str, str] | None = None
        if (
            recipient_choice
            and len(branches) == 2
            and all(isinstance(b, dict) and set(b) == {"required"} for b in branches)
        ):
            first, second = required[0] - required[1], required[1] - required[0]
            if len(first) == 1 and len(second) == 1:
                pair = (next(iter(first)), next(iter(second)))

        needs = [_only_required(b) for b in branches]

        def is_valid(index: int, instance: Any) -> bool:
            names = needs[index]
            if names is None:
                return not compiled[index](instance)
            return not isinstance(instance, dict) or instance.keys() >= names

        def check(instance: Any) -> tuple:
            both: tuple = NO_ERRORS
            if pair and isinstance(instance, dict) and pair[0] in instance and pair[1] in instance:
                both = (((), "oneOf", instance, pair, "only_one"),)
            first_valid = None
            for index, branch in enumerate(compiled):
                if needs[index] is not None and is_valid(index, instance):
                    errors = NO_ERRORS
                else:
                    errors = branch(instance)
                if not errors:
                    first_valid = index
                    break
                if recipient_choice:
                    wanted = (
                        "recipientIndividual"
                        if isinstance(instance, dict) and "recipientIndividual" in instance
                        else "recipientOrganization"
                    )
                    if wanted in required[index]:
                        return both + errors
            if first_valid is None:
                return (*both, ((), "oneOf", instance, branches, "any"))
            more = [
                branches[i] for i in range(first_valid + 1, len(branches)) if is_valid(i, instance)
            ]
            if more:
                return (*both, ((), "oneOf", instance, [*more, branches[first_valid]], "each"))
            return both

        return check


def _may_be_text(node: dict) -> bool:
    types = node.get("type", "string")
    return "string" in types if isinstance(types, list) else types == "string"


def _only_required(branch: Any) -> frozenset | None:
    """The names a oneOf branch requires, if that is all it checks."""
    if isinstance(branch, dict) and set(branch) - ANNOTATIONS == {"required"}:
        return frozenset(branch["required"])
    return None


def _all_of(checks: list[Check]) -> Check:
    """The errors of each check in turn (a node's keywords, in the schema's order)."""

    def check(instance: Any) -> tuple:
        found = NO_ERRORS
        for each in checks:
            errors = each(instance)
            if errors:
                found = found + errors if found else errors
        return found

    return check
