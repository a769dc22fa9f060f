"""Where a notice goes besides the app: email as a durable workflow (a request never waits on the
mail server), push through the sender an app registers, each only when the person wants it."""

from __future__ import annotations

import email
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dbos import DBOS
from django.db import transaction

from momentum.accounts import channels
from momentum.accounts.actions import do_notify, do_set_notification_preferences
from momentum.accounts.models import Channel, Notification, NotificationKind, User


@pytest.fixture
def pushed() -> Iterator[list[channels.Notice]]:
    """A push channel, as the push app registers one at ready: it keeps what it was given."""
    sent: list[channels.Notice] = []
    installed = channels.sender("push")  # the push app's own, put back afterwards
    channels.register_channel("push", sent.append)
    yield sent
    _restore_push(installed)


def _restore_push(installed: channels.Sender | None) -> None:
    if installed is None:
        channels.unregister_channel("push")
    else:
        channels.register_channel("push", installed)


@pytest.fixture
def eml_mail(settings: Any, mail_dir: Path) -> Path:
    settings.EMAIL_BACKEND = "momentum.lib.mailfiles.EmlFileBackend"
    return mail_dir


@pytest.mark.django_db
def test_push_goes_to_the_registered_sender_once_the_notice_is_committed(
    learner: User, pushed: list[channels.Notice], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        do_notify(learner, kind=NotificationKind.REPLY, title="Ann replied", url="/dashboard/")
    assert pushed == []  # nothing leaves before the commit
    for callback in waiting:
        callback()
    [notice] = pushed
    assert (notice.user_id, notice.kind, notice.title, notice.url) == (
        learner.pk,
        "reply",
        "Ann replied",
        "/dashboard/",
    )
    assert notice.notification_id == Notification.objects.get(user=learner).pk


@pytest.mark.django_db
def test_no_push_for_a_kind_whose_push_is_off(
    learner: User, pushed: list[channels.Notice], django_capture_on_commit_callbacks: Any
) -> None:
    do_set_notification_preferences(learner, {"reply": {Channel.IN_APP}})
    with django_capture_on_commit_callbacks(execute=True):
        do_notify(learner, kind=NotificationKind.REPLY, title="Ann replied")
    assert pushed == []
    assert Notification.objects.filter(user=learner).count() == 1


@pytest.mark.django_db
def test_without_a_push_sender_a_push_only_kind_is_simply_not_pushed(
    learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    installed = channels.sender("push")  # the push app's, put back afterwards
    channels.unregister_channel("push")
    try:
        do_set_notification_preferences(learner, {"reply": {Channel.PUSH}})
        with django_capture_on_commit_callbacks(execute=True):
            assert do_notify(learner, kind=NotificationKind.REPLY, title="Ann replied") is False
    finally:
        _restore_push(installed)
    assert not Notification.objects.filter(user=learner).exists()


@pytest.mark.django_db
def test_a_failing_push_sender_never_undoes_the_notice(learner: User, django_capture_on_commit_callbacks: Any) -> None:
    def broken(notice: channels.Notice) -> None:
        raise ConnectionError("push service down")

    installed = channels.sender("push")
    channels.register_channel("push", broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            do_notify(learner, kind=NotificationKind.REPLY, title="Ann replied")  # pushed, not emailed
    finally:
        _restore_push(installed)
    assert Notification.objects.filter(user=learner, kind="reply").exists()


@pytest.mark.usefixtures("workflows")
def test_an_email_notice_from_a_request_is_sent_by_a_workflow(learner: User, eml_mail: Path) -> None:
    # given a mention, written the way a request writes it (in a transaction, outside any workflow)
    with transaction.atomic():
        do_notify(learner, kind=NotificationKind.MENTION, title="Ann mentioned you", url="/dashboard/")
    notice = Notification.objects.get(user=learner)
    # then the email leaves from the queued workflow, not from the request
    stamp = f"{notice.created_at:%Y%m%d%H%M%S%f}"
    assert DBOS.retrieve_workflow(f"notice-email-{notice.pk}-{stamp}").get_result() is True
    messages = [email.message_from_bytes(path.read_bytes()) for path in eml_mail.glob("*.eml")]
    [message] = [message for message in messages if message["Subject"].endswith("Ann mentioned you")]
    assert message["To"] == learner.email
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode()
    assert "/dashboard/" in text
    assert "/profile/notifications/" in text
