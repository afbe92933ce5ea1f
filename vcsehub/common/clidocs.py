"""Write docs/cli.md and docs/data-sources.md from what the code declares.

    python -m vcsehub.common.clidocs            # rewrite both files in docs/
    python -m vcsehub.common.clidocs cli        # print the CLI reference
    python -m vcsehub.common.clidocs sources    # print the data sources list

docs/cli.md is built from each command's own --help; docs/data-sources.md from the
sources registry (each app's sources.py). tests/test_docs.py fails when either file
differs from what this module would write now.
"""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial
from pathlib import Path

from config.env import BASE_DIR

# The VCSE Hub commands documented, in this order; those not (yet) installed are left out.
COMMANDS = ("up", "import", "imports", "org", "token", "impact", "grants_import_file")
HELP_WIDTH = 88
DOCS_DIR = BASE_DIR / "docs"
REGENERATE = "python -m vcsehub.common.clidocs"


def _setup_django() -> None:
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()


def _fixed_width(parser: argparse.ArgumentParser) -> None:
    """Help text wrapped at a fixed width, whatever the terminal, so the output is stable."""
    from django.core.management.base import DjangoHelpFormatter

    parser.formatter_class = partial(DjangoHelpFormatter, width=HELP_WIDTH, max_help_position=30)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for subparser in dict.fromkeys(action.choices.values()):
                _fixed_width(subparser)


def _subparsers(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen = set()
            for name, subparser in action.choices.items():
                if id(subparser) in seen:  # aliases
                    continue
                seen.add(id(subparser))
                found.append((name, subparser))
                found.extend((f"{name} {sub}", p) for sub, p in _subparsers(subparser))
    return found


def installed_commands() -> list[str]:
    _setup_django()
    from django.core.management import get_commands

    available = get_commands()
    return [name for name in COMMANDS if name in available]


def cli_markdown() -> str:
    _setup_django()
    from django.core.management import get_commands, load_command_class

    available = get_commands()
    names = installed_commands()
    lines = [
        "# Command-line reference",
        "",
        f"Generated from each command's `--help` by `{REGENERATE}`. Do not edit by hand.",
        "",
        "Run any command as `vcsehub <command>` (or `python -m vcsehub <command>`).",
        "`vcsehub --help` lists the everyday commands; `vcsehub help --all` lists every one.",
        "",
    ]
    lines += [f"- [`vcsehub {name}`](#vcsehub-{name})" for name in names]
    for name in names:
        command = load_command_class(available[name], name)
        parser = command.create_parser("vcsehub", name)
        _fixed_width(parser)
        lines += ["", f"## vcsehub {name}", "", "```text", parser.format_help().rstrip(), "```"]
        for sub_name, subparser in _subparsers(parser):
            lines += [
                "",
                f"### vcsehub {name} {sub_name}",
                "",
                "```text",
                subparser.format_help().rstrip(),
                "```",
            ]
    return "\n".join(lines) + "\n"


def sources_markdown() -> str:
    _setup_django()
    from vcsehub.sources.registry import all_sources

    lines = [
        "# Data sources",
        "",
        f"Generated from the sources registry (each app's `sources.py`) by `{REGENERATE}`.",
        "Do not edit by hand.",
        "",
        "Each source's licence and attribution lines appear wherever its data is shown.",
        "`vcsehub up` imports the sources marked *automatic* that have not been imported yet,",
        "in the order given; import any source yourself with `vcsehub import <id>`.",
        "Set `VCSEHUB_DATA_DIR` (or pass `--data-dir`) to read local copies instead of the",
        "official addresses.",
        "",
        "| id | title | publisher | licence | automatic |",
        "| --- | --- | --- | --- | --- |",
    ]
    sources = all_sources()
    for source in sources:
        automatic = f"yes (order {source.order})" if source.auto_import else "no"
        lines.append(
            f"| [`{source.id}`](#{source.id}) | {_cell(source.title)} | {_cell(source.publisher)} "
            f"| [{_cell(source.licence)}]({source.licence_url}) | {automatic} |"
        )
    for source in sources:
        lines += [
            "",
            f"## {source.id}",
            "",
            f"**{source.title}**, published by {source.publisher}.",
        ]
        if source.description:
            lines += ["", source.description.strip()]
        lines += ["", f"- Licence: [{source.licence}]({source.licence_url})", "- Attribution:"]
        lines += [f"  - {line}" for line in source.attribution]
        lines.append(f"- Format: {source.format}")
        if source.urls:
            lines.append("- Official location:")
            lines += [f"  - <{url}>" for url in source.urls]
        if source.local_paths:
            lines.append(
                "- In a local data folder: " + ", ".join(f"`{p}`" for p in source.local_paths)
            )
        lines.append(f"- Imported by `vcsehub up`: {'yes' if source.auto_import else 'no'}")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


GENERATED = {"cli.md": cli_markdown, "data-sources.md": sources_markdown}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args == ["cli"]:
        sys.stdout.write(cli_markdown())
    elif args == ["sources"]:
        sys.stdout.write(sources_markdown())
    elif not args:
        for filename, build in GENERATED.items():
            path = Path(DOCS_DIR) / filename
            path.write_text(build(), encoding="utf-8")
            sys.stdout.write(f"wrote {path.relative_to(BASE_DIR)}\n")
    else:
        sys.stderr.write(f"usage: {REGENERATE} [cli|sources]\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
