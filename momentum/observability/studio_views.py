"""/studio/ops: health, key figures, alarms, backups and drills, circuits, AI spend against budget."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.observability import alarms, dashboard
from momentum.recovery import actions


@page_access(Access.ADMIN)
@require_GET
def studio_ops(request: HttpRequest) -> HttpResponse:
    return render(request, "ops/studio_ops.html", dashboard.page())


@page_access(Access.ADMIN)
@require_GET
def studio_ops_runs(request: HttpRequest) -> HttpResponse:
    """The backups section alone, for htmx to refresh while a run is in progress."""
    return render(request, "ops/partials/backup_runs.html", {"backups": dashboard.backups()})


@page_access(Access.ADMIN)
@require_POST
def studio_ops_backup(request: HttpRequest) -> HttpResponse:
    run = actions.do_request_backup(actor=caller(request), request=request)
    messages.success(request, _("Backup #%(number)s is queued; a worker is making it.") % {"number": run.pk})
    return redirect("observability:studio_ops")


@page_access(Access.ADMIN)
@require_POST
def studio_ops_drill(request: HttpRequest) -> HttpResponse:
    run = actions.do_request_drill(actor=caller(request), request=request)
    messages.success(
        request, f"Restore drill #{run.pk} is queued: it restores the latest backup into a scratch database."
    )
    return redirect("observability:studio_ops")


@page_access(Access.ADMIN)
@require_POST
def studio_ops_evaluate(request: HttpRequest) -> HttpResponse:
    changed = alarms.evaluate()
    messages.info(
        request, f"Alarms evaluated; {len(changed)} changed state." if changed else "Alarms evaluated; no change."
    )
    return redirect("observability:studio_ops")
