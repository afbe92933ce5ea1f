"""Check grants against the 360Giving schema, the way the Data Quality Tool does, but fast.

The Data Quality Tool validates the whole package with `jsonschema` (draft 2020-12) and a
format checker (dates, web addresses), with one change to `oneOf`: a grant with a
`recipientIndividual` is checked as a grant to an individual, any other grant as a grant
to an organisation, and a grant with both gets "Only 1 of … is permitted". Duplicate grant
identifiers are reported instead of `uniqueItems`.

`SchemaValidator` compiles the schema once into plain Python closures that find the same
errors (same path, keyword and message) as that route — tests/grants/test_validation.py
checks this on every real file and fixture — about ten times faster, one grant at a time,
so a file is never held in memory.
"""

from __future__ import annotations

import json
import numbers
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jsonschema import FormatChecker
from jsonschema._utils import equal

Check = Callable[[Any, tuple, list], None]

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
            text = json.dumps(instance, sort_keys=True, default=_decimal_default)
            return f"{text} is not valid under any of the given schemas"
        return f"{instance!r} failed {v}"

    @property
    def path_text(self) -> str:
        return "/".join(str(p) for p in self.path)


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

_FORMAT_CHECKER = FormatChecker()


@lru_cache(maxsize=65536)
def _conforms(fmt: str, value: str) -> bool:
    return _FORMAT_CHECKER.conforms(value, fmt)


# Dates and web addresses repeat across grants, and checking them (oneOf of a format and a
# pattern) is the dearest part of validation, so each node remembers its answer per text.
MEMO_KEYWORDS = frozenset({"oneOf", "format", "pattern"})
MEMO_SIZE = 20_000  # per node: enough for the dates of many years, little memory


def _memoised(check: Check) -> Check:
    """`check`, remembering the errors it finds for each string it is given.

    A string has no members, so every error found for it is at the path given and about
    the string itself: only the keyword, its schema value and the oneOf kind need keeping.
    """
    answers: dict[str, tuple] = {}

    def memo(instance: Any, path: tuple, out: list) -> None:
        if type(instance) is not str:
            check(instance, path, out)
            return
        answer = answers.get(instance)
        if answer is None:
            found: list[SchemaError] = []
            check(instance, path, found)
            out.extend(found)
            if len(answers) < MEMO_SIZE:
                answers[instance] = tuple((e.validator, e.value, e.kind) for e in found)
            return
        for validator, value, kind in answer:
            out.append(SchemaError(path, validator, instance, value, kind))

    return memo


class SchemaValidator:
    """A JSON Schema compiled to closures, for the keywords the 360Giving schemas use."""

    def __init__(self, schema: dict) -> None:
        self.root = schema
        self._compiled: dict[int, Check] = {}
        self.check = self._compile(schema)

    def errors(self, instance: Any, path: tuple = ()) -> list[SchemaError]:
        out: list[SchemaError] = []
        self.check(instance, path, out)
        return out

    # -- compiling -----------------------------------------------------------------------

    def _compile(self, node: Any) -> Check:
        key = id(node)
        if key in self._compiled:
            return self._compiled[key]
        checks: list[Check] = []

        def run(instance: Any, path: tuple, out: list) -> None:
            for check in checks:
                check(instance, path, out)

        self._compiled[key] = run
        if node is True or node == {}:
            return run
        for keyword, value in node.items():
            if keyword in ANNOTATIONS:
                continue
            maker = getattr(self, f"_k_{keyword.lstrip('$')}", None)
            if maker is None:
                raise ValueError(
                    f"The schema uses {keyword!r}, which this validator does not support"
                )
            checks.append(maker(value, node))
        # `run` stays valid for anything that referred to this node while it was compiled;
        # later references get the quicker form.
        fast = checks[0] if len(checks) == 1 else run
        if MEMO_KEYWORDS.intersection(node):
            fast = _memoised(fast)
        self._compiled[key] = fast
        return fast

    def _k_ref(self, ref: str, node: dict) -> Check:
        if not ref.startswith("#/"):
            raise ValueError(f"Only local schema references are supported, not {ref!r}")
        target: Any = self.root
        for part in ref[2:].split("/"):
            target = target[part]
        return self._compile(target)

    def _k_type(self, types: Any, node: dict) -> Check:
        names = types if isinstance(types, list) else [types]
        if all(name in PLAIN_TYPES for name in names):
            plain = tuple(PLAIN_TYPES[name] for name in names)

            def check_plain(instance: Any, path: tuple, out: list) -> None:
                if not isinstance(instance, plain):
                    out.append(SchemaError(path, "type", instance, types))

            return check_plain
        tests = [TYPE_TESTS[name] for name in names]

        def check(instance: Any, path: tuple, out: list) -> None:
            for test in tests:
                if test(instance):
                    return
            out.append(SchemaError(path, "type", instance, types))

        return check

    def _k_properties(self, properties: dict, node: dict) -> Check:
        compiled = [(name, self._compile(sub)) for name, sub in properties.items()]

        def check(instance: Any, path: tuple, out: list) -> None:
            if not isinstance(instance, dict):
                return
            for name, sub in compiled:
                if name in instance:
                    sub(instance[name], (*path, name), out)

        return check

    def _k_items(self, items: Any, node: dict) -> Check:
        sub = self._compile(items)

        def check(instance: Any, path: tuple, out: list) -> None:
            if not isinstance(instance, list):
                return
            for index, item in enumerate(instance):
                sub(item, (*path, index), out)

        return check

    def _k_required(self, required: list, node: dict) -> Check:
        def check(instance: Any, path: tuple, out: list) -> None:
            if not isinstance(instance, dict):
                return
            for name in required:
                if name not in instance:
                    out.append(SchemaError(path, "required", instance, name))

        return check

    def _k_enum(self, enum: list, node: dict) -> Check:
        strings = frozenset(v for v in enum if isinstance(v, str))

        def check(instance: Any, path: tuple, out: list) -> None:
            if isinstance(instance, str):
                if instance in strings:
                    return
            elif any(equal(each, instance) for each in enum):
                return
            out.append(SchemaError(path, "enum", instance, enum))

        return check

    def _k_pattern(self, pattern: str, node: dict) -> Check:
        regex = re.compile(pattern)

        def check(instance: Any, path: tuple, out: list) -> None:
            if isinstance(instance, str) and not regex.search(instance):
                out.append(SchemaError(path, "pattern", instance, pattern))

        return check

    def _k_format(self, fmt: str, node: dict) -> Check:
        def check(instance: Any, path: tuple, out: list) -> None:
            if isinstance(instance, str) and not _conforms(fmt, instance):
                out.append(SchemaError(path, "format", instance, fmt))

        return check

    def _k_minItems(self, minimum: int, node: dict) -> Check:  # noqa: N802 - the keyword's name
        def check(instance: Any, path: tuple, out: list) -> None:
            if isinstance(instance, list) and len(instance) < minimum:
                out.append(SchemaError(path, "minItems", instance, minimum))

        return check

    def _k_minimum(self, minimum: Any, node: dict) -> Check:
        def check(instance: Any, path: tuple, out: list) -> None:
            if _is_number(instance) and instance < minimum:
                out.append(SchemaError(path, "minimum", instance, minimum))

        return check

    def _k_uniqueItems(self, unique: bool, node: dict) -> Check:  # noqa: N802
        # Grants are checked for duplicate identifiers by GrantChecker instead (as lib-cove does).
        return lambda instance, path, out: None

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

        def valid(index: int, instance: Any, path: tuple) -> bool:
            out: list = []
            compiled[index](instance, path, out)
            return not out

        def check(instance: Any, path: tuple, out: list) -> None:
            if pair and isinstance(instance, dict) and pair[0] in instance and pair[1] in instance:
                out.append(SchemaError(path, "oneOf", instance, pair, "only_one"))
            first_valid = None
            for index, branch in enumerate(compiled):
                errors: list = []
                branch(instance, path, errors)
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
                        out.extend(errors)
                        return
            if first_valid is None:
                out.append(SchemaError(path, "oneOf", instance, branches, "any"))
                return
            more = [
                branches[i]
                for i in range(first_valid + 1, len(branches))
                if valid(i, instance, path)
            ]
            if more:
                out.append(
                    SchemaError(path, "oneOf", instance, [*more, branches[first_valid]], "each")
                )

        return check
