"""Sign-ins beyond what a process can hash soon are refused at once with 503 and Retry-After
(issue 21: at 64 connections they used to queue until the client timed out)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from momentum.accounts import passwords
from momentum.accounts.models import User
from momentum.accounts.passwords import HashingBusy, HashingGate
from tests.factories import PASSWORD


def test_beyond_the_running_and_waiting_bound_a_hashing_is_refused_at_once() -> None:
    gate = HashingGate(running=2, waiting=1)
    start = threading.Barrier(5)
    release = threading.Event()
    outcomes: list[str] = []
    finished = threading.Condition()

    def sign_in() -> None:
        start.wait(timeout=10)
        try:
            with gate:
                release.wait(timeout=10)  # holding the CPU, as an Argon2 computation would
            outcome = "hashed"
        except HashingBusy:
            outcome = "refused"
        with finished:
            outcomes.append(outcome)
            finished.notify_all()

    threads = [threading.Thread(target=sign_in) for _ in range(5)]
    for thread in threads:
        thread.start()
    with finished:
        assert finished.wait_for(lambda: outcomes.count("refused") == 2, timeout=10)
    with gate.changed:
        assert gate.changed.wait_for(lambda: gate.admitted == 3, timeout=10)
    release.set()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(outcomes) == ["hashed", "hashed", "hashed", "refused", "refused"]
    assert gate.admitted == 0


@pytest.mark.django_db
def test_a_sign_in_while_the_gate_is_full_is_a_503_problem_with_retry_after(
    api: Any, learner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = HashingGate(running=1, waiting=0)
    monkeypatch.setattr(passwords, "_HASHING", gate)
    with gate:  # another sign-in is hashing
        busy = api.post("/auth/token", {"email": learner.email, "password": PASSWORD})
    after = api.post("/auth/token", {"email": learner.email, "password": PASSWORD})

    assert busy.status_code == 503
    assert busy["Content-Type"].startswith("application/problem+json")
    assert busy.json()["code"] == "sign_in_busy"
    assert busy["Retry-After"] == "1"
    assert after.status_code == 200


@pytest.mark.django_db
def test_the_sign_in_page_answers_a_503_page_when_the_gate_is_full(
    client: Any, learner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = HashingGate(running=1, waiting=0)
    monkeypatch.setattr(passwords, "_HASHING", gate)
    client.raise_request_exception = False
    with gate:
        response = client.post("/accounts/login/", {"login": learner.email, "password": PASSWORD})

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
