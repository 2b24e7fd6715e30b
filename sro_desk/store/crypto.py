"""Encrypting confidential complainant identities with a key from the district passphrase.

AES-GCM (the ``cryptography`` package) with a 256-bit key derived by scrypt from a
passphrase that is never stored. The file keeps only the scrypt salt and parameters and
a check value (a known text encrypted with the key), so a wrong passphrase is told apart
from a right one. Without the passphrase nothing identifying can be read, by anyone.
"""

from __future__ import annotations

import base64
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from sro_desk.errors import SroDeskError, ValidationError

MIN_PASSPHRASE = 10
_CHECK_TEXT = b"SRO Desk identity key check"
#: scrypt cost: 256 MB and about a second a guess on a modest laptop (0.9 s measured on
#: a 2-core machine in December 2026; benchmarks/reliability.py prints it), so guessing
#: against a copied file is slow. Files set up with the earlier cost (2**17) still open.
_N, _R, _P = 2**18, 8, 1
#: The costs a stored record may name (a tampered record must not exhaust memory or
#: weaken the key).
_ALLOWED_N = range(14, 21)
#: And together at most twice the memory and four times the work of our own costs: each
#: bound alone still let n = 2**20, r = 16, p = 4 ask for 2 GB and half a minute.
_MAX_MEMORY = 2 * 128 * _N * _R
_MAX_WORK = 4 * _N * _R * _P


class IdentityKey:
    """An unlocked key: encrypts and decrypts identity texts, bound to where they belong."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: str, context: str) -> str:
        """Encrypt ``plaintext``; ``context`` (e.g. 'complaint:12') must match on opening."""
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        return base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, context: str) -> str:
        try:
            raw = base64.b64decode(sealed.encode("ascii"), validate=True)
            return self._aead.decrypt(raw[:12], raw[12:], context.encode("utf-8")).decode("utf-8")
        except (InvalidTag, ValueError, UnicodeDecodeError):
            raise SroDeskError(
                "A confidential identity could not be read with this passphrase; it may have "
                "been damaged, or stored under another passphrase."
            ) from None


def _derive(passphrase: str, salt: bytes, n: int = _N, r: int = _R, p: int = _P) -> bytes:
    try:
        secret = passphrase.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which no keyboard types
        raise ValidationError("That passphrase holds a character that cannot be stored; type it again.") from None
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)


#: zxcvbn's scores run 0 (guessed at once) to 4; 3 resists an offline attack at the
#: scrypt cost above for far longer than a district keeps its complaints.
MIN_SCORE = 3
#: zxcvbn takes longer the longer the text; beyond this a passphrase is long enough.
_SCORED_LENGTH = 64


def check_passphrase_strength(passphrase: str) -> None:
    """Refuse a passphrase that is easy to guess, with zxcvbn's plain advice."""
    if not passphrase.strip():
        raise ValidationError("A passphrase of spaces alone is too easy to guess; choose a few unrelated words.")
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE} characters, e.g. four unrelated words."
        )
    if len(passphrase) >= _SCORED_LENGTH:
        return
    from zxcvbn import zxcvbn

    result = zxcvbn(passphrase, user_inputs=["sro", "desk", "school", "resource", "officer", "police"])
    if result["score"] < MIN_SCORE:
        warning = (result["feedback"].get("warning") or "").rstrip(".")
        why = f" ({warning[:1].lower() + warning[1:]})" if warning else ""
        raise ValidationError(f"That passphrase is too easy to guess{why}; use four or more unrelated "
                              "words that are not a saying or a name.")


def new_key_record(passphrase: str) -> tuple[IdentityKey, str]:
    """A key for a new passphrase and the record to keep in the file (salt, cost, check)."""
    check_passphrase_strength(passphrase)
    salt = os.urandom(16)
    key = IdentityKey(_derive(passphrase, salt))
    record = {
        "kdf": "scrypt", "n": _N, "r": _R, "p": _P,
        "salt": base64.b64encode(salt).decode("ascii"),
        "check": key.seal(_CHECK_TEXT.decode("ascii"), "check"),
    }
    return key, json.dumps(record)


def unlock(passphrase: str, record_text: str) -> IdentityKey:
    """The key for ``passphrase``, or ValidationError when it is not the district's."""
    try:
        record = json.loads(record_text)
        salt = base64.b64decode(record["salt"])
        n, r, p = int(record["n"]), int(record["r"]), int(record["p"])
        if n.bit_length() - 1 not in _ALLOWED_N or n & (n - 1) or not 8 <= r <= 16 or not 1 <= p <= 4:
            raise ValueError("scrypt cost out of bounds")
        if 128 * n * r > _MAX_MEMORY or n * r * p > _MAX_WORK:
            raise ValueError("scrypt cost out of bounds")
        if not isinstance(record["check"], str):
            raise TypeError("check value is not text")
        key = IdentityKey(_derive(passphrase, salt, n, r, p))
    except (ValueError, KeyError, TypeError, OverflowError):
        raise SroDeskError("The file's passphrase record is damaged; restore a backup.") from None
    try:
        key.open(record["check"], "check")
    except SroDeskError:
        raise ValidationError("That is not the district's passphrase; try again.") from None
    return key
