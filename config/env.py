"""The only place that reads os.environ.

Every setting the app reads from the environment is declared here with its type,
default and a one-line description; docs/settings.md must list each of them
(tests/test_docs.py fails otherwise).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Variable:
    name: str
    kind: type
    default: Any
    help: str

    def read(self) -> Any:
        raw = os.environ.get(self.name)
        if raw is None:
            return self.default
        if self.kind is bool:
            word = raw.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            raise ValueError(f"{self.name} must be true or false, not {raw!r}")
        if self.kind is int:
            try:
                return int(raw)
            except ValueError as error:
                raise ValueError(f"{self.name} must be a whole number, not {raw!r}") from error
        if self.kind is list:
            return [item.strip() for item in raw.split(",") if item.strip()]
        return raw


VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in [
        Variable(
            "VCSEHUB_DEBUG", bool, False, "Show detailed error pages. Never on in production."
        ),
        Variable(
            "VCSEHUB_SECRET_KEY",
            str,
            "",
            "Signs sessions and tokens. Required when VCSEHUB_DEBUG is off.",
        ),
        Variable(
            "VCSEHUB_SECRET_KEY_FILE",
            str,
            "",
            "File holding the secret key, used when VCSEHUB_SECRET_KEY is unset. "
            "Default: secret_key in VCSEHUB_DATA_HOME (bin/up makes it once).",
        ),
        Variable(
            "DATABASE_URL",
            str,
            "",
            "Database to use, e.g. postgres://user@host/db. Empty means SQLite in VCSEHUB_DATA_HOME.",
        ),
        Variable(
            "VCSEHUB_DATA_HOME",
            str,
            str(BASE_DIR / "var"),
            "Folder for the SQLite database, downloads and uploads.",
        ),
        Variable(
            "VCSEHUB_DATA_DIR",
            str,
            "",
            "Read every open-data source from this local folder (laid out like shared/data) instead of the official URLs.",
        ),
        Variable(
            "VCSEHUB_ALLOWED_HOSTS",
            list,
            ["127.0.0.1", "localhost"],
            "Comma-separated host names the site answers to.",
        ),
        Variable(
            "VCSEHUB_CSRF_TRUSTED_ORIGINS",
            list,
            [],
            "Comma-separated origins (https://hub.example.org) trusted for form posts behind a proxy.",
        ),
        Variable(
            "VCSEHUB_SECURE_COOKIES",
            bool,
            False,
            "Send cookies over HTTPS only and set HSTS. Turn on when served over HTTPS.",
        ),
        Variable(
            "VCSEHUB_MAX_DOWNLOAD_BYTES",
            int,
            2 * 1024**3,
            "Largest file an import will download or read, in bytes.",
        ),
        Variable(
            "VCSEHUB_DOWNLOAD_TIMEOUT",
            int,
            60,
            "Seconds to wait for a data server to answer before giving up.",
        ),
        Variable(
            "VCSEHUB_LOGIN_FAILURE_LIMIT",
            int,
            5,
            "Failed log-ins allowed per account and address before a cool-off.",
        ),
        Variable(
            "VCSEHUB_LOGIN_COOLOFF_MINUTES",
            int,
            15,
            "Minutes a locked-out account and address must wait.",
        ),
        Variable(
            "VCSEHUB_MAX_UPLOAD_BYTES",
            int,
            50 * 1024**2,
            "Largest spreadsheet a charity can upload, in bytes.",
        ),
        Variable(
            "VCSEHUB_MAX_UPLOAD_ROWS",
            int,
            1_000_000,
            "Most rows an uploaded spreadsheet may hold.",
        ),
        Variable(
            "VCSEHUB_MIN_DISPLAY_COUNT",
            int,
            5,
            "Smallest number of people a shown figure may be about; smaller counts show as 'fewer than N'. "
            "It also holds across pages: a period's dashboard or the compare-periods page hides a "
            "count, or shows the whole dataset instead, when setting it beside another page would "
            "reveal a group smaller than this.",
        ),
        Variable(
            "VCSEHUB_ADMIN_EMAIL", str, "", "Email of the first administrator `vcsehub up` creates."
        ),
        Variable(
            "VCSEHUB_ADMIN_PASSWORD",
            str,
            "",
            "Password of the first administrator `vcsehub up` creates.",
        ),
        Variable("VCSEHUB_HOST", str, "127.0.0.1", "Address `vcsehub up` serves on."),
        Variable("VCSEHUB_PORT", int, 8000, "Port `vcsehub up` serves on."),
        Variable("VCSEHUB_WORKERS", int, 2, "Web worker processes `vcsehub up` starts."),
        Variable(
            "VCSEHUB_SHARED_DATA",
            str,
            str(BASE_DIR.parent / "shared" / "data"),
            "Tests only: folder of real public data the tests read (shared/data).",
        ),
    ]
}


def env(name: str) -> Any:
    return VARIABLES[name].read()
