"""Account pages: sign in, my organisations, members and invitations, API tokens.

Views are thin: `vcsehub.sharing.access` decides who may do what, the services and
selectors do the work.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from vcsehub.organisations import selectors, services
from vcsehub.organisations.errors import AccountError
from vcsehub.organisations.forms import (
    ApiTokenForm,
    InvitationForm,
    OrganisationForm,
    RoleForm,
    SignInForm,
    SignUpForm,
)
from vcsehub.organisations.models import ROLE_HELP, Invitation, Membership, Role
from vcsehub.sharing import access
from vcsehub.sharing.access import Need

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "organisations/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    return render(
        request,
        "organisations/home.html",
        {"memberships": selectors.memberships_for_user(user=request.user)},
    )


@login_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                org_id=form.cleaned_data["org_id"],
                owner=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{organisation.name} was created. You are its owner.")
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/organisation_form.html", {"form": form})


def _detail_context(request, organisation, **extra) -> dict:
    role = access.role_of(request.user, organisation)
    manage = access.can_manage_members(request.user, organisation)
    members = list(selectors.organisation_members(organisation=organisation))
    context = {
        "organisation": organisation,
        "role": role,
        "role_help": ROLE_HELP[role],
        "members": members,
        "can_manage_members": manage,
        "can_delete": access.can_delete_organisation(request.user, organisation),
        "role_choices": Role.choices,
        "invitation_form": InvitationForm() if manage else None,
        "invitations": selectors.invitations_pending(organisation=organisation) if manage else (),
    }
    context.update(extra)
    return context


@login_required
def organisation_detail(request, slug: str):
    organisation = access.organisation_for_user_or_404(request.user, slug, need=Need.VIEW)
    return render(
        request, "organisations/organisation_detail.html", _detail_context(request, organisation)
    )


@login_required
@require_POST
def invitation_create(request, slug: str):
    organisation = access.organisation_for_user_or_404(request.user, slug, need=Need.MANAGE_MEMBERS)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, token = services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except AccountError as error:
            form.add_error("email", error.message)
        else:
            link = request.build_absolute_uri(
                reverse("organisations:invitation", kwargs={"token": token})
            )
            return render(
                request,
                "organisations/invitation_created.html",
                {"organisation": organisation, "invitation": invitation, "link": link},
            )
    context = _detail_context(request, organisation, invitation_form=form)
    return render(request, "organisations/organisation_detail.html", context, status=400)


@login_required
@require_POST
def invitation_revoke(request, slug: str, pk: int):
    organisation = access.organisation_for_user_or_404(request.user, slug, need=Need.MANAGE_MEMBERS)
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    return redirect("organisations:detail", slug=organisation.slug)


@login_required
@require_POST
def member_role(request, slug: str, pk: int):
    organisation = access.organisation_for_user_or_404(request.user, slug, need=Need.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a role from the list.")
    else:
        try:
            services.membership_set_role(membership=membership, role=form.cleaned_data["role"])
        except AccountError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"{membership.user.email} is now {membership.get_role_display().lower()}."
            )
    return redirect("organisations:detail", slug=organisation.slug)


@login_required
@require_POST
def member_remove(request, slug: str, pk: int):
    organisation = access.organisation_for_user_or_404(request.user, slug, need=Need.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership, pk=pk, organisation=organisation)
    try:
        services.membership_remove(membership=membership)
    except AccountError as error:
        messages.error(request, error.message)
        return redirect("organisations:detail", slug=organisation.slug)
    messages.success(request, f"{membership.user.email} was removed from {organisation.name}.")
    if membership.user_id == request.user.pk:
        return redirect("organisations:home")
    return redirect("organisations:detail", slug=organisation.slug)


@login_required
def organisation_delete(request, slug: str):
    organisation = access.organisation_for_user_or_404(request.user, slug, need=Need.DELETE)
    if request.method == "POST":
        name = organisation.name
        services.organisation_delete(organisation=organisation)
        messages.success(request, f"{name} and all its data were deleted.")
        return redirect("organisations:home")
    return render(request, "organisations/organisation_delete.html", {"organisation": organisation})


def invitation_accept(request, token: str):
    invitation = selectors.invitation_get_by_token(token=token)
    try:
        services.invitation_check(invitation=invitation)
    except AccountError as error:
        status = 404 if invitation is None else 410
        return render(
            request,
            "organisations/invitation_invalid.html",
            {"error": error.message},
            status=status,
        )
    context = {
        "invitation": invitation,
        "role_help": ROLE_HELP[Role(invitation.role)],
        "sign_in_url": f"{reverse('organisations:login')}?{urlencode({'next': request.path})}",
    }
    if request.user.is_authenticated:
        if request.method == "POST":
            return _accept(request, token=token, user=request.user)
        return render(request, "organisations/invitation_accept.html", context)

    if selectors.user_get_by_email(email=invitation.email) is not None:
        return render(request, "organisations/invitation_accept.html", context)
    form = SignUpForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = services.user_create(
                    email=invitation.email,
                    password=form.cleaned_data["password1"],
                    name=form.cleaned_data["name"],
                )
                membership = services.invitation_accept(token=token, user=user)
        except AccountError as error:
            form.add_error(None, error.message)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return _welcome(request, membership)
    context["form"] = form
    return render(request, "organisations/invitation_accept.html", context)


def _accept(request, *, token: str, user):
    try:
        membership = services.invitation_accept(token=token, user=user)
    except AccountError as error:
        return render(
            request, "organisations/invitation_invalid.html", {"error": error.message}, status=400
        )
    return _welcome(request, membership)


def _welcome(request, membership: Membership):
    messages.success(
        request,
        f"You joined {membership.organisation.name} as {membership.get_role_display().lower()}.",
    )
    return redirect("organisations:detail", slug=membership.organisation.slug)


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            user=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "organisations/api_tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": selectors.api_tokens_for_user(user=request.user),
            "api_url": request.build_absolute_uri(reverse("api:me")),
        },
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = selectors.api_token_get_for_user(user=request.user, pk=pk)
    if token is None:
        raise Http404("No such token")
    services.api_token_revoke(token=token)
    messages.success(request, f"The token {token.key_prefix}… ({token.name}) was revoked.")
    return redirect("organisations:tokens")
