"""The verifier printed in the README's webhook section, run as printed, against deliveries
signed the way the worker signs them."""

import json
import time

from webhooks.signing import signature_header

from .conftest import readme_verifier

SECRET = "whsec_readme"
BODY = json.dumps({"event": "visit.updated", "data": {"id": 7, "topics": "5S"}}).encode()


def test_it_accepts_a_genuine_delivery():
    verify = readme_verifier()
    assert verify(SECRET, BODY, signature_header(SECRET, BODY))


def test_it_detects_a_tampered_signature_or_body():
    verify = readme_verifier()
    header = signature_header(SECRET, BODY)
    t, v1 = header.split(",")
    flipped = v1[:-1] + ("0" if v1[-1] != "0" else "1")
    assert not verify(SECRET, BODY, f"{t},{flipped}")
    assert not verify(SECRET, BODY.replace(b"5S", b"6S"), header)
    assert not verify("whsec_other", BODY, header)
    assert not verify(SECRET, BODY, "garbage")


def test_it_detects_a_stale_timestamp():
    verify = readme_verifier()
    old = int(time.time()) - 3600
    assert not verify(SECRET, BODY, signature_header(SECRET, BODY, timestamp=old))
    assert verify(SECRET, BODY, signature_header(SECRET, BODY, timestamp=old), now=old + 10)
