"""The signature every delivery carries: ``X-Score-Signature: t=<unix time>,v1=<hex>``,
where ``v1`` is HMAC-SHA256 with the endpoint's secret over ``"<t>." + body``. The time is
that of the try, so a receiver refuses old (replayed) deliveries; the README's verifier
shows how."""

import hashlib
import hmac
import time

HEADER = "X-Score-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
