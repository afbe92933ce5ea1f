"""Zip archives: each member that holds a table is read in turn, with guards against zip bombs."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

from django.conf import settings

from vcsehub.sources.errors import DataError

# A member bigger than this, compressed more than MAX_RATIO times, is refused.
BIG_MEMBER_BYTES = 10 * 1024 * 1024
MAX_RATIO = 200


def unzipped_limit() -> int:
    """Most bytes all members of one zip may hold when unpacked."""
    configured = getattr(settings, "MAX_UNZIPPED_BYTES", None)
    if configured:
        return int(configured)
    return int(getattr(settings, "MAX_DOWNLOAD_BYTES", 2 * 1024**3)) * 10


def open_zip(path: Path, *, label: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise DataError(
            f"This zip file is damaged and could not be opened ({error})",
            fix="Download it again. If it was sent to you, ask for it again.",
            file=label,
        ) from None


def data_members(
    archive: zipfile.ZipFile, *, label: str, member: str | None = None, limit: int | None = None
) -> list[zipfile.ZipInfo]:
    """The members worth reading: not folders, not Mac resource files, matching `member`."""
    infos = []
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.parts[:1] == ("__MACOSX",) or path.name.startswith("."):
            continue
        if member is not None and not (
            fnmatch(info.filename, member) or fnmatch(path.name, member)
        ):
            continue
        infos.append(info)
    check_bomb(infos, label=label, limit=unzipped_limit() if limit is None else limit)
    return infos


def check_bomb(infos: list[zipfile.ZipInfo], *, label: str, limit: int) -> None:
    total = sum(info.file_size for info in infos)
    if total > limit:
        raise DataError(
            f"This zip file would unpack to {total / 1024**2:,.0f} MB, more than the limit of "
            f"{limit / 1024**2:,.0f} MB, so it was not opened",
            fix="Check it is the right file. If it is, unpack it yourself and import the files inside.",
            file=label,
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > BIG_MEMBER_BYTES and ratio > MAX_RATIO:
            raise DataError(
                f"{info.filename} is compressed {ratio:,.0f} times, far more than real data "
                "files are, so it was not opened (it may be a 'zip bomb')",
                fix="Check where the file came from.",
                file=label,
            )


class _MemberStream(io.RawIOBase):
    """One zip member, opened with its own handle on the zip file, closing both together."""

    def __init__(self, path: Path, info: zipfile.ZipInfo, label: str) -> None:
        super().__init__()
        self._archive = zipfile.ZipFile(path)
        try:
            self._stream = self._archive.open(info)
        except RuntimeError as error:  # encrypted
            self._archive.close()
            raise DataError(
                f"{info.filename} is protected by a password ({error})",
                fix="Unpack it yourself and import the file inside.",
                file=label,
            ) from None
        except (zipfile.BadZipFile, OSError) as error:
            self._archive.close()
            raise DataError(
                f"{info.filename} could not be unpacked ({error})",
                fix="Download the zip file again.",
                file=label,
            ) from None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        return self._stream.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            try:
                self._stream.close()
                self._archive.close()
            finally:
                super().close()


def member_opener(path: Path, info: zipfile.ZipInfo, *, label: str) -> Callable:
    """A function that opens the member afresh each time it is called."""
    return lambda: _MemberStream(path, info, label)


@contextmanager
def extract_member(opener: Callable, *, suffix: str) -> Iterator[Path]:
    """Copy one member to a temporary file (for readers that need to seek), removed after."""
    folder = Path(tempfile.mkdtemp(prefix="vcsehub-zip-"))
    try:
        target = folder / f"member{suffix}"
        with opener() as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)
