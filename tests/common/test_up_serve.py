"""`vcsehub up` really serves the site with gunicorn, static files included."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from config.env import BASE_DIR

START_TIMEOUT_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read().decode()


def test_up_serves_the_home_page_and_static_files(tmp_path):
    port = _free_port()
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "VCSEHUB_DEBUG", "DJANGO_SETTINGS_MODULE", "VCSEHUB_DATA_DIR"}
    }
    # Its own SQLite data home, even when the suite runs on PostgreSQL.
    environment.update(
        VCSEHUB_DATA_HOME=str(tmp_path / "home"),
        VCSEHUB_SECRET_KEY="end-to-end-test-key-" + "k" * 40,
        VCSEHUB_WORKERS="1",
        VCSEHUB_ADMIN_EMAIL="",
        VCSEHUB_ADMIN_PASSWORD="",
    )
    log = (tmp_path / "up.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "vcsehub", "up", "--skip-imports", "--port", str(port)],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            assert process.poll() is None, (
                f"vcsehub up stopped early:\n{(tmp_path / 'up.log').read_text()}"
            )
            try:
                status, _, html = _get(base + "/")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, "vcsehub up did not answer in time"
                time.sleep(0.3)
        assert status == 200
        assert "Data and tools for the voluntary and community sector" in html
        assert 'href="/static/vcsehub/site.css"' in html

        status, content_type, css = _get(base + "/static/vcsehub/site.css")
        assert status == 200
        assert content_type.startswith("text/css")
        assert ".skip-link" in css
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    output = (tmp_path / "up.log").read_text()
    assert f"VCSE Hub is running at {base} — press Ctrl+C to stop" in output
    assert "Database: applied" in output
    assert '"GET / HTTP/1.1" 200' in output  # the access log goes to the console
