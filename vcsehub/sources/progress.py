"""Progress reporting for long imports: a terminal bar in the CLI, nothing elsewhere."""

from __future__ import annotations

from typing import TextIO


class Progress:
    """Silent progress: the interface every importer talks to."""

    def start(self, label: str, total: int | None = None, unit: str = "rows") -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class TerminalProgress(Progress):
    """A tqdm progress bar on the given stream (the CLI's stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar = None

    def start(self, label: str, total: int | None = None, unit: str = "rows") -> None:
        from tqdm import tqdm

        self.finish()
        self.bar = tqdm(
            total=total,
            desc=label,
            unit=f" {unit}",
            unit_scale=True,
            file=self.stream,
            dynamic_ncols=True,
            mininterval=0.5,
        )

    def advance(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
