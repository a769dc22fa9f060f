"""The certificate's page, the wallet and the PDF in Spanish and Arabic (issue 18)."""

from __future__ import annotations

import io
import unicodedata
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from momentum.credentials import pdf
from momentum.credentials.models import Credential
from tests.factories import make_certificate
from tests.i18n.speaking import get_in, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner: Any) -> Credential:
    return make_certificate(learner)


@pytest.mark.parametrize(
    ("language", "said", "english"),
    [
        (
            "es",
            ["Certificado de finalización", "Válido.", "Descargar el PDF", "Emisor", "un curso de 7 días"],
            "Download the PDF",
        ),
        ("ar", ["شهادة إتمام", "سارية.", "تنزيل ملف PDF", "الجهة المُصدِرة", "وهي دورة من 7 أيام"], "Issued on"),
    ],
)
def test_the_verify_page_speaks_the_visitors_language(
    *, client: Any, certificate: Credential, language: str, said: list[str], english: str
) -> None:
    page = text_of(get_in(client, language, reverse("credentials:verify", args=[certificate.id])))
    assert all(words in page for words in said), said
    assert english not in page


def test_the_wallet_speaks_the_learners_language(client: Any, learner: Any, certificate: Credential) -> None:
    client.force_login(learner)
    page = text_of(get_in(client, "es", reverse("credentials:wallet")))
    assert all(words in page for words in ["Certificados e insignias", "Descargar PDF", "Copiar enlace"])
    assert "Certificates and badges" not in page


DRAWING = pdf.CertificateDrawing(
    learner_name="Lina Haddad",
    course_title="Sleep better",
    duration_days=7,
    issued_on=date(2026, 12, 6),
    issuer="Momentum",
    verify_url="https://momentum.example/certificates/abc/",
    certificate_id="abc",
)


def _pdf_text(language: str, drawing: pdf.CertificateDrawing = DRAWING) -> str:
    with translation.override(language):
        content = pdf.render(drawing)
    return str(PdfReader(io.BytesIO(content)).pages[0].extract_text())


def test_the_pdf_is_drawn_in_spanish() -> None:
    text = _pdf_text("es")
    assert "Certificado de finalización" in text
    assert "Un curso de 7 días, completado el 6 diciembre 2026" in text
    assert "Certificate of completion" not in text


def test_arabic_in_the_pdf_is_shaped_and_reads_back_as_the_sentence() -> None:
    text = _pdf_text("ar")
    # Joined letters are drawn as Arabic presentation forms (shaped, not isolated letters) and a
    # reader that extracts the text gets the sentence back in reading order.
    assert any("\ufe70" <= char <= "\ufeff" for char in text)
    lines = [unicodedata.normalize("NFKC", line).strip() for line in text.splitlines()]
    assert "شهادة إتمام" in lines
    assert "Certificate of completion" not in text
