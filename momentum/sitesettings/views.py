"""The studio's settings page: site name, generation quota and budgets, providers, email check."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.sitesettings import queries as settings_queries
from momentum.sitesettings.actions import do_send_test_email, do_update_site_settings
from momentum.sitesettings.models import InstructorPublishing, SiteSettings


class SiteSettingsForm(forms.Form):
    site_name = forms.CharField(
        label=_("Site name"), max_length=100, help_text=_("Shown in the header and page titles.")
    )
    generation_daily_quota = forms.IntegerField(
        label=_("Generation jobs per admin per day"), min_value=0, max_value=1000
    )
    generation_daily_budget_usd = forms.DecimalField(
        label=_("Daily AI budget (USD)"), min_value=Decimal(0), max_value=Decimal(1_000_000), decimal_places=2
    )
    generation_monthly_budget_usd = forms.DecimalField(
        label=_("Monthly AI budget (USD)"),
        min_value=Decimal(0),
        max_value=Decimal(10_000_000),
        decimal_places=2,
    )
    instructor_publishing = forms.ChoiceField(
        label=_("When an instructor publishes"), choices=InstructorPublishing.choices,
        help_text=_("Admins always publish at once; approving a waiting course is publishing it."),
    )  # fmt: skip
    instructor_generation_daily_quota = forms.IntegerField(
        label=_("Generation jobs per instructor per day"), min_value=0, max_value=1000
    )
    instructor_generation_daily_budget_usd = forms.DecimalField(
        label=_("Daily AI budget per instructor (USD)"), min_value=Decimal(0), max_value=Decimal(1_000_000),
        decimal_places=2,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        daily, monthly = data.get("generation_daily_budget_usd"), data.get("generation_monthly_budget_usd")
        if daily is not None and monthly is not None and daily > monthly:
            self.add_error("generation_daily_budget_usd", "The daily budget cannot exceed the monthly budget.")
        return data


def _page(request: HttpRequest, form: SiteSettingsForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "ops/settings.html",
        {
            "form": form,
            "providers": settings_queries.providers(),
            "email_transport": settings_queries.email_transport(),
            "storage": "S3-compatible storage"
            if settings.STORAGE_BACKEND == "s3"
            else f"files in {settings.MEDIA_ROOT}",
        },
        status=status,
    )


@page_access(Access.ADMIN)
def site_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SiteSettingsForm(request.POST)
        if form.is_valid():
            do_update_site_settings(actor=caller(request), request=request, **form.cleaned_data)
            messages.success(request, _("Settings saved."))
            return redirect("sitesettings:studio_settings")
        return _page(request, form, status=422)
    row = SiteSettings.load()
    initial = {name: getattr(row, name) for name in SiteSettingsForm.base_fields}
    initial["site_name"] = settings_queries.site_name()
    return _page(request, SiteSettingsForm(initial=initial))


@page_access(Access.ADMIN)
@require_POST
def email_check(request: HttpRequest) -> HttpResponse:
    sent, what = do_send_test_email(actor=caller(request), request=request)
    (messages.success if sent else messages.error)(request, what)
    return redirect("sitesettings:studio_settings")
