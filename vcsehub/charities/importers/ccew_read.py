"""Read one CCEW table into built rows, with no side effects (so a child process can do it).

A builder takes a row's fields and gives what to keep (None: nothing), or raises
ValueError saying why the row cannot be read. It changes nothing else, so a batch can be
built again row by row. Builders are made for a text function: values.text for any row,
values.text_clean for rows known to hold no NUL character.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from vcsehub.charities.importers import values as v
from vcsehub.charities.importers.ccew_files import CcewTable, ccew_batches

Builder = Callable[[list[str]], object]
Make = Callable[[Callable[[str], str], dict[str, int]], Builder]
KEPT_PROBLEMS = 21  # the importer logs the first 20 rejected rows of a file, then one line


@dataclass
class Tally:
    """What reading a table found: rows read, rows left out, and the first few reasons."""

    table: str
    name: str
    read: int = 0
    rejected: int = 0
    first: list[tuple[int, str]] = field(default_factory=list)


def ccew_built(
    table: CcewTable, make: Make, *, tally: Tally, fields_used: int = 0
) -> Iterator[list]:
    """What the builder keeps of each row, a batch at a time, in file order.

    `make(text, column)` gives the builder; `column` maps column names to positions.
    `fields_used` > 0: the builder reads only that many leading fields, so the rest of
    each line is left unsplit (the field count is still checked). Rows that cannot be
    read are counted in `tally` and left out.
    """
    width = len(table.columns)
    column = {name: position for position, name in enumerate(table.columns)}
    builders = {True: make(v.text_clean, column), False: make(v.text, column)}
    for batch in ccew_batches(table):
        build = builders[batch.clean]
        problems = list(batch.bad)
        if batch.lines is None:
            rows = batch.rows
            uniform = all(len(values) == width for values in rows)
        elif fields_used:
            tabs = width - 1
            uniform = all(line.count("\t") == tabs for line in batch.lines)
            rows = [line.split("\t", fields_used) for line in batch.lines]
        else:
            rows = [line.split("\t") for line in batch.lines]
            uniform = all(len(values) == width for values in rows)
        tally.read += len(rows) + len(batch.bad)
        out = None
        if uniform:
            try:
                out = [build(values) for values in rows]
            except ValueError:
                out = None  # read again row by row, to leave out only the bad rows
        if out is None:
            out = []
            for i, (number, values) in enumerate(zip(batch.numbers, rows, strict=True)):
                found = len(values) if batch.lines is None else batch.lines[i].count("\t") + 1
                if found != width:
                    if found == 1 and not values[0]:
                        tally.read -= 1  # a blank line
                    else:
                        problems.append((number, f"has {found} fields, but the header has {width}"))
                    continue
                try:
                    out.append(build(values))
                except ValueError as error:
                    problems.append((number, str(error)))
        if problems:
            problems.sort()
            tally.rejected += len(problems)
            tally.first.extend(problems[: KEPT_PROBLEMS - len(tally.first)])
        yield [item for item in out if item is not None]
