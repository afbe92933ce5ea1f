"""People, the organisations they belong to, their roles, invitations and API tokens.

Secrets (invitation link tokens, API keys) are stored only as SHA-256 hashes: the plain
value is shown once, when it is made. Each organisation also has a random
`pseudonym_secret`, used to pseudonymise people's references in its uploads; it is never
shown anywhere.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

ORG_ID_PATTERN = r"^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9-]+$"
RESERVED_SLUGS = frozenset({"new"})

org_id_validator = RegexValidator(
    ORG_ID_PATTERN,
    "Enter an org-id such as GB-CHC-1234567: a two-letter country code, the register's "
    "code and the number on that register, joined by hyphens.",
)


def new_pseudonym_secret() -> str:
    """32 random bytes as hex: the per-organisation key for pseudonymising references."""
    return secrets.token_hex(32)


def hash_secret(plain: str) -> str:
    """SHA-256 hex digest of a token or key: how they are stored and looked up."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None):
        # Email addresses are stored in lower case, so signing in ignores case.
        return self.get(**{self.model.USERNAME_FIELD: (username or "").strip().lower()})


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    def save(self, *args, **kwargs) -> None:
        # One spelling per address, whoever creates the account (admin, CLI, sign-up).
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


ROLE_HELP = {
    Role.OWNER: "can do everything, including managing members and deleting the organisation",
    Role.EDITOR: "can view and change the organisation's data",
    Role.VIEWER: "can view the organisation's data",
}


class Organisation(models.Model):
    """A voluntary or community organisation using the hub; it owns its data."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Short name used in web addresses: lower-case letters, numbers and hyphens.",
        error_messages={
            "unique": "Another organisation already uses this short name. Choose another."
        },
    )
    org_id = models.CharField(
        "org-id",
        max_length=60,
        blank=True,
        default="",
        db_index=True,
        validators=[org_id_validator],
        help_text="The organisation's identifier on an official register, e.g. GB-CHC-1234567.",
    )
    pseudonym_secret = models.CharField(max_length=64, default=new_pseudonym_secret, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_user_and_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display().lower()} of {self.organisation}"


INVITATION_DAYS = 14


class Invitation(models.Model):
    """An invitation to join an organisation, opened through a secret link."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and not self.is_expired


API_KEY_PREFIX = "vh_"


class ApiToken(models.Model):
    """A personal key for the API. It acts as its user, with that user's access."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_prefix = models.CharField(max_length=16, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.key_prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
