"""Issue 17, "Done when", in Chromium: a learner finishes a 7-day course (lessons marked done, the
quiz passed on the page), opens their wallet and downloads the certificate's PDF through its link;
the QR code in the PDF opens the verify page (valid). The credential's JSON and JWT, downloaded
through the wallet's links, validate against 1EdTech's schema and their proofs verify with other
libraries than the ones that made them. An admin revokes the certificate in the studio, and every
surface says so: the verify page, GET /api/v1/certificates/{id}, the signed status list's bit, the
wallet and the PDF (REVOKED)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import zxingcpp
from jwcrypto import jwk, jws, jwt
from pypdf import PdfReader

from momentum.assessments.actions import do_put_quiz
from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec
from momentum.credentials.models import Credential
from momentum.credentials.tests.conftest import standards_folder
from momentum.credentials.tests.test_openbadges_proofs import independently_verified
from momentum.credentials.tests.test_openbadges_statuslist import bit, bits_of
from momentum.learning.actions import do_enroll
from tests.e2e.test_accessibility import check, unexplained
from tests.e2e.test_studio_authoring import sign_in
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.journey, pytest.mark.django_db(transaction=True)]

TITLE = "Seven Days of Better Sleep"
QUIZ_DAY = 4


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@dataclass
class Journey:
    site: str
    course: Any
    learner: Any
    admin: Any


@pytest.fixture
def journey(settings: Any, live_server: Any, tmp_path: Path, learner: Any, admin: Any) -> Journey:
    """A demo-like 7-day self-paced course (every day open) whose day 4 ends with a quiz, a learner
    enrolled in it and an admin. The live server is the site: the addresses in the credential and
    the QR code point at it."""
    settings.SITE_URL = live_server.url
    settings.CREDENTIAL_KEYS_FILE = tmp_path / "secrets" / "credential-keys.json"
    settings.CREDENTIAL_KEYS = ""
    course = make_course(TITLE, slug="better-sleep", duration_days=7, lesson_minutes=6)
    do_put_quiz(None, course.lessons.get(day=QUIZ_DAY), QuizSpec(questions=(QuestionSpec(
        QuestionKind.TRUE_FALSE, "A dark, cool room helps you fall asleep.", "Darkness and cool air cue sleep.",
        (OptionSpec("True", True), OptionSpec("False", False)),
    ),)))  # fmt: skip
    do_enroll(learner, course)
    return Journey(str(live_server.url), course, learner, admin)


def download(tab: Any, link: Any) -> bytes:
    """Clicks ``link`` and returns what the browser saved."""
    with tab.expect_download() as started:
        link.click()
    return Path(started.value.path()).read_bytes()


def pdf_text_and_qr(pdf: bytes) -> tuple[str, str]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    [image] = page.images
    [code] = zxingcpp.read_barcodes(image.image)
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    return page.extract_text(), code.text


def test_a_learner_finishes_a_course_verifies_the_certificate_everywhere_and_sees_it_revoked_everywhere(
    page: Any, live_server: Any, journey: Journey, screenshot: Any
) -> None:
    course, learner, admin, site = journey.course, journey.learner, journey.admin, journey.site
    standards = standards_folder()
    schema = json.loads((standards / "openbadges-3.0" / "achievementcredential.schema.json").read_text())
    sign_in(page, live_server, learner)

    # The learner finishes the course: six lessons marked done, day 4's quiz passed on the page.
    for day in range(1, 8):
        page.goto(f"/courses/{course.slug}/day/{day}/")
        if day == QUIZ_DAY:
            quiz = page.locator("#quiz")
            quiz.get_by_role("group", name="Question 1: A dark, cool room helps you fall asleep.").get_by_label(
                "True"
            ).check()
            quiz.get_by_role("button", name="Check my answers").click()
            page.get_by_text("Passed: 100 %").wait_for()
            continue
        page.get_by_role("button", name=f"Mark day {day} complete").click()
        page.get_by_role("heading", name=f"You finished {TITLE}!" if day == 7 else f"Day {day} complete").wait_for()
    screenshot(page, "01-course-finished")

    # The wallet (in the profile menu) lists the certificate, valid, and the badges.
    page.goto("/profile/")
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Credentials").click()
    page.wait_for_url("**/profile/credentials/")
    card = page.locator("[data-wallet-certificate]")
    assert card.count() == 1
    certificate = Credential.objects.get(user=learner, kind=Credential.Kind.CERTIFICATE)
    assert card.get_attribute("data-wallet-certificate") == str(certificate.id)
    assert card.get_by_role("heading", name=TITLE).is_visible()
    assert card.locator('[data-status="valid"]').is_visible()
    assert page.locator("[data-wallet-badge]").count() >= 1  # the first lesson's badge, at least
    screenshot(page, "02-wallet")
    violations = check(page, "/profile/credentials/")  # WCAG 2.1 AA (axe-core), at 1280 px and at 375 px
    page.set_viewport_size({"width": 375, "height": 667})
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    violations += check(page, "/profile/credentials/")
    screenshot(page, "02-wallet-375")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert unexplained(violations) == ""

    # The PDF, downloaded through the wallet's link: its QR code is the verify page's address.
    text, address = pdf_text_and_qr(download(page, card.get_by_role("link", name=f"Download PDF for {TITLE}")))
    assert TITLE in text
    assert "Lee Learner" in text
    assert "REVOKED" not in text
    assert address == f"{site}/certificates/{certificate.id}/"
    page.goto(address)
    assert "Valid." in page.get_by_role("status").inner_text()
    screenshot(page, "03-verify-page-valid")

    # The credential and its VC-JWT, downloaded through the wallet's links.
    page.goto("/profile/credentials/")
    credential = json.loads(download(page, card.get_by_role("link", name=f"Credential (JSON) for {TITLE}")))
    token = download(page, card.get_by_role("link", name=f"Credential (JWT) for {TITLE}")).decode()
    # the JSON validates against the published schema, and its embedded proof verifies (pyld + PyNaCl)
    assert list(jsonschema.Draft201909Validator(schema).iter_errors(credential)) == []
    did_document = page.request.get("/.well-known/did.json").json()
    assert did_document["id"] == credential["issuer"]["id"]
    assert independently_verified(credential, did_document, standards)
    # the JWT verifies with jwcrypto and the published JWK Set, and carries the same credential
    header = jws.JWS()
    header.deserialize(token)
    key_set = jwk.JWKSet.from_json(page.request.get("/.well-known/jwks.json").text())
    claims = json.loads(jwt.JWT(jwt=token, key=key_set.get_key(header.jose_header["kid"]), algs=["EdDSA"]).claims)
    assert claims["jti"] == credential["id"] == f"urn:uuid:{certificate.id}"
    assert claims["credentialSubject"] == credential["credentialSubject"]
    status = credential["credentialStatus"]
    status_list = urlsplit(status["statusListCredential"]).path
    index = int(status["statusListIndex"])
    assert bit(bits_of(page.request.get(status_list).json()["credentialSubject"]["encodedList"]), index) == 0

    # An admin revokes it in the studio, with a reason.
    studio = page.context.browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    ).new_page()
    sign_in(studio, live_server, admin)
    studio.goto("/studio/certificates/")
    studio.on("dialog", lambda dialog: dialog.accept())  # "Revoke this certificate? ..."
    studio.get_by_label(f"Reason for revoking the certificate of {learner.email}").fill("Issued by mistake")
    studio.get_by_role("button", name="Revoke").click()
    studio.get_by_text(f"Certificate {certificate.id} is revoked").wait_for()
    assert studio.locator("td .tag.danger", has_text="Revoked").is_visible()
    screenshot(studio, "04-studio-revoked")

    # Every surface says revoked: the verify page ...
    page.goto(address)
    assert "REVOKED" in page.get_by_role("status").inner_text()
    screenshot(page, "05-verify-page-revoked")
    # ... the API ...
    answer = page.request.get(f"/api/v1/certificates/{certificate.id}").json()
    assert answer["status"] == "revoked"
    assert answer["revoked_at"] is not None
    # ... the signed status list (its signature still verifies) ...
    listed = page.request.get(status_list).json()
    assert bit(bits_of(listed["credentialSubject"]["encodedList"]), index) == 1
    assert independently_verified(listed, did_document, standards)
    # ... the wallet ...
    page.goto("/profile/credentials/")
    assert card.locator('[data-status="revoked"]').is_visible()
    assert card.get_by_role("link", name=f"Add to LinkedIn for {TITLE}").count() == 0
    screenshot(page, "06-wallet-revoked")
    assert unexplained(check(page, "/profile/credentials/")) == ""
    # ... and the PDF.
    text, _ = pdf_text_and_qr(download(page, card.get_by_role("link", name=f"Download PDF for {TITLE}")))
    assert "REVOKED" in text
    assert [error for error in page.js_errors if not error.startswith("Failed to load resource")] == []
