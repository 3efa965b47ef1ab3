"""The build's error hierarchy. Every message names what failed and why, in one line."""

from __future__ import annotations

from pathlib import Path


class BuildError(Exception):
    """The build itself failed (templates, output folder...): the previous site stays."""


class ConfigError(BuildError):
    """The configuration or the registry is invalid; raised once with every problem listed."""


class SourceError(Exception):
    """One source document cannot be read or parsed. Raised by readers and the store;
    the build reports it, skips the document and exits non-zero at the end."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None, page: int | None = None):
        self.path = str(path)
        self.reason = " ".join(str(reason).split())  # always one line
        self.line = line
        self.page = page
        super().__init__(self.message)

    def __reduce__(self):  # type: ignore[no-untyped-def]
        """Picklable, so a worker process can hand it back to the build."""
        return (SourceError, (self.path, self.reason, self.line, self.page))

    @property
    def message(self) -> str:
        where = self.path
        if self.page is not None:
            where += f" (page {self.page})"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.reason}"
