"""ETag of a record's representation; If-Match checked before a write."""

import hashlib
import json

from rest_framework.utils.encoders import JSONEncoder

from .exceptions import PreconditionFailed, PreconditionRequired


def etag_of(data) -> str:
    body = json.dumps(data, sort_keys=True, cls=JSONEncoder, ensure_ascii=False)
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def check_if_match(request, current: str) -> None:
    """428 without If-Match, 412 when it names another version than ``current``."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired()
    tags = _tags(header)
    if "*" not in tags and current not in tags:
        raise PreconditionFailed()
