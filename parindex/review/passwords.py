"""Reviewer passwords: scrypt hashes with a random salt (stdlib only), checked in constant time."""
import hashlib
import hmac
import secrets

# scrypt cost: about 50 ms a check on this machine, cheap for a login, dear for a guesser.
N, R, P = 2 ** 14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_LENGTH = 8
SCHEME = "scrypt"


class PasswordError(ValueError):
    """A password that cannot be accepted (too short, empty)."""


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=128 * r * n * 2, dklen=KEY_BYTES)


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$key` (hex): the parameters travel with the hash so they can grow later."""
    if len(password) < MIN_LENGTH:
        raise PasswordError(f"a password needs at least {MIN_LENGTH} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, N, R, P)
    return f"{SCHEME}${N}${R}${P}${salt.hex()}${key.hex()}"


# Checked when the reviewer does not exist, so an unknown name costs as much as a wrong password.
_DECOY = f"{SCHEME}${N}${R}${P}${'00' * SALT_BYTES}${'00' * KEY_BYTES}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when `password` matches `stored`; an unknown reviewer (stored=None) spends the same time."""
    known = stored is not None
    try:
        scheme, n, r, p, salt, key = (stored or _DECOY).split("$")
        if scheme != SCHEME:
            raise ValueError(scheme)
        derived = _derive(password, bytes.fromhex(salt), int(n), int(r), int(p))
        expected = bytes.fromhex(key)
    except ValueError:
        # A damaged hash in the table: spend the time anyway, never let it in.
        _derive(password, b"\0" * SALT_BYTES, N, R, P)
        return False
    return hmac.compare_digest(derived, expected) and known
