"""Create the PostgreSQL database named in DATABASE_URL if it does not exist yet.

Does nothing for SQLite (the file is created on first use). pytest-django
creates its own test_<name> database from there.
"""

import os
import sys
from urllib.parse import urlparse


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return 0
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl().replace("pgsql://", "postgresql://", 1)
    with psycopg.connect(
        admin_url.replace("postgres://", "postgresql://", 1), autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created PostgreSQL database {name}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
