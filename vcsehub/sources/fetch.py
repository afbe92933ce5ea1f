"""Get a data file from a local path or a URL, with its size and SHA-256 checksum.

`fetch()` is a context manager. A local file is read where it is (no copy). A URL is
streamed to a temporary file that is deleted when the `with` block ends. Every problem
(missing file, HTTP error, time-out, cut-off download, file too big) is a FetchError
in plain words, so the import run can record why it failed.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import socket
import ssl
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

from vcsehub.sources.errors import FetchError

CHUNK_BYTES = 1024 * 1024
USER_AGENT = "VCSE Hub data importer (+https://github.com/vcsehub)"


@dataclass(frozen=True)
class FetchedFile:
    location: str  # the path or URL asked for
    path: Path  # where the bytes are now, on this machine
    name: str  # the file's own name (from the URL, Content-Disposition or path)
    size: int  # bytes
    sha256: str  # hex digest of the bytes


@contextmanager
def fetch(
    location: str | Path,
    *,
    max_bytes: int | None = None,
    timeout: int | None = None,
) -> Iterator[FetchedFile]:
    """Yield the file at `location` (path, file:// URL or http(s):// URL) as a FetchedFile."""
    text = str(location)
    scheme = urllib.parse.urlsplit(text).scheme.lower() if not isinstance(location, Path) else ""
    if scheme in {"http", "https"}:
        with _fetch_url(text, max_bytes=max_bytes, timeout=timeout) as fetched:
            yield fetched
        return
    if scheme == "file":
        path = Path(urllib.request.url2pathname(urllib.parse.urlsplit(text).path))
    elif scheme and len(scheme) > 1:
        raise FetchError(
            f"VCSE Hub cannot read {text}: only http://, https:// and file:// addresses "
            "or paths on this computer are supported",
            fix="Download the file yourself and give its path instead.",
        )
    else:
        path = Path(text).expanduser()
    yield _local_file(text, path, max_bytes=max_bytes)


def _local_file(location: str, path: Path, *, max_bytes: int | None) -> FetchedFile:
    if not path.exists():
        raise FetchError(
            f"The file {path} does not exist",
            fix="Check the path is spelt right and the file has not been moved.",
        )
    if not path.is_file():
        raise FetchError(
            f"{path} is a folder, not a file",
            fix="Give the path of the data file inside it.",
        )
    size = path.stat().st_size
    _check_size(size, max_bytes, location)
    try:
        with path.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
    except PermissionError:
        raise FetchError(
            f"VCSE Hub is not allowed to read {path}",
            fix="Check the file's permissions.",
        ) from None
    return FetchedFile(location=location, path=path, name=path.name, size=size, sha256=digest)


def _check_size(size: int, max_bytes: int | None, location: str) -> None:
    if max_bytes is not None and size > max_bytes:
        raise FetchError(
            f"The file at {location} is {_megabytes(size)}, more than the limit of "
            f"{_megabytes(max_bytes)}, so it was not read",
            fix="If the file is right, raise VCSEHUB_MAX_DOWNLOAD_BYTES and try again.",
        )


def _seconds(wait: float) -> str:
    return "1 second" if wait == 1 else f"{wait} seconds"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


def _download_dir() -> Path | None:
    home = getattr(settings, "DATA_HOME", None)
    if not home:
        return None
    folder = Path(home) / "downloads"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


@contextmanager
def _fetch_url(url: str, *, max_bytes: int | None, timeout: int | None) -> Iterator[FetchedFile]:
    host = urllib.parse.urlsplit(url).hostname or url
    wait = timeout if timeout is not None else getattr(settings, "DOWNLOAD_TIMEOUT", 60)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
    folder = tempfile.mkdtemp(prefix="vcsehub-", dir=_download_dir())
    try:
        try:
            response = urllib.request.urlopen(request, timeout=wait)  # noqa: S310
        except urllib.error.HTTPError as error:
            error.close()
            raise _http_error(url, error.code) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise _connection_error(url, host, wait, error) from None
        with response:
            declared = _content_length(response)
            if declared is not None:
                _check_size(declared, max_bytes, url)
            name = _file_name(response, url)
            path = Path(folder) / name
            size, digest = _stream_to(
                response,
                path,
                url=url,
                host=host,
                wait=wait,
                declared=declared,
                max_bytes=max_bytes,
            )
        yield FetchedFile(location=url, path=path, name=name, size=size, sha256=digest)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _stream_to(
    response,
    path: Path,
    *,
    url: str,
    host: str,
    wait: int,
    declared: int | None,
    max_bytes: int | None,
) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as out:
            while True:
                chunk = response.read(CHUNK_BYTES)
                if not chunk:
                    break
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise FetchError(
                        f"The file at {url} is bigger than the limit of {_megabytes(max_bytes)}, "
                        "so the download was stopped",
                        fix="If the file is right, raise VCSEHUB_MAX_DOWNLOAD_BYTES and try again.",
                    )
                digest.update(chunk)
                out.write(chunk)
    except http.client.IncompleteRead:
        raise _truncated(url, size, declared) from None
    except TimeoutError:
        raise FetchError(
            f"The download from {host} stopped: the server sent nothing for {_seconds(wait)}",
            fix="Try again later, or download the file yourself and give its path.",
        ) from None
    except (OSError, http.client.HTTPException) as error:
        if isinstance(error, FetchError):
            raise
        raise FetchError(
            f"The download from {host} broke off after {_megabytes(size)} ({error})",
            fix="Try again later, or download the file yourself and give its path.",
        ) from None
    if declared is not None and size < declared:
        raise _truncated(url, size, declared)
    return size, digest.hexdigest()


def _truncated(url: str, size: int, declared: int | None) -> FetchError:
    expected = f" of {declared:,}" if declared is not None else ""
    return FetchError(
        f"The download of {url} was cut off: only {size:,}{expected} bytes arrived",
        fix="Try again. If it keeps happening, download the file yourself and give its path.",
    )


def _content_length(response) -> int | None:
    value = response.headers.get("Content-Length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _file_name(response, url: str) -> str:
    name = response.headers.get_filename() or ""
    if not name:
        final = getattr(response, "url", None) or url
        name = urllib.parse.unquote(PurePosixPath(urllib.parse.urlsplit(final).path).name)
    # Only the last part of a path, and nothing that could climb out of the folder.
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:200] or "download"


HTTP_MEANINGS = {
    400: "the server says the request was wrong",
    401: "the server wants a password or token",
    403: "the server refuses to give this file",
    404: "the server says this file does not exist",
    410: "the server says this file has been removed",
    429: "the server says too many requests were made",
}


def _http_error(url: str, code: int) -> FetchError:
    meaning = HTTP_MEANINGS.get(code)
    if meaning is None:
        meaning = "the server had a problem" if code >= 500 else "the server refused the request"
    fix = (
        "Check the address is right: official download addresses change with each release. "
        "Set the new address, or download the file yourself and give its path."
    )
    if code >= 500 or code == 429:
        fix = "Try again later."
    return FetchError(f"Could not download {url}: {meaning} (HTTP {code})", fix=fix)


def _connection_error(url: str, host: str, wait: int, error: BaseException) -> FetchError:
    reason = getattr(error, "reason", error)
    later = "Check the address and your internet connection, then try again."
    if isinstance(reason, TimeoutError):
        return FetchError(
            f"Could not download {url}: {host} did not answer within {_seconds(wait)}",
            fix="Try again later, or raise VCSEHUB_DOWNLOAD_TIMEOUT.",
        )
    if isinstance(reason, ConnectionRefusedError):
        return FetchError(f"Could not download {url}: {host} refused the connection", fix=later)
    if isinstance(reason, socket.gaierror):
        return FetchError(
            f"Could not download {url}: the server {host} could not be found", fix=later
        )
    if isinstance(reason, ssl.SSLError):
        return FetchError(
            f"Could not download {url}: the secure connection to {host} failed ({reason})",
            fix="Check the address starts with the right https:// name, and the computer's clock is right.",
        )
    return FetchError(f"Could not download {url}: {reason}", fix=later)


def is_url(location: str | os.PathLike) -> bool:
    """True for http(s):// and file:// addresses, False for paths."""
    scheme = urllib.parse.urlsplit(str(location)).scheme.lower()
    return scheme in {"http", "https", "file"}
