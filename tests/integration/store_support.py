"""What the editing tests share: reading a store with read-only sqlite3 (independently of
AMIS), digests of whole tables to prove that a refused request changed nothing, and the
`amis` command line."""
from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import subprocess
from pathlib import Path

from support import AMIS_BIN


def ro(store: Path):
    return contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True))


def rows(store: Path, sql: str, *args) -> list[tuple]:
    with ro(store) as db:
        return db.execute(sql, args).fetchall()


def table_digests(store: Path, tables) -> dict[str, str]:
    """table -> SHA-256 of all its rows in rowid order."""
    out = {}
    with ro(store) as db:
        for t in tables:
            h = hashlib.sha256()
            for r in db.execute(f'SELECT * FROM "{t}" ORDER BY rowid'):
                h.update(repr(r).encode())
            out[t] = h.hexdigest()
    return out


def amis(*args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(AMIS_BIN), *map(str, args)], input=stdin, capture_output=True, text=True,
                          timeout=120)
