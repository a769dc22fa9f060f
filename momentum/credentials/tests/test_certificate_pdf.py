"""The certificate's PDF: what it says (text extracted with pypdf), its QR code (read back with
zxing-cpp, not the library that drew it), its embedded fonts, its paper, made once and kept, and
REVOKED once revoked."""

from __future__ import annotations

import io
from typing import Any

import pytest
import zxingcpp
from django.core.files.storage import default_storage
from pypdf import PdfReader

from momentum.credentials.actions import do_revoke_credential
from momentum.credentials.models import Credential
from momentum.credentials.queries import verify_url
from tests.factories import make_certificate

pytestmark = pytest.mark.django_db
A4_LANDSCAPE = (842, 595)
LETTER_LANDSCAPE = (792, 612)


def _pdf(api: Any, credential: Credential) -> PdfReader:
    response = api.get(f"/certificates/{credential.id}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def _size(reader: PdfReader) -> tuple[int, int]:
    box = reader.pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_pdf_names_the_learner_course_length_date_and_issuer(api: Any, certificate: Credential) -> None:
    text = _pdf(api, certificate).pages[0].extract_text()

    issued = certificate.issued_at
    for expected in ("Lee Learner", "Sleep Better in Seven Days", "A course of 7 days",
                     f"{issued.day} {issued.strftime('%B')} {issued.year}", "Issued by Momentum",
                     str(certificate.id), verify_url(certificate.id)):  # fmt: skip
        assert expected in text
    assert "REVOKED" not in text


def test_the_qr_code_opens_the_verify_page(api: Any, certificate: Credential) -> None:
    [image] = _pdf(api, certificate).pages[0].images

    [code] = zxingcpp.read_barcodes(image.image)

    assert code.format == zxingcpp.BarcodeFormat.QRCode
    assert code.text == verify_url(certificate.id)


def test_the_fonts_are_embedded(api: Any, certificate: Credential) -> None:
    fonts: Any = _pdf(api, certificate).pages[0]["/Resources"]["/Font"]  # type: ignore[index]

    descriptors = [font.get_object()["/FontDescriptor"] for font in fonts.values()]
    assert descriptors
    assert all("/FontFile2" in descriptor for descriptor in descriptors)
    assert all("DejaVuSans" in str(font.get_object()["/BaseFont"]) for font in fonts.values())


def test_a_learner_in_the_united_states_gets_letter_and_others_a4(api: Any, learner: Any, stranger: Any) -> None:
    stranger.country = "US"
    stranger.save(update_fields=["country"])

    assert _size(_pdf(api, make_certificate(stranger))) == LETTER_LANDSCAPE
    assert _size(_pdf(api, make_certificate(learner))) == A4_LANDSCAPE


def test_the_pdf_is_made_once_and_served_from_storage(api: Any, certificate: Credential) -> None:
    first = api.get(f"/certificates/{certificate.id}/pdf").content
    certificate.refresh_from_db()
    stored = certificate.pdf
    assert default_storage.exists(stored)

    again = api.get(f"/certificates/{certificate.id}/pdf").content

    certificate.refresh_from_db()
    assert certificate.pdf == stored
    assert again == first


def test_a_revoked_certificates_pdf_says_revoked(
    api: Any, admin: Any, certificate: Credential, django_capture_on_commit_callbacks: Any
) -> None:
    _pdf(api, certificate)
    certificate.refresh_from_db()
    valid_file = certificate.pdf

    with django_capture_on_commit_callbacks(execute=True):
        do_revoke_credential(certificate, reason="Issued by mistake", actor=admin)

    certificate.refresh_from_db()
    assert certificate.pdf != valid_file
    assert not default_storage.exists(valid_file)
    text = _pdf(api, certificate).pages[0].extract_text()
    assert "REVOKED" in text
    assert "Lee Learner" in text


def test_an_unknown_certificate_has_no_pdf(api: Any) -> None:
    response = api.get("/certificates/00000000-0000-0000-0000-000000000000/pdf")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
