"""Verifying `rtk-signature`: RSASSA-PKCS1-v1_5 + SHA-256 over the raw request body."""

from __future__ import annotations

import asyncio
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
    raw = _decoded(signature) if signature else None
    if raw is None:
        return False
    try:
        key.verify(raw, body, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


class SignatureVerifier:
    """Checks webhook signatures against the configured key, or the published one.

    The published key is fetched on first use and cached; when a check fails it is fetched
    again (a rotated key). Fetches, failed ones included, happen at most once per
    `refetch_after`, so forged requests cannot make us hammer the key URL. While a key is
    cached, a failed refetch keeps it: a bad signature stays a bad signature (401), not 503.
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
        self._fetching = asyncio.Lock()
        self.fetches = 0
        """How many times the published key was fetched (diagnostics)."""

    async def verify(self, body: bytes, signature: str | None) -> bool:
        """Whether the body is signed by RealtimeKit (KeyUnavailable if no key can be had)."""
        if self._configured is not None:
            return signature_valid(self._configured, body, signature)
        if not signature or _decoded(signature) is None:
            return False
        cached = self._cached
        if cached is not None and signature_valid(cached, body, signature):
            return True
        async with self._fetching:
            if self._cached is not cached:  # another request refetched meanwhile
                return self._cached is not None and signature_valid(self._cached, body, signature)
            if not self._may_fetch():
                if self._cached is None:
                    raise KeyUnavailable("the webhook key could not be fetched; retry later")
                return False
            try:
                self._cached = await self._fetch()
            except KeyUnavailable:
                if self._cached is None:
                    raise
                return False
        return signature_valid(self._cached, body, signature)

    def _may_fetch(self) -> bool:
        last = self._fetched_at
        return last is None or self._clock.now() - last >= self._refetch_after

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


def _decoded(signature: str) -> bytes | None:
    try:
        return base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
