"""Course packages over the API: export a course as a zip, import one as a new draft.

Both are course-staff operations: admins on every course, an instructor on the courses they own
or co-teach (export; ``staffed_course_or_404``) and on the drafts they import (the importer owns it).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from momentum.accounts.policy import Access, api_access, caller
from momentum.catalog import queries as catalog_queries
from momentum.coursepackages import actions, queries
from momentum.coursepackages.archive import open_package
from momentum.coursepackages.schemas import ImportedCourseOut
from momentum.lib.problems import Invalid
from momentum.platform.api_problems import problems

router = Router(tags=["course packages"])
STAFF = api_access(Access.COURSE_STAFF)
ZIP = "application/zip"


@router.get(
    "/courses/{course}/export", auth=STAFF,
    openapi_extra=problems({}, responses={200: {
        "description": "The course package: Momentum's own (momentum.json) and an IMS Common Cartridge 1.3 "
        "(imsmanifest.xml, lesson pages, QTI 1.2 quizzes, captions, media)",
        "content": {ZIP: {"schema": {"type": "string", "format": "binary"}}},
    }}),
)  # fmt: skip
def export_course(request: HttpRequest, course: str) -> FileResponse:
    """The course as one zip, whatever its status (audited); streamed from a temporary file."""
    target = catalog_queries.staffed_course_or_404(request.user, course)
    package = queries.package_file(target)
    actions.do_record_export(target, actor=caller(request), request=request)
    return FileResponse(package, as_attachment=True, filename=queries.package_filename(target), content_type=ZIP)


@router.post(
    "/courses/import", response={201: ImportedCourseOut}, auth=STAFF,
    openapi_extra=problems({
        409: "`no_category`: the site has no category to put the course in",
        413: "`payload_too_large`: the package is larger than MOMENTUM_MAX_COURSE_PACKAGE_BYTES",
        422: "`invalid_package`: not a zip, no manifest, bad or unsafe XML, a path outside the package, a "
        "symbolic link, a zip bomb, or a Momentum package that breaks a rule (`errors[0].rule` says which); "
        "`validation_error`: no `file`, or an unknown `category`",
    }),
)  # fmt: skip
def import_course(request: HttpRequest, file: File[UploadedFile], category: Form[str] = "") -> Status[dict[str, Any]]:
    """Multipart `file`: a course package exported by Momentum (a lossless copy) or an IMS Common
    Cartridge from another LMS (modules become days, pages and links the lessons, QTI quizzes the
    quizzes; what has no Momentum equivalent is skipped and listed in `warnings`). Optional `category`
    (slug or id). Creates a DRAFT course owned by the caller."""
    chosen = None
    if category:
        chosen = catalog_queries.category_by_key(category)
        if chosen is None:
            raise Invalid("category", f"no category has the slug or id {category[:60]!r}", rule="exists")
    with open_package(file) as package:
        result = actions.do_import_course(package, actor=caller(request), category=chosen, request=request)
    return Status(201, queries.imported(result.course, result.format, result.warnings))
