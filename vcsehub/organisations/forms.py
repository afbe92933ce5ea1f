"""Forms for signing in, signing up through an invitation, organisations and tokens."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.text import slugify

from vcsehub.organisations.models import ORG_ID_PATTERN, ROLE_HELP, Role, User


class PlainLabels:
    """Labels without a trailing colon."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class SignInForm(PlainLabels, AuthenticationForm):
    """Email and password. The email field is named `username`, as django-axes expects."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        "invalid_login": (
            "The email address or password is not right. Check them and try again. "
            "Passwords are case-sensitive."
        ),
        "inactive": "This account has been switched off. Ask your administrator.",
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class OrganisationForm(PlainLabels, forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    slug = forms.SlugField(
        label="Short name for web addresses (optional)",
        max_length=80,
        required=False,
        help_text="Lower-case letters, numbers and hyphens. Left empty, we make one from the name.",
    )
    org_id = forms.RegexField(
        label="org-id (optional)",
        regex=ORG_ID_PATTERN,
        max_length=60,
        required=False,
        help_text=(
            "Your identifier on an official register, for example GB-CHC-1234567 for a "
            "charity in England and Wales or GB-COH-01234567 for a company."
        ),
        error_messages={
            "invalid": "Enter an org-id such as GB-CHC-1234567, or leave it empty.",
        },
    )

    def clean(self):
        data = super().clean()
        if not data.get("slug") and data.get("name"):
            data["slug"] = slugify(data["name"])[:80].strip("-")
            if not data["slug"]:
                self.add_error("slug", "Choose a short name using letters or numbers.")
        return data


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, f"{role.label}: {ROLE_HELP[role]}") for role in Role]


class InvitationForm(PlainLabels, forms.Form):
    email = forms.EmailField(label="Email address of the person to invite", max_length=254)
    role = forms.ChoiceField(label="Role", choices=role_choices, initial=Role.VIEWER.value)


class RoleForm(PlainLabels, forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class SignUpForm(PlainLabels, forms.Form):
    """A new account for the email address an invitation was sent to."""

    name = forms.CharField(label="Your name (optional)", max_length=200, required=False)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters. Not a common password, and not all numbers.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords are different. Type them again.")
        elif password1:
            candidate = User(email=self.email, name=data.get("name", ""))
            try:
                password_validation.validate_password(password1, user=candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ApiTokenForm(PlainLabels, forms.Form):
    name = forms.CharField(
        label="What is this token for?",
        max_length=100,
        help_text="A name to recognise it by later, for example “Dan's laptop”.",
    )
