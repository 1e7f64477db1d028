"""The settings a command runs with: the environment first, its flags over it."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..errors import ConfigError


def settings_from(project: Path | None = None, store: Path | None = None, backend: str | None = None,
                  base_iri: str | None = None, **more: object) -> Settings:
    """Environment first, CLI flags override."""
    overrides = {k: v for k, v in {"project_dir": project, "store_path": store, "backend": backend,
                                   "base_iri": base_iri, **more}.items() if v is not None}
    try:
        return Settings(**overrides)
    except ValueError as error:
        raise ConfigError(str(error)) from None
