"""The official route, for comparison: flatten-tool, then jsonschema with format checking.

This is what the 360Giving Data Quality Tool does with a file: spreadsheets are converted
to JSON with flatten-tool (`unflatten`, convert_titles, root_list_path "grants", vertical
"Meta" sheet), and the package is validated with jsonschema (draft 2020-12) and a
FormatChecker, with lib360dataquality's `oneOf` rule (grant to an organisation or to an
individual, never both) and lib-cove's duplicate-identifier check in place of
`uniqueItems`. Test and benchmark code only: flatten-tool is a test dependency.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from decimal import Decimal
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from jsonschema.validators import extend
from referencing import Registry
from referencing.jsonschema import DRAFT202012

TOP_TITLE = "360Giving Data Standard Schema"


def schema_dir(shared_data_dir: Path) -> Path:
    return shared_data_dir / "360giving-standard" / "schema-1.4.3"


def local_package_schema(schema_folder: Path, tmp: Path) -> Path:
    """The package schema with its grant $ref pointing at the local grant schema file."""
    package = json.loads((schema_folder / "360-giving-package-schema.json").read_text())
    package["properties"]["grants"]["items"] = {
        "$ref": str(schema_folder / "360-giving-schema.json")
    }
    path = tmp / "package-schema.json"
    path.write_text(json.dumps(package))
    return path


def flattentool_convert(source: Path, schema_folder: Path, *, encoding: str = "utf-8") -> dict:
    """Convert a CSV or XLSX file to a 360Giving JSON package with flatten-tool."""
    import flattentool

    tmp = Path(tempfile.mkdtemp())
    try:
        fmt = "xlsx" if source.read_bytes()[:2] == b"PK" else "csv"
        input_name = source
        if fmt == "csv":
            folder = tmp / "csv"
            folder.mkdir()
            shutil.copy(source, folder / "grants.csv")
            input_name = folder
        output = tmp / "out.json"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            flattentool.unflatten(
                str(input_name),
                output_name=str(output),
                input_format=fmt,
                root_list_path="grants",
                root_id="",
                id_name="id",
                schema=str(schema_folder / "360-giving-schema.json"),
                convert_titles=True,
                encoding=encoding,
                metatab_schema=str(local_package_schema(schema_folder, tmp)),
                metatab_name="Meta",
                metatab_vertical_orientation=True,
            )
        return json.loads(output.read_text(encoding="utf-8"), parse_float=Decimal)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _one_of(validator, one_of, instance, schema):
    """lib360dataquality's oneOf: pick the recipient branch; 'Only 1 of …' when both."""
    if (
        schema.get("title") == TOP_TITLE
        and len(one_of) == 2
        and set(one_of[0].keys()) == set(one_of[1].keys()) == {"required"}
    ):
        first = set(one_of[0]["required"]) - set(one_of[1]["required"])
        second = set(one_of[1]["required"]) - set(one_of[0]["required"])
        if len(first) == 1 and len(second) == 1:
            a, b = next(iter(first)), next(iter(second))
            if isinstance(instance, dict) and a in instance and b in instance:
                yield ValidationError(f"Only 1 of {a} or {b} is permitted, but both are present")
    subschemas = enumerate(one_of)
    all_errors = []
    first_valid = None
    for index, subschema in subschemas:
        errs = list(validator.descend(instance, subschema, schema_path=index))
        if not errs:
            first_valid = subschema
            break
        if schema.get("title") == TOP_TITLE:
            wanted = (
                "recipientIndividual"
                if isinstance(instance, dict) and "recipientIndividual" in instance
                else "recipientOrganization"
            )
            if wanted in subschema.get("required", []):
                yield from errs
                return
        all_errors.extend(errs)
    else:
        text = json.dumps(instance, sort_keys=True, default=_decimal_default)
        yield ValidationError(
            f"{text} is not valid under any of the given schemas", context=all_errors
        )
        return
    more_valid = [s for i, s in subschemas if validator.evolve(schema=s).is_valid(instance)]
    if more_valid:
        more_valid.append(first_valid)
        reprs = ", ".join(repr(s) for s in more_valid)
        yield ValidationError(f"{instance!r} is valid under each of {reprs}")


def _unique_ids(validator, unique, instance, schema):
    """lib-cove's replacement for uniqueItems on the grants list: duplicate identifiers."""
    if not unique or not isinstance(instance, list):
        return
    seen, duplicated = set(), False
    for item in instance:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                duplicated = True
            seen.add(item["id"])
    if duplicated:
        yield ValidationError("Non-unique id values")


def _decimal_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(repr(value))


OfficialValidator = extend(Draft202012Validator, {"oneOf": _one_of, "uniqueItems": _unique_ids})


def official_errors(package: dict, schema_folder: Path) -> list[tuple[str, str, str]]:
    """(path, keyword, message) of every error, as the official route reports them."""
    grant_schema = json.loads((schema_folder / "360-giving-schema.json").read_text())
    package_schema = json.loads((schema_folder / "360-giving-package-schema.json").read_text())
    grant_uri = package_schema["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resource(grant_uri, DRAFT202012.create_resource(grant_schema))
    validator = OfficialValidator(package_schema, registry=registry, format_checker=FormatChecker())
    return [
        ("/".join(str(p) for p in error.absolute_path), error.validator, error.message)
        for error in validator.iter_errors(package)
    ]
