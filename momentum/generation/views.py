"""Studio pages of the generation app: /studio/generate (the form and the jobs) and a job's live page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.catalog.studio_forms import add_problem
from momentum.generation import actions, queries
from momentum.generation.forms import GenerateForm
from momentum.generation.models import GenerationJob
from momentum.lib.problems import Problem
from momentum.sitesettings.queries import ai_spend

PAGE_SIZE = 15


def _store_pdfs(request: HttpRequest, files: list[Any]) -> list[Any]:
    if not files:
        return []
    from momentum.generation.references.actions import do_store_reference_document

    return [do_store_reference_document(upload, actor=caller(request), request=request).document for upload in files]


@page_access(Access.COURSE_STAFF)
def studio_generate(request: HttpRequest) -> HttpResponse:
    form = GenerateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job, _created = actions.do_start_job(
                request.user, form.job_request(_store_pdfs(request, form.cleaned_data["pdfs"])), request=request
            )
        except Problem as problem:
            add_problem(form, problem)
            if not problem.errors:
                form.add_error(None, problem.detail)
        else:
            messages.success(request, _("Generating “%(topic)s”: follow it here.") % {"topic": job.topic})
            return redirect("generation:studio_job", job.pk)
    context = _generate_context(request, form)
    return render(request, "generation/studio_generate.html", context, status=422 if form.errors else 200)


def _generate_context(request: HttpRequest, form: GenerateForm) -> dict[str, Any]:
    """The form, the jobs (a page of them), today's quota and spend, and the providers' status."""
    quota, started_today = actions.daily_quota(request.user), queries.jobs_started_today(request.user)
    return {
        "form": form,
        "page": Paginator(queries.jobs(request.user), PAGE_SIZE).get_page(request.GET.get("page")),
        "spend": ai_spend(),
        "quota": quota,
        "started_today": started_today,
        "jobs_left": max(0, quota - started_today),
        "providers": queries.provider_status(),
    }


def _job_context(job: GenerationJob) -> dict[str, Any]:
    summary = queries.job_summary(job)
    return {"job": job, "steps": queries.steps(job), "summary": summary, "live": job.status not in actions.FINISHED}


@page_access(Access.COURSE_STAFF)
def studio_job(request: HttpRequest, job: UUID) -> HttpResponse:
    found = queries.job_or_404_page(job, request.user)
    return render(request, "generation/studio_job.html", _job_context(found))


@page_access(Access.COURSE_STAFF)
def studio_job_progress(request: HttpRequest, job: UUID) -> HttpResponse:
    """The live part of the job page, polled by htmx every two seconds while the job runs."""
    found = queries.job_or_404_page(job, request.user)
    return render(request, "generation/partials/job_progress.html", _job_context(found))


@page_access(Access.COURSE_STAFF)
@require_POST
def studio_job_cancel(request: HttpRequest, job: UUID) -> HttpResponse:
    found = queries.job_or_404_page(job, request.user)
    try:
        actions.do_cancel_job(found, actor=caller(request), request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("The job is cancelled."))
    return redirect("generation:studio_job", found.pk)


@page_access(Access.COURSE_STAFF)
@require_POST
def studio_job_retry(request: HttpRequest, job: UUID) -> HttpResponse:
    found = queries.job_or_404_page(job, request.user)
    try:
        actions.do_retry_job(found, actor=caller(request), request=request)
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(request, _("Retrying from the failed step."))
    return redirect("generation:studio_job", found.pk)
