"""Bearer-token authentication for the API.

Endpoints that show organisation data use it like this:

    from vcsehub.organisations.api_auth import bearer_auth

    @router.get("/things", auth=bearer_auth)
    def things(request):
        user = request.auth  # the token's user; ask vcsehub.sharing.access what they may see

A request without a token, or with an unknown or revoked one, gets 401.
"""

from __future__ import annotations

from ninja.security import HttpBearer

from vcsehub.organisations import selectors, services
from vcsehub.organisations.models import User


class BearerAuth(HttpBearer):
    """`Authorization: Bearer vh_…`: the token's user becomes `request.auth`."""

    def authenticate(self, request, token: str) -> User | None:
        api_token = selectors.api_token_get_active_by_key(key=token.strip())
        if api_token is None:
            return None
        services.api_token_touch(token=api_token)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


bearer_auth = BearerAuth()
