"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.env import env

# Tests and CI read real public data from shared/data; never copied into the repo.


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    path = Path(env("VCSEHUB_SHARED_DATA")).resolve()
    if not (path / "README.md").is_file():
        message = (
            f"The shared data folder was not found at {path}. Set VCSEHUB_SHARED_DATA to the "
            "folder holding shared/data (see README.md)."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.fail(message)
    return path


FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


class DataServer:
    """A loopback HTTP server over the shared data folder, with paths that misbehave on purpose.

    /<path>                  a file from shared/data
    /_fixtures/<path>        a file from tests/fixtures
    /_test/404               answers 404
    /_test/truncated         says Content-Length 100000, sends 1000 bytes, hangs up
    /_test/slow/<seconds>    waits that long before answering
    /_test/unsized/<bytes>   sends that many bytes with no Content-Length
    /_test/named/<path>      a file from tests/fixtures, named by Content-Disposition
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    def url(self, relative_path: str) -> str:
        from urllib.parse import quote

        return f"http://{self.host}:{self.port}/{quote(str(relative_path).lstrip('/'))}"


@pytest.fixture(scope="session")
def data_server(shared_data_dir: Path):
    import http.server
    import threading
    import time
    from urllib.parse import unquote, urlsplit

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(shared_data_dir), **kwargs)

        def log_message(self, *args) -> None:
            pass

        def translate_path(self, path: str) -> str:
            clean = unquote(urlsplit(path).path)
            if clean.startswith("/_fixtures/"):
                target = (FIXTURES_DIR / clean.removeprefix("/_fixtures/")).resolve()
                if FIXTURES_DIR in target.parents:
                    return str(target)
            return super().translate_path(path)

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == "/_test/404":
                self.send_error(404)
            elif path == "/_test/truncated":
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"x" * 1000)
                self.wfile.flush()
                self.close_connection = True
            elif path.startswith("/_test/slow/"):
                time.sleep(float(path.rsplit("/", 1)[1]))
                self._send(b"late\n")
            elif path.startswith("/_test/unsized/"):
                self.send_response(200)
                self.end_headers()
                size = int(path.rsplit("/", 1)[1])
                for start in range(0, size, 65536):
                    self.wfile.write(b"y" * min(65536, size - start))
                self.close_connection = True
            elif path.startswith("/_test/named/"):
                target = FIXTURES_DIR / path.removeprefix("/_test/named/")
                self._send(
                    target.read_bytes(),
                    {"Content-Disposition": "attachment; filename*=UTF-8''renamed%20file.csv"},
                )
            else:
                super().do_GET()

        def _send(self, body: bytes, headers: dict | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False

        def handle_error(self, request, client_address) -> None:
            pass  # clients that give up (time-out tests) are expected

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield DataServer("127.0.0.1", server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
