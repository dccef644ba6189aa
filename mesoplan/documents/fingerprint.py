"""The SHA-256 fingerprint of a document's content, printed in its footer.

It is computed from the canonical JSON of the request plus the wording it is printed with (template
version and a digest of the texts), not from the PDF bytes, so the footer can show it and a stored
request can be checked against a paper copy later.
"""

from __future__ import annotations

import hashlib
import json

from mesoplan.documents.codec import request_to_dict
from mesoplan.documents.content import DocumentRequest
from mesoplan.documents.texts import DocumentTexts, load_texts


def content_fingerprint(request: DocumentRequest, texts: DocumentTexts | None = None) -> str:
    """64 hex digits; equal for equal requests printed with the same wording, different otherwise."""
    texts = texts or load_texts(request.language)
    payload = {
        "request": request_to_dict(request),
        "template_version": texts.template_version(request.kind),
        "texts_language": texts.language,
        "texts_digest": texts.digests[request.kind],
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
