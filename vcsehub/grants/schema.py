"""The 360Giving schema as VCSE Hub uses it: field types, column titles and codelists.

The schema documents themselves are data (imported by importers/standard.py from the
official standard repository or a local copy) and live in StandardDocument rows.
`GrantSchema` walks them once to learn, for every field path, its JSON type (as the
official converter flatten-tool does) and the spreadsheet title that names it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def resolve(schema: dict, node: dict) -> dict:
    """Follow a local "$ref" ("#/$defs/Organization") to the node it points at."""
    ref = node.get("$ref")
    if not ref:
        return node
    if not ref.startswith("#/"):
        raise ValueError(f"Only local schema references are supported, not {ref!r}")
    target: Any = schema
    for part in ref[2:].split("/"):
        target = target[part]
    merged = dict(target)
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return resolve(schema, merged) if "$ref" in target else merged


def _simple_type(node: dict) -> str:
    """The flatten-tool type of a schema node: its first non-null JSON type."""
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "")
    return kind or ""


def title_key(title: str) -> str:
    """How column titles are compared: case and spaces ignored (as flatten-tool does)."""
    return title.replace(" ", "").lower()


@dataclass
class TitleNode:
    """One level of the title lookup: 'Recipient Org' → recipientOrganization, and its children."""

    property_name: str = ""
    children: dict[str, TitleNode] = field(default_factory=dict)

    def lookup(self, parts: list[str]) -> str:
        """The JSON path (parts joined by '/') named by a column title split on ':'."""
        first, rest = parts[0], parts[1:]
        try:
            int(first)
        except ValueError:
            pass
        else:
            return first + ("/" + self.lookup(rest) if rest else "")
        child = self.children.get(title_key(first))
        if child is None:
            # Not a title in the schema: the words themselves become the field names.
            return "/".join(part.strip(" ") for part in parts)
        if rest:
            return child.property_name + "/" + child.lookup(rest)
        return child.property_name


class GrantSchema:
    """Field types and titles for the 360Giving grant schema (and the package schema)."""

    def __init__(self, grant_schema: dict, package_schema: dict, *, version: str = "") -> None:
        self.grant_schema = grant_schema
        self.package_schema = package_schema
        self.version = version
        self.types: dict[str, str] = {}  # "recipientOrganization/id" -> "string"
        self.titles: dict[str, str] = {}  # "recipientOrganization/id" -> "Recipient Org:Identifier"
        self.title_root = TitleNode()
        self._walk(grant_schema, grant_schema, "", "", self.title_root, set())
        self.package_types: dict[str, str] = {}
        self.package_title_root = TitleNode()
        package_only = {
            "properties": {
                k: v for k, v in package_schema.get("properties", {}).items() if k != "grants"
            }
        }
        self._walk(
            package_schema, package_only, "", "", self.package_title_root, set(), package=True
        )

    def _walk(
        self,
        root: dict,
        node: dict,
        path: str,
        title_path: str,
        titles: TitleNode,
        seen: set[str],
        *,
        package: bool = False,
    ) -> None:
        node = resolve(root, node)
        for name, child in node.get("properties", {}).items():
            child = resolve(root, child)
            child_path = f"{path}/{name}" if path else name
            kind = _simple_type(child)
            items = resolve(root, child.get("items", {})) if kind == "array" else {}
            if kind == "array" and _simple_type(items) != "object":
                item_kind = _simple_type(items)
                kind = f"{item_kind}_array" if item_kind in {"string", "number"} else "array"
            target = self.package_types if package else self.types
            target[child_path] = kind
            title = child.get("title", "")
            child_title = f"{title_path}:{title}" if title_path else title
            if not package:
                self.titles[child_path] = child_title
            title_node = TitleNode(property_name=name)
            if title:
                titles.children[title_key(title)] = title_node
            sub = items if items else child
            if _simple_type(sub) == "object" and "properties" in sub:
                self._walk(root, sub, child_path, child_title, title_node, seen, package=package)

    def path_for_title(self, title: str) -> str:
        return self.title_root.lookup(title.split(":"))

    def package_path_for_title(self, title: str) -> str:
        return self.package_title_root.lookup(title.split(":"))

    def title_for_path(self, path: str) -> str:
        """Spreadsheet column title for a JSON path such as 'recipientOrganization/0/url'."""
        parts = [p for p in str(path).split("/") if p and not p.isdigit()]
        return self.titles.get("/".join(parts), "/".join(parts))
