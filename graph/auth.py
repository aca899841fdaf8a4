"""Administrator credentials: who may see restricted (confidential) statements.

Only a **hash** of the password is ever configured or stored (werkzeug's
salted scrypt/pbkdf2 hashes); the password itself lives nowhere but in the
administrator's head.  Configure with the environment::

    HRDKG_ADMIN_USER=alice
    HRDKG_ADMIN_PASSWORD_HASH='scrypt:32768:8:1$...'   # from `python -m graph.auth hash`

or with the web app's ``ADMIN_USER`` / ``ADMIN_PASSWORD_HASH`` config keys.
With neither, there is no administrator and nobody sees restricted data.

The web app asks for these credentials with HTTP Basic authentication,
which sends the password with every request: serve it over HTTPS (behind
a TLS-terminating proxy) whenever it leaves the local machine.
"""
from __future__ import annotations

import getpass
import hmac
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

from .errors import HrdkgError

USER_ENV = "HRDKG_ADMIN_USER"
HASH_ENV = "HRDKG_ADMIN_PASSWORD_HASH"
#: Hash methods werkzeug writes: a configured "hash" that names none of them
#: is most likely a password pasted by mistake, and is refused.
_METHODS = ("scrypt:", "pbkdf2:")


class AuthError(HrdkgError):
    """The administrator credentials are configured wrongly."""


@dataclass(frozen=True)
class Credentials:
    """One administrator: a user name and the hash of their password."""

    user: str
    password_hash: str = field(repr=False)

    def __post_init__(self) -> None:
        if not self.user or ":" in self.user:
            raise AuthError(f"{USER_ENV}: the administrator's name must be non-empty and hold no ':'")
        if not self.password_hash.startswith(_METHODS) or self.password_hash.count("$") != 2:
            raise AuthError(f"{HASH_ENV}: not a password hash (make one with `python -m graph.auth hash`); "
                            "the password itself must never be configured")

    def check(self, user: str, password: str) -> bool:
        """True if ``user``/``password`` are this administrator's.  Takes as long
        for a wrong name as for a wrong password.

        >>> admin = Credentials("alice", hash_password("s3cret-words"))
        >>> admin.check("alice", "s3cret-words"), admin.check("alice", "guess"), admin.check("bob", "s3cret-words")
        (True, False, False)
        """
        same_user = hmac.compare_digest(user.encode("utf-8"), self.user.encode("utf-8"))
        # a wrong name is checked against a hash made the same way, so that it costs as
        # long as a wrong password: the time taken does not tell which one was wrong
        good = check_password_hash(self.password_hash if same_user else _dummy(self.password_hash), password)
        return same_user and good


@lru_cache(maxsize=8)
def _dummy(password_hash: str) -> str:
    return generate_password_hash("not the password", method=password_hash.split("$", 1)[0])


def hash_password(password: str) -> str:
    """A salted hash of ``password`` to configure as ``HRDKG_ADMIN_PASSWORD_HASH``.

    :raises AuthError: for a password shorter than 8 characters.
    """
    if len(password) < 8:
        raise AuthError("the administrator's password must have at least 8 characters")
    return generate_password_hash(password)


def credentials(config: Mapping[str, object] | None = None, *,
                environ: Mapping[str, str] | None = None) -> Credentials | None:
    """The administrator from ``config`` (``ADMIN_USER``/``ADMIN_PASSWORD_HASH``),
    else from the environment; None when neither names one.

    :raises AuthError: when only one of name and hash is given, or the hash is not a hash.
    """
    config = config or {}
    environ = os.environ if environ is None else environ
    user = config.get("ADMIN_USER") or environ.get(USER_ENV) or ""
    hashed = config.get("ADMIN_PASSWORD_HASH") or environ.get(HASH_ENV) or ""
    if not user and not hashed:
        return None
    if not user or not hashed:
        raise AuthError(f"set both {USER_ENV} and {HASH_ENV} (or neither): only one is set")
    return Credentials(str(user), str(hashed))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m graph.auth hash``: read a password (twice at a terminal,
    once from a pipe) and print its hash.  Exit 0, or 2 with a message."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["hash"]:
        print("usage: python -m graph.auth hash   # prints the hash to set as "
              f"{HASH_ENV}", file=sys.stderr)
        return 2
    try:
        if sys.stdin.isatty():
            password = getpass.getpass("Administrator password: ")
            if getpass.getpass("Again: ") != password:
                raise AuthError("the two passwords differ")
        else:
            password = sys.stdin.readline().rstrip("\r\n")
        print(hash_password(password))
    except AuthError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
