"""The key that signs join links: configured, or generated once and kept in the data dir."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from adapters.web.settings import WebSettings
from core.join_pass import MIN_SECRET_BYTES

log = logging.getLogger(__name__)

SECRET_FILE = "join-secret"


def load_join_secret(settings: WebSettings, data_dir: Path) -> bytes:
    """`settings.join_secret`, else the key in `<data_dir>/join-secret` (created on first use,
    readable by the owner only). Links then survive restarts. If the data dir is not
    writable, a key for this process only is used and a warning says links die on restart.
    """
    if settings.join_secret is not None:
        return settings.join_secret.get_secret_value().encode()
    path = data_dir / SECRET_FILE
    try:
        return _read_or_create(path)
    except OSError as error:
        log.warning(
            "cannot keep the join-link key in %s (%s); join links will stop working when "
            "dojobot restarts. Set DOJOBOT_WEB__JOIN_SECRET to keep them.",
            path,
            error.strerror or error,
        )
        return secrets.token_hex(MIN_SECRET_BYTES).encode()


def _read_or_create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_bytes().strip()
        if len(key) < MIN_SECRET_BYTES:
            raise OSError(f"{path} holds fewer than {MIN_SECRET_BYTES} bytes") from None
        return key
    key = secrets.token_hex(MIN_SECRET_BYTES).encode()
    with os.fdopen(fd, "wb") as file:
        file.write(key + b"\n")
    return key
