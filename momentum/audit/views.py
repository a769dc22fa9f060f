"""The studio's audit page: the trail with filters (action, actor, subject, dates), newest first."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from momentum.accounts.policy import Access, page_access
from momentum.audit.queries import AuditFilter, audit_events, known_actions

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(required=False, label=_("Action"))
    actor = forms.CharField(required=False, max_length=254, label=_("Who acted"), help_text=_("Email or account id"))
    subject = forms.CharField(required=False, max_length=254, label=_("About whom"), help_text=_("Email or account id"))
    since = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        actions = known_actions()
        families = sorted({action.split(".", 1)[0] + "." for action in actions if "." in action})
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", "Every action"),
            *[(family, f"{family}* (all)") for family in families],
            *[(action, action) for action in actions],
        ]

    def criteria(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        since, until = data.get("since"), data.get("until")
        return AuditFilter(
            action=data.get("action", ""),
            actor=data.get("actor", ""),
            subject=data.get("subject", ""),
            since=datetime.combine(since, time.min, tzinfo=UTC) if since else None,
            until=datetime.combine(until, time.min, tzinfo=UTC) + timedelta(days=1) if until else None,
        )


@page_access(Access.ADMIN)
def studio_audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = Paginator(audit_events(form.criteria()), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "ops/partials/audit_results.html" if request.htmx else "ops/studio_audit.html"  # type: ignore[attr-defined]
    return render(
        request, template, {"form": form, "page": page, "audit_retention_days": settings.AUDIT_RETENTION_DAYS}
    )
