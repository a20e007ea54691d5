"""Verifying `rtk-signature`: RSASSA-PKCS1-v1_5 + SHA-256 over the raw request body."""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import datetime, timedelta

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from core.clock import Clock

log = logging.getLogger(__name__)


class KeyUnavailable(Exception):
    """The published key could not be fetched (a transient fault: ask for a redelivery)."""


def load_key(pem: str) -> rsa.RSAPublicKey:
    """An RSA public key from PEM text (ValueError when it is not one)."""
    key = load_pem_public_key(pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("the RealtimeKit webhook key must be an RSA public key")
    return key


def signature_valid(key: rsa.RSAPublicKey, body: bytes, signature: str | None) -> bool:
    """Whether `signature` (base64) signs exactly these bytes."""
    if not signature:
        return False
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


class SignatureVerifier:
    """Checks webhook signatures against the configured key, or the published one.

    The published key is fetched on first use and cached; when a check fails it is fetched
    again (a rotated key), at most once per `refetch_after`, so forged requests cannot make
    us hammer the key URL.
    """

    def __init__(
        self,
        *,
        public_key_pem: str | None,
        key_url: str,
        http: httpx.AsyncClient,
        clock: Clock,
        refetch_after: timedelta,
    ) -> None:
        self._configured = load_key(public_key_pem) if public_key_pem else None
        self._key_url = key_url
        self._http = http
        self._clock = clock
        self._refetch_after = refetch_after
        self._cached: rsa.RSAPublicKey | None = None
        self._fetched_at: datetime | None = None
        self.fetches = 0
        """How many times the published key was fetched (diagnostics)."""

    async def verify(self, body: bytes, signature: str | None) -> bool:
        """Whether the body is signed by RealtimeKit (KeyUnavailable if the key can't load)."""
        if self._configured is not None:
            return signature_valid(self._configured, body, signature)
        if not signature:
            return False
        if self._cached is None:
            self._cached = await self._fetch()
            return signature_valid(self._cached, body, signature)
        if signature_valid(self._cached, body, signature):
            return True
        if self._fetched_at and self._clock.now() - self._fetched_at < self._refetch_after:
            return False
        self._cached = await self._fetch()
        return signature_valid(self._cached, body, signature)

    async def _fetch(self) -> rsa.RSAPublicKey:
        self.fetches += 1
        self._fetched_at = self._clock.now()
        try:
            response = await self._http.get(self._key_url)
            response.raise_for_status()
            return load_key(str(response.json()["data"]["publicKey"]))
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            log.warning("fetching the RealtimeKit webhook key failed: %r", error)
            raise KeyUnavailable(str(error)) from error
