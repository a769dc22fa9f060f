"""Studio pages of course packages: a course's Export button and the Import form."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from momentum.accounts.policy import Access, caller, page_access
from momentum.catalog import queries as catalog_queries
from momentum.coursepackages import actions, queries
from momentum.coursepackages.archive import open_package
from momentum.coursepackages.forms import ImportForm
from momentum.lib.problems import Problem

WARNINGS_SHOWN = 20


@page_access(Access.COURSE_STAFF)
def course_export(request: HttpRequest, pk: int) -> FileResponse:
    course = catalog_queries.staffed_course_or_404(request.user, pk)
    package = queries.package_file(course)
    actions.do_record_export(course, actor=caller(request), request=request)
    return FileResponse(package, as_attachment=True, filename=queries.package_filename(course),
                        content_type="application/zip")  # fmt: skip


@page_access(Access.COURSE_STAFF)
def course_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            with open_package(form.cleaned_data["file"]) as package:
                result = actions.do_import_course(
                    package, actor=caller(request), category=form.cleaned_data["category"], request=request
                )
        except Problem as problem:
            error = problem.detail
        else:
            messages.success(request, _("Imported “%(title)s” as a draft.") % {"title": result.course.title})
            if result.warnings:
                skipped = ngettext("%(count)d thing was skipped:", "%(count)d things were skipped:",
                                   len(result.warnings)) % {"count": len(result.warnings)}  # fmt: skip
                messages.warning(request, " ".join([skipped, *result.warnings[:WARNINGS_SHOWN]]))
            return redirect("catalog:studio_course", result.course.pk)
    status = 422 if error or form.errors else 200
    return render(request, "coursepackages/studio/import.html", {"form": form, "error": error}, status=status)
