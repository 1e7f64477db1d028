"""The error hierarchy, translated once per boundary (HTTP status in web/, exit code in cli.py)."""

from __future__ import annotations

from pathlib import Path


class EcosystemGraphError(Exception):
    """Root of every error the package raises on purpose."""


class ConfigError(EcosystemGraphError, ValueError):
    """A setting is missing or malformed."""


class SourceError(EcosystemGraphError, ValueError):
    """A source file cannot be read or parsed; names the file and, when known, line and column."""

    def __init__(self, path: Path | str, message: str, *, line: int | None = None, column: int | None = None):
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        super().__init__(self.location + ": " + message)

    @property
    def location(self) -> str:
        parts = [str(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class ValidationFailed(EcosystemGraphError):
    """The data breaks the SHACL contract or another load gate check."""

    def __init__(self, message: str, violations: list[str] | None = None):
        self.violations = violations or []
        super().__init__(message)


class QueryError(EcosystemGraphError, ValueError):
    """A SPARQL query or update is malformed or not allowed."""


class MalformedRequest(QueryError):
    """The text is not SPARQL at all, by the grammar the checks read it with (not merely refused)."""


class QueryTimeout(EcosystemGraphError):
    """A query ran longer than the configured limit and was stopped."""


class ResultTooLarge(EcosystemGraphError):
    """A query produced more results than the configured maximum."""


class ReadOnly(EcosystemGraphError, PermissionError):
    """A write was attempted without the right to write."""


class NotFound(EcosystemGraphError, LookupError):
    """The named graph, query or resource does not exist."""


class StoreUnavailable(EcosystemGraphError):
    """The store has not been built yet or the remote server does not answer."""


class NotAcceptable(EcosystemGraphError):
    """No media type the client accepts suits the result (HTTP 406)."""


class UnsupportedMediaType(EcosystemGraphError, ValueError):
    """The request body is in a format we do not read (HTTP 415)."""


class RequestTooLarge(EcosystemGraphError):
    """The request body is larger than the configured maximum (HTTP 413)."""
