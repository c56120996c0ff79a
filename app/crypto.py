"""Field encryption: the one place Fernet is used.

MultiFernet over ENCRYPTION_KEY_CURRENT (+ ENCRYPTION_KEY_PREVIOUS): new values
are encrypted with the current key; values under either key decrypt. The
database only ever sees ciphertext (text, URL-safe base64).
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from app.config import Settings, get_settings


class DecryptionError(Exception):
    """A value could not be decrypted with any configured key."""


class FieldCipher:
    def __init__(self, current: str, previous: str = "") -> None:
        if not current:
            raise ValueError("ENCRYPTION_KEY_CURRENT is not set")
        keys = [Fernet(current.encode())]
        if previous:
            keys.append(Fernet(previous.encode()))
        self._fernet = MultiFernet(keys)

    @classmethod
    def from_settings(cls, settings: Settings) -> FieldCipher:
        return cls(settings.encryption_key_current, settings.encryption_key_previous)

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError) as exc:
            raise DecryptionError("value cannot be decrypted with the configured keys") from exc

    def try_decrypt(self, ciphertext: str | None) -> str | None:
        """The plaintext, or None for a missing or unreadable value (shown as such, not a 500)."""
        if not ciphertext:
            return None
        try:
            return self.decrypt(ciphertext)
        except DecryptionError:
            return None

    def can_decrypt(self, ciphertext: str) -> bool:
        """Whether any of this cipher's keys opens the value."""
        try:
            self._fernet.decrypt(ciphertext.encode("ascii"))
        except (InvalidToken, ValueError):
            return False
        return True

    def rotate(self, ciphertext: str) -> str:
        """The same plaintext, re-encrypted under the current key."""
        try:
            return self._fernet.rotate(ciphertext.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError) as exc:
            raise DecryptionError("value cannot be decrypted with the configured keys") from exc


@lru_cache
def default_cipher() -> FieldCipher:
    return FieldCipher.from_settings(get_settings())
