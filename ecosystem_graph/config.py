"""One typed settings object, read once from ``ECOSYSTEM_GRAPH_*`` environment variables; CLI flags override.

The environment is read here as pydantic-settings reads it (names in any case, lists as JSON), on a plain pydantic
model: importing pydantic-settings cost more than any other step of ``serve``'s start.
"""

from __future__ import annotations

import json
import os
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

DEFAULT_BASE_IRI = "https://w3id.org/ecosystem-graph/"
ENV_PREFIX = "ECOSYSTEM_GRAPH_"


class Settings(BaseModel):
    """Everything that can be configured. Relative paths are resolved against ``project_dir``. Values given to the
    constructor win over the environment, which wins over the defaults."""

    model_config = ConfigDict(extra="ignore", validate_default=True)  # as pydantic-settings

    def __init__(self, **values: Any) -> None:
        super().__init__(**{**environment(type(self)), **values})

    base_iri: str = DEFAULT_BASE_IRI
    project_dir: Path = Field(default_factory=Path.cwd, description="Folder that holds ontology/, data/ and sparql/")
    source_dirs: list[Path] = Field(default_factory=lambda: [Path("ontology"), Path("data")])
    shapes_file: Path = Path("ontology/shapes.ttl")
    queries_dir: Path = Path("sparql")
    texts_dir: Path = Field(default=Path("../shared/sources"),
                            description="Folder of the source documents' texts, named by their eco:fileName; a "
                                        "source's page shows its text when the file is there")

    backend: Literal["embedded", "memory", "remote"] = "embedded"
    store_path: Path = Path("var/store")
    changes_path: Path = Field(default=Path("changes"), description="Journal of accepted writes, replayed by load")

    remote_query_url: str | None = None
    remote_update_url: str | None = None
    remote_graph_store_url: str | None = None
    remote_user: str | None = None
    remote_password: SecretStr | None = None

    reasoning: bool = True
    validate_shapes: bool = True
    shacl_engine: Literal["sparql", "pyshacl"] = Field(
        default="sparql", description="SHACL gate: shapes as SPARQL inside the store (pySHACL for what it cannot "
        "translate), or pySHACL on everything (the reference, slow at scale)")

    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(default=30.0, gt=0, description="Seconds before a query is stopped")
    max_result_bytes: int = Field(default=64 * 1024 * 1024, gt=0, description="Largest serialised query result")
    max_body_bytes: int = Field(default=10 * 1024 * 1024, gt=0)
    cors_origins: list[str] = Field(default_factory=list)
    api_token: SecretStr | None = None
    query_workers: int = Field(
        default=2, ge=0, description="Query processes (embedded store); 0 runs queries in-process, with no hard timeout"
    )
    allow_service: bool = Field(default=False, description="Allow SERVICE (federated queries); query processes "
                                "are cut off from the network unless it is set")
    allow_graph_management: bool = Field(
        default=False, description="Allow updates to DROP/CLEAR ALL or NAMED and to empty an ontology graph")
    result_cache_entries: int = Field(default=1024, ge=0, description="Query results kept per process; 0 disables")

    @field_validator("base_iri")
    @classmethod
    def _base_ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("base_iri must be an http(s) IRI")
        return value if value.endswith(("/", "#")) else value + "/"

    def resolve(self, path: Path) -> Path:
        """Make ``path`` absolute against the project folder."""
        return path if path.is_absolute() else (self.project_dir / path).resolve()

    @property
    def store_dir(self) -> Path:
        return self.resolve(self.store_path)

    @property
    def changes_dir(self) -> Path:
        return self.resolve(self.changes_path)

    @property
    def source_paths(self) -> list[Path]:
        return [self.resolve(p) for p in self.source_dirs]

    @property
    def shapes_path(self) -> Path:
        return self.resolve(self.shapes_file)

    @property
    def queries_path(self) -> Path:
        return self.resolve(self.queries_dir)

    @property
    def texts_path(self) -> Path:
        return self.resolve(self.texts_dir)

    @property
    def read_only(self) -> bool:
        return self.api_token is None


def environment(model: type[BaseModel], environ: typing.Mapping[str, str] | None = None) -> dict[str, Any]:
    """The fields of ``model`` that ``ECOSYSTEM_GRAPH_<NAME>`` variables set (the name in any case; a list field's
    value is JSON).

    :raises ValueError: a list field's value that is not JSON.
    """
    found = {name.lower(): value for name, value in (os.environ if environ is None else environ).items()}
    values: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        value = found.get((ENV_PREFIX + name).lower())
        if value is None:
            continue
        if typing.get_origin(field.annotation) in (list, dict, tuple, set):
            try:
                values[name] = json.loads(value)
            except ValueError:
                raise ValueError(f'error parsing value for field "{name}" from the environment '
                                 f"({ENV_PREFIX}{name.upper()}: JSON expected)") from None
        else:
            values[name] = value
    return values


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (the FastAPI dependency and the CLI default)."""
    return Settings()
