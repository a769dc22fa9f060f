"""Our exported cartridge, read by a peer we did not write: Pyslet (see pyslet_peer.py).

Pyslet's content packaging opens the zip and its Common Cartridge profile's conformance suite runs
on it; each question of the day-1 quiz (one of every kind) is migrated by Pyslet to a QTI 2.1 item, and its
response processing scores right and wrong answers: the answer key we wrote must be the one another
implementation of the standard finds, with the cardinality and interaction of the question's kind.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from momentum.assessments.specs import QuestionKind
from momentum.coursepackages.qti import read_assessment
from momentum.coursepackages.safe_xml import parse
from momentum.coursepackages.tests.pyslet_peer import read_cartridge, read_qti
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


def test_pyslet_opens_the_cartridge_and_its_conformance_suite_passes(
    package: zipfile.ZipFile,  # noqa: F811
    tmp_path: Path,
) -> None:
    path = tmp_path / "everyday-science.imscc.zip"
    path.write_bytes(_bytes_of(package))

    read = read_cartridge(path)

    assert (read["root"], read["schema"], read["schemaversion"]) == ("Manifest", "IMS Common Cartridge", "1.3.0")
    assert read["structures"] == ["rooted-hierarchy"]
    [[root]] = read["tree"]
    days = root["items"]
    assert len(days) == 7
    assert [item["ref"] for item in days[0]["items"]] == ["res_day-01_page", "res_day-01_quiz"]
    assert [item["title"] for item in days[2]["items"]] == ["Everyday science: day 3"]
    types = {resource["id"]: resource["type"] for resource in read["resources"]}
    assert types["res_day-01_quiz"] == "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"
    assert read["learning_objects"] == ["res_day-01_quiz", "res_day-02_quiz"]
    assert (read["missing"], read["unlisted"]) == ([], [])
    assert read["conformance_run"] == 8
    assert read["conformance_failures"] == []


def test_pyslet_sees_a_file_the_manifest_lists_but_the_zip_lacks(package: zipfile.ZipFile, tmp_path: Path) -> None:  # noqa: F811
    """The peer is not blind: drop one listed caption file and it reports it missing."""
    path = tmp_path / "broken.imscc.zip"
    with zipfile.ZipFile(path, "w") as broken:
        for name in package.namelist():
            if name != "captions/day-01.es.vtt":
                broken.writestr(name, package.read(name))

    assert read_cartridge(path)["missing"] == ["captions/day-01.es.vtt"]


def _bytes_of(archive: zipfile.ZipFile) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as copy:
        for name in archive.namelist():
            copy.writestr(name, archive.read(name))
    return buffer.getvalue()


FOREIGN = Path(__file__).parent / "cartridges"
# A fill-in whose accepted answers are sibling <varequal>s of one <conditionvar>, as LMS exports
# write them: QTI 1.2 AND-s them, so Pyslet (strict) scores no single answer; our importer reads
# them as alternatives, as those LMSs mean them (and our export now writes <or>).
AND_ED = {("moodle", "QUE_102")}


def test_what_we_import_from_foreign_cartridges_is_the_answer_key_pyslet_scores(tmp_path: Path) -> None:
    """Our reading of the hand-written Canvas- and Moodle-style quizzes against Pyslet's: every right
    answer our importer finds scores 100 in Pyslet's response processing, every wrong option 0."""
    files = {
        "canvas": FOREIGN / "canvas" / "i5f1a2b3c" / "assessment_qti.xml",
        "moodle": FOREIGN / "moodle" / "I_00005_R" / "assessment.xml",
    }
    ours = {name: read_assessment(parse(path.read_bytes(), name), name).questions for name, path in files.items()}
    described = read_qti({name: path.read_text() for name, path in files.items()}, [])["items"]
    attempts: list[dict[str, Any]] = []
    expected: list[float] = []
    idents = {"canvas": ["g7c1q1", "g7c1q2"], "moodle": ["QUE_101", "QUE_102"]}  # the items Momentum can hold
    assert {name: len(questions) for name, questions in ours.items()} == {"canvas": 2, "moodle": 2}
    for name, questions in ours.items():
        for ident, question in zip(idents[name], questions, strict=True):
            texts = [option.text for option in question.options]
            assert list(described[name][ident]["choices"].values()) == texts
            right = [option.text for option in question.options if option.correct]
            if question.kind == QuestionKind.SHORT_TEXT and (name, ident) in AND_ED:
                tries: list[tuple[Any, float]] = [(answer, 0.0) for answer in question.accepted_answers]
            elif question.kind == QuestionKind.SHORT_TEXT:
                tries = [(answer, 100.0) for answer in question.accepted_answers]
                tries.append(("not an answer", 0.0))
            elif question.kind == QuestionKind.MULTIPLE:
                tries = [(right, 100.0), (texts, 0.0 if len(right) < len(texts) else 100.0)]
            else:
                tries = [(text, 100.0 if text in right else 0.0) for text in texts]
            for answer, score in tries:
                attempts.append({"file": name, "item": ident, "answer": answer})
                expected.append(score)

    scores = read_qti({name: path.read_text() for name, path in files.items()}, attempts)["scores"]

    assert len(attempts) >= 8
    assert scores == expected, list(zip(attempts, scores, strict=True))
