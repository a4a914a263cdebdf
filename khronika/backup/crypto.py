"""Passphrase encryption of a backup: AES-256-GCM over fixed-size chunks, the key from scrypt.

An encrypted backup is, byte by byte (integers big-endian):

    MAGIC                 b"khronika encrypted backup v1\\n": restore knows to ask
    header                log2(N), r, p of scrypt (1 byte each), salt (16), nonce prefix (7),
                          chunk size (4)
    check                 the GCM tag of nothing under the key: a wrong passphrase is told
                          apart from a damaged file
    chunks                each `chunk size` bytes of the plain backup plus a 16-byte tag; the
                          last one shorter (it may hold nothing but its tag)

The nonce of chunk i is prefix | i (4 bytes) | flag, the flag 1 for the last chunk and 0
for the others (the STREAM construction): chunks cannot be reordered, dropped, repeated
or cut off without a tag failing, and a file cut at a chunk boundary lacks its last chunk.
MAGIC and header are the associated data of every chunk, so the cost parameters cannot be
lowered unnoticed. The key is new for every backup (a fresh salt), so nonces never repeat.

    !!! The passphrase is never stored, printed or logged; a lost passphrase cannot be
    !!! recovered (there is no other key).
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from khronika.errors import BackupRejected

__all__ = ["MAGIC", "DecryptingReader", "EncryptingWriter", "is_encrypted"]

MAGIC = b"khronika encrypted backup v1\n"

#: scrypt cost: N = 2**17, r = 8, p = 1 (128 MiB, about 0.4 s), the usual recommendation
#: for keys of files at rest. Stored in each file, so it can rise without breaking old ones.
SCRYPT_LOG2_N = 17
SCRYPT_R = 8
SCRYPT_P = 1
#: Plain bytes per chunk.
CHUNK = 1 << 20

_HEADER = struct.Struct(">BBB16s7sI")
_TAG = 16
_CHUNK_FLAG, _LAST_FLAG, _CHECK_FLAG = 0, 1, 2
_MAX_CHUNKS = 1 << 32
# What a file may ask of us before it is authenticated: a forged header must not make
# restore allocate gigabytes.
_MAX_SCRYPT_MEMORY = 1 << 30
_MAX_CHUNK = 64 << 20


def is_encrypted(head: bytes) -> bool:
    """True when a file starting with `head` is an encrypted backup."""
    return head.startswith(MAGIC)


def _key(passphrase: bytes, salt: bytes, log2_n: int, r: int, p: int) -> AESGCM:
    return AESGCM(Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p).derive(passphrase))


def _nonce(prefix: bytes, index: int, flag: int) -> bytes:
    return prefix + index.to_bytes(4, "big") + bytes([flag])


class EncryptingWriter:
    """A write-only stream that encrypts what is written to it into `out`.

    Call `finish()` after the last write: it writes the last chunk, without which the
    backup reads as truncated.
    """

    def __init__(self, out: BinaryIO, passphrase: bytes) -> None:
        salt, prefix = os.urandom(16), os.urandom(7)
        self._aad = MAGIC + _HEADER.pack(SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, salt, prefix, CHUNK)
        self._aead = _key(passphrase, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
        self._prefix, self._out = prefix, out
        self._buf = bytearray()
        self._index = 0
        out.write(self._aad + self._aead.encrypt(_nonce(prefix, 0, _CHECK_FLAG), b"", self._aad))

    def write(self, data: bytes) -> int:
        """Take `data`; encrypt and write every chunk it completes."""
        self._buf += data
        while len(self._buf) >= CHUNK:
            self._emit(bytes(self._buf[:CHUNK]), _CHUNK_FLAG)
            del self._buf[:CHUNK]
        return len(data)

    def flush(self) -> None:
        """Nothing to do: a chunk is written when it is full (tarfile calls this)."""

    def finish(self) -> None:
        """Write the last chunk (shorter than the others, maybe empty)."""
        self._emit(bytes(self._buf), _LAST_FLAG)
        self._buf.clear()

    def _emit(self, plain: bytes, flag: int) -> None:
        if self._index >= _MAX_CHUNKS:
            raise BackupRejected("the backup is too large to encrypt in one file")
        nonce = _nonce(self._prefix, self._index, flag)
        self._out.write(self._aead.encrypt(nonce, plain, self._aad))
        self._index += 1


class DecryptingReader:
    """A read-only stream of the plain bytes of an encrypted backup.

    Each chunk is authenticated before any of its bytes is returned. Raises
    BackupRejected for a wrong passphrase, a damaged chunk, or a file cut short; call
    `finish()` at the end to insist that the last chunk came and nothing follows it.
    """

    def __init__(self, src: BinaryIO, passphrase: bytes) -> None:
        head = src.read(len(MAGIC) + _HEADER.size)
        if not is_encrypted(head) or len(head) < len(MAGIC) + _HEADER.size:
            raise BackupRejected("not an encrypted khronika backup (its header is missing)")
        log2_n, r, p, salt, prefix, chunk = _HEADER.unpack(head[len(MAGIC) :])
        if not (1 <= r <= 32 and 1 <= p <= 16 and 128 * r * p << log2_n <= _MAX_SCRYPT_MEMORY):
            raise BackupRejected("the backup's header is damaged (impossible key parameters)")
        if not 1 <= chunk <= _MAX_CHUNK:
            raise BackupRejected("the backup's header is damaged (impossible chunk size)")
        self._aad, self._prefix, self._chunk, self._src = head, prefix, chunk, src
        self._aead = _key(passphrase, salt, log2_n, r, p)
        try:
            self._aead.decrypt(_nonce(prefix, 0, _CHECK_FLAG), src.read(_TAG), head)
        except InvalidTag:
            raise BackupRejected(
                "wrong passphrase (or the backup's header is damaged): nothing was restored"
            ) from None
        self._buf = b""
        self._pos = 0
        self._index = 0
        self._done = False

    def read(self, size: int = -1) -> bytes:
        """Return up to `size` plain bytes (all that is left when negative)."""
        if size < 0:
            while not self._done:
                self._next_chunk()
            size = len(self._buf) - self._pos
        while not self._done and len(self._buf) - self._pos < size:
            self._next_chunk()
        out = self._buf[self._pos : self._pos + size]
        self._pos += len(out)
        return out

    def finish(self) -> None:
        """Read to the end: the last chunk must have come, and nothing may follow it."""
        while not self._done:
            self._next_chunk()
        self._buf, self._pos = b"", 0
        if self._src.read(1):
            raise BackupRejected("the backup is damaged: there are bytes after its last chunk")

    def _next_chunk(self) -> None:
        block = self._src.read(self._chunk + _TAG)
        if not block:
            raise BackupRejected(
                f"the backup is truncated: it ends after {self._index} chunk(s), before its last"
            )
        last = len(block) < self._chunk + _TAG
        nonce = _nonce(self._prefix, self._index, _LAST_FLAG if last else _CHUNK_FLAG)
        try:
            plain = self._aead.decrypt(nonce, block, self._aad)
        except InvalidTag:
            raise BackupRejected(
                f"the backup is damaged or truncated: chunk {self._index} fails its check"
            ) from None
        # tarfile reads 10 KiB at a time: keep an offset rather than cutting the buffer.
        self._buf = self._buf[self._pos :] + plain
        self._pos = 0
        self._index += 1
        self._done = last
