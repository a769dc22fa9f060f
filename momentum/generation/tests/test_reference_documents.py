"""Reference PDFs: an admin uploads one, its text is read within bounds and grounds generation."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT as MULTIPART

from momentum.audit.models import AuditLog
from momentum.generation.references import extraction
from momentum.generation.references.extraction import safe_filename
from momentum.generation.references.models import ReferenceChunk, ReferenceDocument
from momentum.generation.references.queries import passages_for
from momentum.generation.tests.pdfs import inflation_bomb_pdf, many_pages_pdf, text_pdf

pytestmark = pytest.mark.django_db

LIGHT = (
    "Photosynthesis converts light energy into chemical energy stored in glucose. "
    "Chlorophyll absorbs red and blue light most strongly, which is why leaves look green. "
) * 8
CALVIN = (
    "The Calvin cycle fixes carbon dioxide into sugars using ATP and NADPH. "
    "Rubisco is the enzyme that fixes carbon dioxide in the Calvin cycle. "
) * 8
ROOTS = "Roots take up water and mineral ions from the soil through root hairs. " * 10


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def upload(api: Any, content: bytes, name: str = "plants.pdf") -> Any:
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return api.post("/reference-documents", {"file": file}, content_type=MULTIPART)


def test_an_uploaded_pdf_is_stored_with_its_pages_characters_and_passages(admin: Any, api_as: Any) -> None:
    response = upload(api_as(admin), text_pdf([LIGHT, CALVIN, ROOTS]))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["filename"] == "plants.pdf"
    assert body["pages"] == 3
    assert body["truncated"] is False
    document = ReferenceDocument.objects.get(pk=body["id"])
    assert body["characters"] == document.characters == len(document.text) > 1500
    assert "Rubisco is the enzyme" in document.text
    chunks = list(document.chunks.all())
    assert chunks[0].page == 1
    assert {c.page for c in chunks} == {1, 2, 3}
    assert all(len(c.text) <= extraction.CHUNK_CHARACTERS for c in chunks)
    assert all(c.text.endswith(".") for c in chunks)  # cut at sentence boundaries
    assert document.file.read().startswith(b"%PDF-")


def test_the_upload_is_in_the_audit_log(admin: Any, api_as: Any) -> None:
    document_id = upload(api_as(admin), text_pdf([LIGHT])).json()["id"]

    entry = AuditLog.objects.get(action="reference_document.uploaded")
    assert entry.actor == admin
    assert entry.resource_id == document_id
    assert entry.metadata["pages"] == 1


def test_uploading_the_same_pdf_again_returns_the_first_document(admin: Any, api_as: Any) -> None:
    content = text_pdf([LIGHT, CALVIN])
    first = upload(api_as(admin), content)

    again = upload(api_as(admin), content, name="copy.pdf")

    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert ReferenceDocument.objects.count() == 1


def test_a_file_that_is_not_a_pdf_is_refused_even_when_named_pdf(admin: Any, api_as: Any) -> None:
    response = upload(api_as(admin), b"PK\x03\x04 this is a zip archive, not a document" * 20, name="notes.pdf")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "file"
    assert ReferenceDocument.objects.count() == 0


def test_a_file_that_only_starts_like_a_pdf_is_refused(admin: Any, api_as: Any) -> None:
    response = upload(api_as(admin), b"%PDF-1.7\n" + b"garbage that no reader can parse\n" * 50)

    assert response.status_code == 422
    assert "not a PDF we can read" in response.json()["detail"]


def test_a_pdf_over_the_size_limit_is_refused_with_413(admin: Any, api_as: Any, settings: Any) -> None:
    settings.MAX_REFERENCE_PDF_BYTES = 4096
    content = text_pdf([LIGHT, CALVIN, ROOTS] * 3)
    assert len(content) > 4096

    response = upload(api_as(admin), content)

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert ReferenceDocument.objects.count() == 0


def test_an_encrypted_pdf_is_refused_with_a_clear_reason(admin: Any, api_as: Any) -> None:
    response = upload(api_as(admin), text_pdf([LIGHT], password="secret"))

    assert response.status_code == 422
    assert response.json()["code"] == "pdf_encrypted"
    assert "password-protected" in response.json()["detail"]


def test_a_pdf_without_text_is_refused_as_probably_scanned(admin: Any, api_as: Any) -> None:
    response = upload(api_as(admin), text_pdf([""]))

    assert response.status_code == 422
    assert response.json()["code"] == "pdf_without_text"


def test_a_path_traversal_filename_is_stored_as_a_plain_name(admin: Any, api_as: Any, media_root: Path) -> None:
    response = upload(api_as(admin), text_pdf([LIGHT]), name="../../etc/passwd.pdf")

    assert response.status_code == 201
    document = ReferenceDocument.objects.get(pk=response.json()["id"])
    assert document.filename == "passwd.pdf"
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(media_root.resolve() / "references")
    assert stored.name.startswith("passwd")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("..\\..\\windows\\system32\\evil.pdf", "evil.pdf"),
        ("/etc/passwd", "passwd.pdf"),
        ("....pdf", "reference.pdf"),
        ("notes\x00\n.pdf", "notes.pdf"),
        ("Résumé de cours.PDF", "Résumé de cours.pdf"),
        ("", "reference.pdf"),
    ],
)
def test_upload_names_are_reduced_to_harmless_base_names(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


def test_a_pdf_claiming_ten_thousand_pages_is_read_only_up_to_the_limits(admin: Any, api_as: Any) -> None:
    response = upload(api_as(admin), many_pages_pdf(10_000, LIGHT))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pages"] == 10_000
    assert body["truncated"] is True
    assert body["characters"] <= extraction.MAX_CHARACTERS
    assert ReferenceChunk.objects.filter(page__gt=extraction.MAX_PAGES).count() == 0


def test_a_decompression_bomb_does_not_exhaust_our_memory(admin: Any, api_as: Any) -> None:
    bomb = inflation_bomb_pdf(400 * 1024 * 1024, first_page=LIGHT)  # 400 MB of content behind ~1 MB
    assert len(bomb) < 3 * 1024 * 1024
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    response = upload(api_as(admin), bomb)

    peak_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert (peak_after - peak_before) * 1024 < 100 * 1024 * 1024  # ru_maxrss is in KiB on Linux
    assert response.status_code in {201, 422}
    if response.status_code == 201:
        body = response.json()
        assert body["truncated"] is True
        assert "Photosynthesis converts light energy" in ReferenceDocument.objects.get(pk=body["id"]).text
        assert body["characters"] <= extraction.MAX_CHARACTERS


def test_learners_cannot_upload_reference_documents(learner: Any, api_as: Any, api: Any) -> None:
    assert upload(api_as(learner), text_pdf([LIGHT])).status_code == 403
    assert upload(api, text_pdf([LIGHT])).status_code == 401
    assert ReferenceDocument.objects.count() == 0


def test_the_passages_most_relevant_to_a_query_come_first(admin: Any, api_as: Any) -> None:
    first = upload(api_as(admin), text_pdf([LIGHT, ROOTS])).json()["id"]
    second = upload(api_as(admin), text_pdf([CALVIN])).json()["id"]

    passages = passages_for([first, second], "How does the Calvin cycle fix carbon dioxide?", 2)

    assert len(passages) == 2
    assert passages[0].startswith("The Calvin cycle")
    assert passages == passages_for([first, second], "How does the Calvin cycle fix carbon dioxide?", 2)
    assert passages_for([first], "water uptake by root hairs", 1)[0].startswith("Roots take up water")


def test_a_query_sharing_no_word_falls_back_to_the_opening_passages(admin: Any, api_as: Any) -> None:
    document = ReferenceDocument.objects.get(pk=upload(api_as(admin), text_pdf([LIGHT, ROOTS])).json()["id"])

    assert passages_for([document], "quantum chromodynamics", 1)[0].startswith("Photosynthesis converts")
    assert passages_for([], "anything", 3) == ()
