"""Studio pages of the analytics app: the dashboard, the analytics page and its CSV exports."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.analytics import reports
from momentum.analytics.queries import Snapshot, last_rollup_at, payments_received
from momentum.analytics.rollups import Metric
from momentum.lib import charts
from momentum.lib.problems import Problem

DASHBOARD_DAYS = 30
EXPORTS = ("daily", "funnel", "dropoff", "demographics")


def dollars(cents: float) -> str:
    return f"{'-' if cents < 0 else ''}${abs(cents) / 100:,.2f}"


def usd(value: float) -> str:
    return f"${value:,.2f}"


def _chart(key: str, title: str, points: Sequence[tuple[date, float | int]], fmt: Any = None) -> dict[str, Any]:
    labelled = [(day.strftime("%b %-d"), value) for day, value in points]
    options = {"fmt": fmt} if fmt else {}
    return {
        "key": key,
        "title": title,
        "svg": charts.line(labelled, title=title, **options),
        "rows": [(day.strftime("%a %b %-d"), fmt(float(value)) if fmt else value) for day, value in points],
        "total": fmt(float(sum(value for _day, value in points))) if fmt else sum(value for _day, value in points),
    }


@page_access(Access.ADMIN)
def dashboard(request: HttpRequest) -> HttpResponse:
    snapshot = Snapshot()
    overview = snapshot.overview()
    end = snapshot.today
    start = end - timedelta(days=DASHBOARD_DAYS - 1)
    figures = [
        ("signups", "Sign-ups per day", Metric.SIGNUPS, None),
        ("active", "Active learners per day", Metric.ACTIVE_USERS, None),
        ("enrollments", "Enrolments per day", Metric.ENROLLMENTS, None),
        ("completions", "Courses completed per day", Metric.COMPLETIONS, None),
        ("generation_cost", "AI generation cost per day", Metric.GENERATION_COST_USD, usd),
    ]
    rolled_up_at = last_rollup_at()
    return render(
        request,
        "analytics/dashboard.html",
        {
            "overview": overview,
            "revenue": dollars(overview["revenue_cents_total"]),
            "generation_cost": usd(overview["generation"]["cost_usd_total"]),
            "completion_percent": f"{overview['completion_rate'] * 100:.1f} %",
            "charts": [
                *[
                    _chart(key, title, snapshot.series(metric, start, end), fmt)
                    for key, title, metric, fmt in figures[:4]
                ],
                # Money received, which is never negative (a refund is not a negative sale on the chart).
                _chart("revenue", "Payments received per day", payments_received(start, end), dollars),
                *[
                    _chart(key, title, snapshot.series(metric, start, end), fmt)
                    for key, title, metric, fmt in figures[4:]
                ],
            ],
            "start": start,
            "end": end,
            "rolled_up_at": rolled_up_at,
            "pending_events": snapshot.tail.events,
            "now": snapshot.now,
        },
    )


@page_access(Access.ADMIN)
@require_POST
def rollup_now(request: HttpRequest) -> HttpResponse:
    from momentum.analytics.actions import do_request_rollup

    do_request_rollup(actor=caller(request), request=request)
    messages.info(request, _("The rollup is running; the figures already include everything recorded so far."))
    return redirect("analytics:studio_dashboard")


class RangeForm(forms.Form):
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    dimension = forms.ChoiceField(label="Break down by", choices=list(reports.DIMENSIONS.items()), required=False)
    course = forms.TypedChoiceField(label="Course", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from momentum.catalog.queries import course_choices

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        course = self.fields["course"]
        if isinstance(course, forms.ChoiceField):
            course.choices = [("", "Most enrolled"), *course_choices()]


def _selection(request: HttpRequest, snapshot: Snapshot) -> dict[str, Any]:
    """The validated range, dimension and course of an analytics request (defaults: last 30 days)."""
    from momentum.analytics.api import series_range

    form = RangeForm(request.GET or None)
    values: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    end = values.get("end") or snapshot.today
    start = values.get("start") or end - timedelta(days=DASHBOARD_DAYS - 1)
    error = None
    try:
        start, end = series_range(start, end, "day", snapshot.today)
    except Problem as problem:
        error = problem.errors[0]["message"] if problem.errors else problem.detail
        end = snapshot.today
        start = end - timedelta(days=DASHBOARD_DAYS - 1)
    return {
        "form": form,
        "start": start,
        "end": end,
        "dimension": values.get("dimension") or "age_range",
        "course_id": values.get("course"),
        "range_error": error,
    }


def _dropoff_course(snapshot: Snapshot, selection: dict[str, Any], funnel: reports.Table) -> Any:
    from momentum.catalog.queries import course_or_none

    course_id = selection["course_id"] or (funnel.keys[0] if funnel.keys else None)
    return course_or_none(course_id) if course_id else None


@page_access(Access.ADMIN)
def analytics_page(request: HttpRequest) -> HttpResponse:
    snapshot = Snapshot()
    selection = _selection(request, snapshot)
    start, end = selection["start"], selection["end"]
    daily = reports.daily(snapshot, start, end)
    funnel = reports.funnel(snapshot, start, end)
    course = _dropoff_course(snapshot, selection, funnel)
    dropoff = reports.dropoff(snapshot, course, start, end) if course else None
    demographics = reports.demographics(selection["dimension"], start, end)
    query = request.GET.copy()
    query.pop("page", None)
    series = [
        _chart("signups", "Sign-ups", snapshot.series(Metric.SIGNUPS, start, end)),
        _chart("active", "Active learners", snapshot.series(Metric.ACTIVE_USERS, start, end)),
        _chart("lessons", "Lessons completed", snapshot.series(Metric.LESSON_COMPLETIONS, start, end)),
        _chart("revenue", "Payments received", payments_received(start, end), dollars),
    ]
    return render(
        request,
        "analytics/analytics.html",
        {
            **selection,
            "daily": daily,
            "funnel": funnel,
            "funnel_chart": charts.bars(
                [(row[0][:28], row[3]) for row in funnel.rows[:10]], title="Enrolments by course"
            ),
            "dropoff": dropoff,
            "dropoff_course": course,
            "dropoff_chart": charts.bars(
                [(f"Day {row[0]}", row[1]) for row in dropoff.rows], title="Learners completing each day"
            )
            if dropoff
            else None,
            "demographics": demographics,
            "demographics_chart": charts.bars(
                [(str(row[0]), row[1]) for row in demographics.rows], title="Learners by group"
            ),
            "series": series,
            "query": query.urlencode(),
            "presets": [
                (f"Last {days} days", snapshot.today - timedelta(days=days - 1), snapshot.today)
                for days in (7, 30, 90, 365)
            ],
        },
    )


def _safe_cell(value: Any) -> Any:
    """A spreadsheet must not read a cell as a formula (CSV injection): text starting with = + - @ is quoted."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, Decimal):
        return str(value)
    return value


@page_access(Access.ADMIN)
def export_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in EXPORTS:
        raise Http404("No such table")
    snapshot = Snapshot()
    selection = _selection(request, snapshot)
    start, end = selection["start"], selection["end"]
    if table == "daily":
        report = reports.daily(snapshot, start, end)
    elif table == "funnel":
        report = reports.funnel(snapshot, start, end)
    elif table == "dropoff":
        course = _dropoff_course(snapshot, selection, reports.funnel(snapshot, start, end))
        if course is None:
            raise Http404("No course to report on")
        report = reports.dropoff(snapshot, course, start, end)
    else:
        report = reports.demographics(selection["dimension"], start, end)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="momentum-{table}-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(report.headings)
    for row in report.rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return response
