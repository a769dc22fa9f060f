"""The JSON-LD contexts our credentials name, shipped in contexts/ and served only from there.

Canonicalising a credential (the eddsa-rdfc-2022 proof) needs its contexts. They are unchanged
copies of the published documents:

- credentials-v2.jsonld  https://www.w3.org/ns/credentials/v2 (W3C VC Data Model 2.0; defines
  VerifiableCredential, DataIntegrityProof, BitstringStatusListEntry...), w3c/vc-data-model
  contexts/credentials/v2 as of 2025-02-24
- ob-context-3.0.3.json  https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json (1EdTech
  Open Badges 3.0), the openbadges-specification repository's ob_v3p0/

`load_context` is the pyld document loader: it answers those URLs from the files and refuses any
other, so signing or verifying never reaches the network (a document naming another context
cannot be canonicalised here, which is the point).
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

_FOLDER = Path(__file__).parent / "contexts"
_FILES = {VC_V2: "credentials-v2.jsonld", OB_V3: "ob-context-3.0.3.json"}


class ContextNotShipped(LookupError):
    """A JSON-LD context we do not ship: it is never fetched."""


@cache
def _read(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((_FOLDER / name).read_text(encoding="utf-8"))
    return document


def shipped_urls() -> tuple[str, ...]:
    return tuple(_FILES)


def load_context(url: str, options: object = None) -> dict[str, Any]:
    """pyld's documentLoader: a remote document for a shipped context, else ContextNotShipped."""
    name = _FILES.get(url)
    if name is None:
        raise ContextNotShipped(f"the JSON-LD context {url} is not shipped with Momentum and is never fetched")
    return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": _read(name)}
