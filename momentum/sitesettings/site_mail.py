"""Email from the site to one person: named after the site, with links to its public address.

Every message Momentum writes itself goes through ``send_site_mail``: the subject carries the
site's name (the studio's, else MOMENTUM_SITE_NAME), the templates get ``site_name`` and
``site_url`` (MOMENTUM_SITE_URL, which in dev and test follows HOST and PORT). allauth's
messages get the same name through ``accounts.adapters``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from momentum.lib.logs import get_logger
from momentum.sitesettings.queries import site_name

log = get_logger("momentum.mail")


def site_context() -> dict[str, str]:
    return {"site_name": site_name(), "site_url": str(settings.SITE_URL).rstrip("/")}


def subject_line(subject: str) -> str:
    return f"[{site_name()}] {subject}"


def send_site_mail(*, to: str, subject: str, template: str, context: dict[str, Any], kind: str) -> bool:
    """Render ``template`` (plain text) and send it to ``to``; False (and a log line) when sending fails.

    Called after the change it reports has committed, so a mail server that is down loses the
    mail, never the change.
    """
    body = render_to_string(template, {**site_context(), **context})
    message = EmailMessage(subject=subject_line(subject), body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    try:
        message.send()
    except Exception as error:  # the mail transport's failures are many (socket, SMTP, file system)
        log.error("mail_not_sent", kind=kind, error=f"{type(error).__name__}: {error}")
        return False
    log.info("mail_sent", kind=kind)
    return True
