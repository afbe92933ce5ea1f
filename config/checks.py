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


def require_secret_key() -> None:
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured(MISSING_KEY)


@register(Tags.security, deploy=False)
def secret_key_check(app_configs, **kwargs):
    if not settings.SECRET_KEY:
        return [Error(MISSING_KEY, id="vcsehub.E001")]
    return []
