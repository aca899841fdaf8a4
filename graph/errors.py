"""Exception hierarchy of hrdkg.

Library code raises these and never prints or exits; the CLI and the web app
turn them into messages and exit codes.  Every message names the file or term
concerned and the reason.
"""
from __future__ import annotations


class HrdkgError(Exception):
    """Base class of every error hrdkg raises on purpose."""


class InputError(HrdkgError):
    """A statement or facts file cannot be read (empty, binary, undecodable, too large...)."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class FactsError(InputError):
    """A facts file is not valid JSON or does not follow the facts schema."""


class ValidationFailed(HrdkgError):
    """A statement graph does not conform to the SHACL shapes; nothing was stored."""

    def __init__(self, path: object, report: "object") -> None:
        self.path = str(path)
        self.report = report
        super().__init__(f"{self.path}: does not conform to the shapes:\n{report}")


class StoreError(HrdkgError):
    """The store cannot be opened or written (locked by another process, corrupt...)."""


class QueryError(HrdkgError):
    """A SPARQL query is malformed or cannot be answered."""
