"""Reference PDFs: store an upload, extract its text within bounds, chunk it, find relevant passages.

An upload is accepted only when it is a PDF by its first bytes *and* pypdf can read it; it is
refused when larger than MOMENTUM_MAX_REFERENCE_PDF_BYTES (413) or encrypted (422). Extraction
runs in a child process with memory, CPU and wall-clock limits (``pdf_text``) and reads at most
``MAX_PAGES`` pages and ``MAX_CHARACTERS`` characters, so a hostile file costs a bounded amount.
The text is cut into passages of about ``CHUNK_CHARACTERS`` on sentence boundaries, one page at
a time; ``queries.passages_for`` ranks them against a query with BM25 to ground an outline or a lesson.

    models.py      ReferenceDocument, ReferenceChunk (tables catalog_referencedocument/-chunk,
                   named from when they lived in catalog)
    extraction.py  the bounded reading (``pdf_text`` in a child process) and the chunking
    actions.py     do_store_reference_document: check, read and keep an upload, audited
    queries.py     passages_for: the passages most relevant to a query
    api.py         POST /reference-documents
"""
