"""Development secrets, generated once into var/ and never committed.

Only used when DJANGO_ENV is not "production"; production reads its secrets
from the environment and refuses to start without them.
"""

import base64
import os
import secrets
from pathlib import Path


def dev_secret(var_dir: Path, name: str, *, fernet: bool = False) -> str:
    """Return the secret stored in var/<name>, creating it on first use."""
    path = Path(var_dir) / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = (
        base64.urlsafe_b64encode(os.urandom(32)).decode() if fernet else secrets.token_urlsafe(50)
    )
    # O_EXCL: two processes starting together keep the first one's secret.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value
