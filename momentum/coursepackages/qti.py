"""Quizzes as QTI 1.2 assessments, the way IMS Common Cartridge profiles them.

Writing: one ``<questestinterop>`` per quiz (``cc.exam.v0p1``), each question an ``<item>`` whose
``cc_profile`` is the CC question type:

    single      -> cc.multiple_choice.v0p1    (response_lid, rcardinality Single)
    multiple    -> cc.multiple_response.v0p1  (response_lid, rcardinality Multiple, <and>/<not>)
    true_false  -> cc.true_false.v0p1         (response_lid, two labels)
    short_text  -> cc.fib.v0p1                (response_str, one varequal per accepted answer, in <or>)

The right answers are the ``varequal``s of the ``respcondition`` that sets SCORE to 100; the
explanation is the item's ``general_fb`` feedback. Choice identifiers are compared with
``case="Yes"`` (QTI 1.2's default compares case-insensitively); typed answers with ``case="No"``.

Reading (a cartridge from Moodle, Canvas or Momentum): the same shapes, by local name so every
CC version's namespace reads; a question of another type (essay, matching, pattern match...) or
one that breaks Momentum's quiz rules is skipped, and the reason joins the warnings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from momentum.assessments.specs import (
    MAX_QUESTIONS,
    OptionSpec,
    QuestionKind,
    QuestionSpec,
    question_problems,
)
from momentum.coursepackages import html_text
from momentum.coursepackages.safe_xml import child, children, find_all, first, local, text_of

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QTI_SCHEMA_LOCATION = (
    "http://www.imsglobal.org/xsd/ims_qtiasiv1p2 "
    "http://www.imsglobal.org/profile/cc/ccv1p3/ccv1p3_qtiasiv1p2p1_v1p0.xsd"
)
PROFILES = {
    QuestionKind.SINGLE: "cc.multiple_choice.v0p1",
    QuestionKind.MULTIPLE: "cc.multiple_response.v0p1",
    QuestionKind.TRUE_FALSE: "cc.true_false.v0p1",
    QuestionKind.SHORT_TEXT: "cc.fib.v0p1",
}
KINDS = {profile: kind for kind, profile in PROFILES.items()}
MAX_OPTION_CHARS = 500


# --- Writing ----------------------------------------------------------------------------------


def _q(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _q(tag), dict(attributes))
    if text is not None:
        element.text = text
    return element


def _metadata(parent: etree._Element, fields: dict[str, str]) -> None:
    metadata = _sub(parent, "qtimetadata")
    for label, entry in fields.items():
        field_element = _sub(metadata, "qtimetadatafield")
        _sub(field_element, "fieldlabel", label)
        _sub(field_element, "fieldentry", entry)


def _material(parent: etree._Element, text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", text, texttype="text/plain")


@dataclass(frozen=True)
class QuizToWrite:
    ident: str
    title: str
    max_attempts: int | None
    questions: list[QuestionSpec]


def assessment_xml(quiz: QuizToWrite) -> bytes:
    """The QTI 1.2 document (CC profile) of one quiz, as UTF-8 bytes."""
    root = etree.Element(_q("questestinterop"), nsmap={None: QTI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", QTI_SCHEMA_LOCATION)
    assessment = _sub(root, "assessment", ident=quiz.ident, title=quiz.title)
    _metadata(assessment, {
        "cc_profile": "cc.exam.v0p1",
        "qmd_assessmenttype": "Examination",
        "cc_maxattempts": str(quiz.max_attempts) if quiz.max_attempts else "unlimited",
    })  # fmt: skip
    section = _sub(assessment, "section", ident=f"{quiz.ident}_root")
    for number, question in enumerate(quiz.questions, start=1):
        _item(section, f"{quiz.ident}_q{number}", number, question)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _item(section: etree._Element, ident: str, number: int, question: QuestionSpec) -> None:
    item = _sub(section, "item", ident=ident, title=f"Question {number}")
    _metadata(_sub(item, "itemmetadata"), {"cc_profile": PROFILES[question.kind], "cc_weighting": "1"})
    presentation = _sub(item, "presentation")
    _material(presentation, question.prompt)
    processing_fields: list[tuple[str, bool]] = []
    if question.kind == QuestionKind.SHORT_TEXT:
        response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
        _sub(_sub(response, "render_fib"), "response_label", ident="answer1", rshuffle="No")
    else:
        cardinality = "Multiple" if question.kind == QuestionKind.MULTIPLE else "Single"
        response = _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality)
        choices = _sub(response, "render_choice", shuffle="No")
        for index, option in enumerate(question.options, start=1):
            label = _sub(choices, "response_label", ident=f"{ident}_o{index}")
            _material(label, option.text)
            processing_fields.append((f"{ident}_o{index}", option.correct))
    processing = _sub(item, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", varname="SCORE", vartype="Decimal", minvalue="0", maxvalue="100")
    condition = _sub(processing, "respcondition", title="correct", **{"continue": "No"})
    variables = _sub(condition, "conditionvar")
    if question.kind == QuestionKind.SHORT_TEXT:
        # The conditions in a <conditionvar> are AND-ed (QTI 1.2 ASI): several accepted answers need <or>.
        either = _sub(variables, "or") if len(question.accepted_answers) > 1 else variables
        for answer in question.accepted_answers:
            _sub(either, "varequal", answer, respident="response1", case="No")
    elif question.kind == QuestionKind.MULTIPLE:
        both = _sub(variables, "and")
        for label_ident, correct in processing_fields:
            if correct:
                _sub(both, "varequal", label_ident, respident="response1", case="Yes")
            else:
                _sub(_sub(both, "not"), "varequal", label_ident, respident="response1", case="Yes")
    else:
        right = next(label_ident for label_ident, correct in processing_fields if correct)
        _sub(variables, "varequal", right, respident="response1", case="Yes")
    _sub(condition, "setvar", "100", varname="SCORE", action="Set")
    if question.explanation:
        _sub(condition, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
        feedback = _sub(item, "itemfeedback", ident="general_fb")
        _material(_sub(feedback, "flow_mat"), question.explanation)


# --- Reading ----------------------------------------------------------------------------------


@dataclass
class ReadQuiz:
    title: str = ""
    max_attempts: int | None = None
    questions: list[QuestionSpec] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _metadata_fields(element: etree._Element | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    if element is None:
        return fields
    for entry in find_all(element, "qtimetadatafield"):
        label = text_of(child(entry, "fieldlabel"))
        if label:
            fields[label] = text_of(child(entry, "fieldentry"))
    return fields


def _mattext(element: etree._Element | None) -> str:
    """The text of the first ``mattext`` under ``element`` (HTML turned into Markdown)."""
    if element is None:
        return ""
    mattext = first(element, "mattext")
    if mattext is None:
        return ""
    text = text_of(mattext)
    if "html" in (mattext.get("texttype") or "").lower() or text.lstrip().startswith("<"):
        return html_text.to_markdown(text)
    return text


def read_assessment(root: etree._Element, where: str) -> ReadQuiz:
    """The questions of a QTI 1.2 document Momentum can hold, and warnings for those it cannot."""
    quiz = ReadQuiz()
    assessment = first(root, "assessment")
    if assessment is None:
        quiz.warnings.append(f"{where}: no <assessment> in the QTI file; skipped")
        return quiz
    quiz.title = assessment.get("title") or ""
    attempts = _metadata_fields(child(assessment, "qtimetadata")).get("cc_maxattempts", "")
    quiz.max_attempts = int(attempts) if attempts.isdigit() and 0 < int(attempts) <= 1000 else None
    for number, item in enumerate(find_all(assessment, "item"), start=1):
        label = f"{where}, question {number}"
        try:
            question = _question(item)
        except _Skip as skip:
            quiz.warnings.append(f"{label}: {skip}; skipped")
            continue
        problems = question_problems(question)
        if problems:
            quiz.warnings.append(f"{label}: {'; '.join(problems)}; skipped")
            continue
        if len(quiz.questions) == MAX_QUESTIONS:
            quiz.warnings.append(f"{label}: a quiz holds at most {MAX_QUESTIONS} questions; skipped")
            continue
        quiz.questions.append(question)
    return quiz


class _Skip(Exception):
    pass


def _kind(item: etree._Element, presentation: etree._Element) -> QuestionKind:
    profile = _metadata_fields(child(item, "itemmetadata")).get("cc_profile", "")
    if profile in KINDS:
        return KINDS[profile]
    if profile:
        raise _Skip(f"the question type {profile[:60]!r} has no Momentum equivalent")
    if first(presentation, "response_str") is not None and first(presentation, "render_fib") is not None:
        return QuestionKind.SHORT_TEXT
    response = first(presentation, "response_lid")
    if response is None:
        raise _Skip("the question type is not one Momentum has (choice or fill-in-the-blank)")
    return QuestionKind.MULTIPLE if response.get("rcardinality") == "Multiple" else QuestionKind.SINGLE


def _question(item: etree._Element) -> QuestionSpec:
    presentation = child(item, "presentation")
    if presentation is None:
        raise _Skip("the item has no presentation")
    kind = _kind(item, presentation)
    material = child(presentation, "material")
    prompt = _mattext(material if material is not None else presentation)
    right = _right_answers(item)
    explanation = _explanation(item)
    if kind == QuestionKind.SHORT_TEXT:
        answers = tuple(dict.fromkeys(answer for answer in right if answer))
        return QuestionSpec(kind, prompt, explanation, accepted_answers=answers)
    options = []
    for label in find_all(presentation, "response_label"):
        text = _mattext(label)
        if len(text) > MAX_OPTION_CHARS:
            raise _Skip(f"an option is longer than {MAX_OPTION_CHARS} characters")
        options.append(OptionSpec(text, (label.get("ident") or "") in right))
    return QuestionSpec(kind, prompt, explanation, options=tuple(options))


def _scores(condition: etree._Element) -> bool:
    for setvar in children(condition, "setvar"):
        try:
            value = float(text_of(setvar))
        except ValueError:
            continue
        if value > 0 and (setvar.get("action") or "Set") in ("Set", "Add"):
            return True
    return False


def _right_answers(item: etree._Element) -> dict[str, None]:
    """The values the scoring conditions accept (outside any ``<not>``), in document order."""
    right: dict[str, None] = {}
    processing = child(item, "resprocessing")
    if processing is None:
        return right
    for condition in children(processing, "respcondition"):
        if not _scores(condition):
            continue
        variables = child(condition, "conditionvar")
        if variables is None:
            continue
        for equal in find_all(variables, "varequal"):
            if not any(local(ancestor) == "not" for ancestor in equal.iterancestors()):
                right[text_of(equal)] = None
    return right


def _explanation(item: etree._Element) -> str:
    feedbacks = {feedback.get("ident"): feedback for feedback in children(item, "itemfeedback")}
    for ident in ("general_fb", "correct_fb"):
        if ident in feedbacks:
            return _mattext(feedbacks[ident])
    return _mattext(next(iter(feedbacks.values()))) if len(feedbacks) == 1 else ""
