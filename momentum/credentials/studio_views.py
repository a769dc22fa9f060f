"""Studio pages of the credentials app (admins): every certificate, with a form to revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.credentials import actions, queries
from momentum.lib.problems import Problem

PAGE_SIZE = 50


@page_access(Access.ADMIN)
@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(queries.all_certificates(search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "credentials/studio/certificates.html", {"page": page, "q": search})


@page_access(Access.ADMIN)
@require_POST
def revoke(request: HttpRequest, id: str) -> HttpResponse:
    try:
        credential = queries.certificate(id)
        actions.do_revoke_credential(
            credential, reason=request.POST.get("reason", "")[:2000], actor=caller(request), request=request
        )
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(
            request, _("Certificate %(id)s is revoked; its page, its PDF and the API say so.") % {"id": credential.id}
        )
    return redirect("credentials:studio_certificates")
