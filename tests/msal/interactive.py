#!/usr/bin/env python3
"""MSAL for Python's interactive sign-in with a real browser, against the simulator.

Usage: interactive.py BASE_URL CA_FILE BROWSER_WRAPPER

MSAL starts its own loopback server, opens the authorize URL (response_mode=form_post) in
BROWSER_WRAPPER (headless Chromium), the simulator answers with Entra's auto-posting form,
Chromium runs its script and posts code, client_info and state to MSAL's server, and MSAL
redeems the code with PKCE and checks the nonce. Chromium is told to accept exactly the
simulator's key (CHROMIUM_SPKI), not to ignore certificate errors at large.
"""

import base64
import hashlib
import os
import ssl
import sys
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import serialization

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
WRAPPER = sys.argv.pop(3)
import conformance as c  # noqa: E402  (reads BASE_URL and CA_FILE from argv)


def spki_pin(base):
    url = urllib.parse.urlsplit(base)
    pem = ssl.get_server_certificate((url.hostname, url.port))
    key = x509.load_pem_x509_certificate(pem.encode()).public_key()
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


os.environ["CHROMIUM_SPKI"] = spki_pin(c.BASE)
os.environ["BROWSER"] = WRAPPER
app = c.app()
result = app.acquire_token_interactive(c.SCOPES, timeout=30)
assert "access_token" in result, result
assert result["id_token_claims"]["preferred_username"] == c.USER, result["id_token_claims"]
assert [a["username"] for a in app.get_accounts()] == [c.USER]
print("ok    MSAL interactive sign-in through Chromium (form_post)")
