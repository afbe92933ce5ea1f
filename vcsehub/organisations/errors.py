"""Errors the organisations services raise: each message says what is wrong and what to do."""

from __future__ import annotations


class AccountError(Exception):
    """Something a person asked for cannot be done; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class LastOwnerError(AccountError):
    """The change would leave an organisation with no owner."""


class InvitationError(AccountError):
    """An invitation link is unknown, expired, withdrawn or already used."""


class UserExistsError(AccountError):
    """An account with this email address already exists."""
