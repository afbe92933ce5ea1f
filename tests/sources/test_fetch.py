"""fetch(): local paths in place, URLs streamed to a temporary file, every failure in plain words."""

from __future__ import annotations

import hashlib
import socket

import pytest

from vcsehub.sources.errors import FetchError
from vcsehub.sources.fetch import fetch, is_url

IOD_FILE1 = "iod2019-england/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"


def test_local_file_is_read_in_place_with_its_checksum(shared_data_dir):
    path = shared_data_dir / IOD_FILE1
    with fetch(path) as fetched:
        assert fetched.path == path
        assert fetched.name == path.name
        assert fetched.size == path.stat().st_size
        assert fetched.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.exists()


def test_local_path_given_as_text_and_file_url(shared_data_dir):
    path = shared_data_dir / IOD_FILE1
    with fetch(str(path)) as by_text, fetch(path.as_uri()) as by_url:
        assert by_text.sha256 == by_url.sha256
        assert by_url.path == path


def test_missing_local_file(tmp_path):
    with pytest.raises(FetchError) as caught, fetch(tmp_path / "nope.csv"):
        pass
    assert "does not exist" in str(caught.value)
    assert "nope.csv" in str(caught.value)


def test_folder_is_not_a_file(tmp_path):
    with pytest.raises(FetchError, match="is a folder"), fetch(tmp_path):
        pass


def test_local_file_over_the_size_cap(shared_data_dir):
    with (
        pytest.raises(FetchError, match="more than the limit"),
        fetch(shared_data_dir / IOD_FILE1, max_bytes=1000),
    ):
        pass


def test_unsupported_scheme():
    with pytest.raises(FetchError, match="only http"), fetch("ftp://example.org/data.csv"):
        pass


def test_url_download_matches_the_local_file(data_server, shared_data_dir):
    local = shared_data_dir / IOD_FILE1
    with fetch(data_server.url(IOD_FILE1), timeout=5) as fetched:
        assert fetched.sha256 == hashlib.sha256(local.read_bytes()).hexdigest()
        assert fetched.size == local.stat().st_size
        assert fetched.name == local.name
        assert fetched.path.read_bytes() == local.read_bytes()
        downloaded = fetched.path
    assert not downloaded.exists(), "the temporary download must be deleted after the block"


def test_temporary_download_is_deleted_when_the_block_fails(data_server):
    with (
        pytest.raises(ZeroDivisionError),
        fetch(data_server.url("_fixtures/sources/bom.csv"), timeout=5) as fetched,
    ):
        downloaded = fetched.path
        1 / 0  # noqa: B018
    assert not downloaded.exists()


def test_file_name_from_content_disposition(data_server):
    with fetch(data_server.url("_test/named/sources/bom.csv"), timeout=5) as fetched:
        assert fetched.name == "renamed file.csv"
        assert fetched.path.name == "renamed file.csv"


def test_http_404(data_server):
    with pytest.raises(FetchError) as caught, fetch(data_server.url("_test/404"), timeout=5):
        pass
    assert "the server says this file does not exist (HTTP 404)" in str(caught.value)


def test_missing_file_on_the_server_is_a_404(data_server):
    with (
        pytest.raises(FetchError, match=r"HTTP 404"),
        fetch(data_server.url("no/such/file.csv"), timeout=5),
    ):
        pass


def test_truncated_download(data_server):
    with pytest.raises(FetchError) as caught, fetch(data_server.url("_test/truncated"), timeout=5):
        pass
    assert "cut off" in str(caught.value)
    assert "100,000" in str(caught.value)


def test_size_cap_from_content_length_up_front(data_server, shared_data_dir):
    with (
        pytest.raises(FetchError, match="more than the limit"),
        fetch(data_server.url(IOD_FILE1), max_bytes=10_000, timeout=5),
    ):
        pass


def test_size_cap_while_streaming_without_content_length(data_server):
    with (
        pytest.raises(FetchError, match="bigger than the limit"),
        fetch(data_server.url("_test/unsized/3000000"), max_bytes=1_000_000, timeout=5),
    ):
        pass
    with fetch(data_server.url("_test/unsized/3000"), max_bytes=1_000_000, timeout=5) as fetched:
        assert fetched.size == 3000


def test_time_out(data_server):
    with pytest.raises(FetchError) as caught, fetch(data_server.url("_test/slow/3"), timeout=1):
        pass
    assert "did not answer within 1 second" in str(caught.value)


def test_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        pytest.raises(FetchError, match="refused the connection"),
        fetch(f"http://127.0.0.1:{port}/x.csv", timeout=2),
    ):
        pass


def test_is_url():
    assert is_url("https://example.org/a.zip")
    assert is_url("file:///tmp/a.csv")
    assert not is_url("/tmp/a.csv")
    assert not is_url("C:\\data\\a.csv")
