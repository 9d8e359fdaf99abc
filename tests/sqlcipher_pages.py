"""Reading a SQLCipher 4 file's pages as plaintext, with the raw data key, byte for byte.

The proof that a deleted case is gone has to look where SQLite itself no longer looks: free
pages, freeblocks inside pages, old WAL frames. So this decrypts EVERY page of a database
file (or every frame of its WAL) the way SQLCipher 4 writes them with a raw key (x'..'):
4096-byte pages ending in 80 reserved bytes (a 16-byte IV, then a 64-byte HMAC); page 1
begins with the 16-byte salt; the rest is AES-256-CBC under the data key itself. A WAL is a
32-byte header, then frames of a 24-byte header (page number first, big-endian) and a page.
The HMAC is not checked: a stale or half-written page is exactly what is being looked for.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80
IV_SIZE = 16
SALT_SIZE = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def decrypt_page(page: bytes, key: bytes, first: bool) -> bytes:
    start = SALT_SIZE if first else 0
    end = PAGE_SIZE - RESERVE
    iv = page[end : end + IV_SIZE]
    decryptor = Cipher(algorithms.AES(bytes(key)), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start:end]) + decryptor.finalize()


def database_pages(path: Path, key: bytes) -> Iterator[bytes]:
    data = path.read_bytes()
    for number, offset in enumerate(range(0, len(data) - PAGE_SIZE + 1, PAGE_SIZE)):
        yield decrypt_page(data[offset : offset + PAGE_SIZE], key, first=number == 0)


def wal_pages(path: Path, key: bytes) -> Iterator[bytes]:
    data = path.read_bytes() if path.exists() else b""
    offset = WAL_HEADER
    while offset + FRAME_HEADER + PAGE_SIZE <= len(data):
        page_number = int.from_bytes(data[offset : offset + 4], "big")
        page = data[offset + FRAME_HEADER : offset + FRAME_HEADER + PAGE_SIZE]
        yield decrypt_page(page, key, first=page_number == 1)
        offset += FRAME_HEADER + PAGE_SIZE


def plaintext(path: Path, key: bytes) -> bytes:
    """Every decrypted page of a database file, or of a WAL file (named *-wal)."""
    pages = wal_pages if path.name.endswith("-wal") else database_pages
    return b"".join(pages(path, key))


def found_in(path: Path, key: bytes, needles: list[bytes]) -> list[bytes]:
    """The needles present in the decrypted pages of `path`."""
    text = plaintext(path, key)
    return [needle for needle in needles if needle in text]
