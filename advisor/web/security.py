"""Signed cookies and CSRF tokens for the web companion (HMAC-SHA256 with the store's secret key)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets


def _mac(key: bytes, purpose: str, value: str) -> str:
    digest = hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class Signer:
    """Signs values so a browser can keep them but not forge them."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("the secret key needs at least 32 bytes")
        self.key = key

    def sign(self, value: str, purpose: str = "session") -> str:
        return f"{value}.{_mac(self.key, purpose, value)}"

    def unsign(self, signed: str | None, purpose: str = "session") -> str | None:
        """The value, or None when the signature does not match (or there is none)."""
        if not signed or "." not in signed or len(signed) > 200:
            return None
        value, _, mac = signed.rpartition(".")
        return value if hmac.compare_digest(mac, _mac(self.key, purpose, value)) else None

    def csrf_token(self, nonce: str) -> str:
        """The form token that goes with a browser's CSRF cookie (double submit, signed)."""
        return _mac(self.key, "csrf", nonce)

    def csrf_ok(self, nonce: str | None, token: str | None) -> bool:
        return bool(nonce and token) and hmac.compare_digest(self.csrf_token(str(nonce)), str(token))


def new_nonce() -> str:
    return secrets.token_urlsafe(16)
