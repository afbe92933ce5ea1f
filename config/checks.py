"""Start-up checks that make a misconfigured production site refuse to run."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MISSING_KEY = (
    "VCSEHUB_SECRET_KEY is not set and VCSEHUB_DEBUG is off. Set VCSEHUB_SECRET_KEY to a "
    "long random string (for example the output of "
    "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
    "or set VCSEHUB_DEBUG=true on a private development machine."
)


def _secret_key() -> str:
    # Django raises its own terse error when an empty key is read; ours says how to fix it.
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:
        return ""


def require_secret_key() -> None:
    if not _secret_key():
        raise ImproperlyConfigured(MISSING_KEY)


@register(Tags.security, deploy=False)
def secret_key_check(app_configs, **kwargs):
    if not _secret_key():
        return [Error(MISSING_KEY, id="vcsehub.E001")]
    return []
