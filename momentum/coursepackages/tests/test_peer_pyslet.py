"""Our exported QTI 1.2, read and scored by a peer we did not write: Pyslet (see pyslet_peer.py).

Each question of the day-1 quiz (one of every kind) is migrated by Pyslet to a QTI 2.1 item, and its
response processing scores right and wrong answers: the answer key we wrote must be the one another
implementation of the standard finds, with the cardinality and interaction of the question's kind.
"""

from __future__ import annotations

import zipfile
from typing import Any

import pytest

from momentum.coursepackages.tests.pyslet_peer import read_qti
from momentum.coursepackages.tests.test_export import package  # noqa: F401  (the exported zip fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

DAY1 = "assessments/day-01/assessment.xml"
DAY2 = "assessments/day-02/assessment.xml"

# (item, answer, score out of 100): option texts for choice questions, typed text for fill-in.
ATTEMPTS: list[tuple[str, Any, float]] = [
    ("quiz_day-01_q1", "Carbon dioxide", 100.0),
    ("quiz_day-01_q1", "Oxygen", 0.0),
    ("quiz_day-01_q1", "Helium", 0.0),
    ("quiz_day-01_q2", ["Red", "Green"], 100.0),
    ("quiz_day-01_q2", ["Green", "Red"], 100.0),
    ("quiz_day-01_q2", ["Red"], 0.0),
    ("quiz_day-01_q2", ["Red", "Green", "Yellow"], 0.0),
    ("quiz_day-01_q3", "True", 100.0),
    ("quiz_day-01_q3", "False", 0.0),
    ("quiz_day-01_q4", "Au", 100.0),
    ("quiz_day-01_q4", "au.", 100.0),
    ("quiz_day-01_q4", "AU", 100.0),  # typed answers compare without case, as Momentum grades them
    ("quiz_day-01_q4", "Ag", 0.0),
]


@pytest.fixture
def peer(package: zipfile.ZipFile) -> dict[str, Any]:  # noqa: F811
    qti = {name: package.read(name).decode() for name in (DAY1, DAY2)}
    attempts = [{"file": DAY1, "item": item, "answer": answer} for item, answer, _ in ATTEMPTS]
    attempts.append({"file": DAY2, "item": "quiz_day-02_q1", "answer": "True"})
    return read_qti(qti, attempts)


def test_pyslet_reads_every_question_with_its_kind(peer: dict[str, Any]) -> None:
    items = peer["items"][DAY1]

    shapes = {
        ident: (item["interactions"], item["cardinality"], item["base_type"], list(item["choices"].values()))
        for ident, item in items.items()
    }
    assert shapes == {
        "quiz_day-01_q1": (["ChoiceInteraction"], "single", "identifier", ["Oxygen", "Carbon dioxide", "Helium"]),
        "quiz_day-01_q2": (["ChoiceInteraction"], "multiple", "identifier", ["Red", "Green", "Yellow"]),
        "quiz_day-01_q3": (["ChoiceInteraction"], "single", "identifier", ["True", "False"]),
        "quiz_day-01_q4": (["TextEntryInteraction"], "single", "string", []),
    }
    assert list(peer["items"][DAY2]) == ["quiz_day-02_q1"]
    # The migration has nothing to warn about (it did when identifiers were compared case-insensitively).
    assert {ident: item["log"] for ident, item in items.items() if item["log"]} == {}


def test_pyslet_scores_right_answers_full_marks_and_wrong_ones_nothing(peer: dict[str, Any]) -> None:
    scores = peer["scores"]

    expected = [score for _, _, score in ATTEMPTS] + [100.0]
    got = [(item, answer, score) for (item, answer, _), score in zip(ATTEMPTS, scores, strict=False)]
    assert scores == expected, got
