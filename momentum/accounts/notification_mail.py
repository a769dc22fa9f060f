"""The email channel of notices (accounts.channels): never sent inside a request.

From a request (a reply, a mention) the email is queued as the durable workflow
``accounts.send_notice_email`` (a slow or failing mail server costs the request nothing, and the
worker retries); from background work already running in a worker (a workflow step: the daily
notices, a finished generation) it is sent right there, which is where the workflow would have
sent it anyway.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from momentum.accounts.channels import Notice, send_in_background
from momentum.accounts.queries import reachable_user
from momentum.sitesettings.site_mail import send_site_mail, site_context

QUEUE = "notices"


def send_email(notice: Notice) -> None:
    from momentum.accounts import workflows

    send_in_background(notice, now=send_now, workflow=workflows.send_notice_email, queue=QUEUE, name="notice-email")


def send_now(user_id: int, kind: str, title: str, body: str, url: str) -> bool:
    """Email one notice to its person, unless the account is closed. True when the mail went out."""
    user = reachable_user(user_id)
    if user is None:
        return False
    site = site_context()["site_url"]
    context = {
        "name": user.name,
        "title": title,
        "body": body,
        "link": f"{site}{url}" if url.startswith("/") else url,
        "settings_path": reverse("accounts:notification_settings"),
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):  # off the request: the person's language
        return send_site_mail(
            to=user.email,
            subject=title,
            template="accounts/email/notification.txt",
            context=context,
            kind=f"notice.{kind}",
        )
