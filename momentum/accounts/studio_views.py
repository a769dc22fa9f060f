"""Studio pages for user administration: the list, one person's page, role and activation changes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from momentum.accounts import admin_actions, admin_queries
from momentum.accounts.models import Role, User
from momentum.accounts.policy import Access, caller, page_access
from momentum.lib.problems import Problem

PAGE_SIZE = 25


class UserFilters(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Any role")), *Role.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Active and inactive")), ("active", _("Active")), ("inactive", _("Deactivated"))],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def _audit_url(user: User) -> str | None:
    try:
        return f"{reverse('audit:studio_audit')}?subject={user.pk}"
    except NoReverseMatch:  # the audit-log page comes with the identity work
        return None


@page_access(Access.ADMIN)
def user_list(request: HttpRequest) -> HttpResponse:
    filters = UserFilters(request.GET or None)
    values: dict[str, Any] = filters.cleaned_data if filters.is_valid() else {}
    status = values.get("status", "")
    found = admin_queries.users(
        q=values.get("q", ""), role=values.get("role", ""), active={"active": True, "inactive": False}.get(status)
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/studio/user_list.html", {"filters": filters, "page": page})


def _user_page(request: HttpRequest, person: User, *, status: int = 200, **context: Any) -> HttpResponse:
    context.setdefault("role_form", RoleForm(initial={"role": person.role}))
    return render(
        request,
        "accounts/studio/user_detail.html",
        {
            "person": person,
            "enrollments": admin_queries.enrollments_of(person),
            "trail": admin_queries.audit_trail(person),
            "audit_url": _audit_url(person),
            "is_self": person.pk == request.user.pk,
            **context,
        },
        status=status,
    )


@page_access(Access.ADMIN)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _user_page(request, get_object_or_404(User, pk=pk))


@page_access(Access.ADMIN)
@require_POST
def user_role(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _user_page(request, person, status=422, role_form=form)
    try:
        person = admin_actions.do_change_user_role(
            person, form.cleaned_data["role"], actor=caller(request), request=request
        )
    except Problem as problem:
        return _user_page(request, person, status=problem.status, role_form=form, change_error=problem.detail)
    messages.success(
        request, _("%(name)s is now %(role)s.") % {"name": person.name, "role": str(person.get_role_display()).lower()}
    )
    return redirect("accounts:studio_user", person.pk)


@page_access(Access.ADMIN)
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        person = admin_actions.do_set_user_active(person, active, actor=caller(request), request=request)
    except Problem as problem:
        return _user_page(request, person, status=problem.status, change_error=problem.detail)
    if active:
        messages.success(request, _("%(name)s's account is active again.") % {"name": person.name})
    else:
        messages.success(
            request, _("%(name)s's account is deactivated: they can no longer sign in.") % {"name": person.name}
        )
    return redirect("accounts:studio_user", person.pk)
