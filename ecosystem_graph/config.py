"""One typed settings object, read once from ``ECOSYSTEM_GRAPH_*`` environment variables; CLI flags override.

Plain Python, no pydantic: importing pydantic and building a model cost more than any other step of ``serve``'s
start (its first answer waits for the settings). The values are read and checked as pydantic-settings read them:
variable names in any case, lists as JSON, numbers and booleans from their text, a wrong value a ``ValueError``
that names the field.
"""

from __future__ import annotations

import copy
import json
import os
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

DEFAULT_BASE_IRI = "https://w3id.org/ecosystem-graph/"
ENV_PREFIX = "ECOSYSTEM_GRAPH_"


class SecretStr:
    """A secret that reprs, logs and tracebacks do not show (``get_secret_value()`` gives it, as pydantic's)."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str):
        self._secret = secret

    def get_secret_value(self) -> str:
        return self._secret

    def __repr__(self) -> str:
        return "SecretStr('**********')" if self._secret else "SecretStr('')"

    def __str__(self) -> str:
        return "**********" if self._secret else ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SecretStr) and other._secret == self._secret

    def __hash__(self) -> int:
        return hash(self._secret)

    def __len__(self) -> int:
        return len(self._secret)

    def __getstate__(self) -> str:
        return self._secret

    def __setstate__(self, state: str) -> None:
        self._secret = state


@dataclass(frozen=True)
class Spec:
    """A setting's default (or the function that makes it), its bounds and what it is for."""

    default: Any = None
    default_factory: Callable[[], Any] | None = None
    gt: float | None = None
    ge: float | None = None
    description: str = ""

    def make_default(self) -> Any:
        return self.default_factory() if self.default_factory is not None else copy.copy(self.default)


def Field(default: Any = None, *, default_factory: Callable[[], Any] | None = None, gt: float | None = None,
          ge: float | None = None, description: str = "") -> Any:
    """A setting's :class:`Spec`, in the place of its default (typed Any, as pydantic's ``Field``)."""
    return Spec(default, default_factory, gt, ge, description)


class Settings:
    """Everything that can be configured. Relative paths are resolved against ``project_dir``. Values given to the
    constructor win over the environment, which wins over the defaults; unknown names are ignored.

    :raises ValueError: a value of the wrong type or out of its bounds (the message names the field).
    """

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
    write_process: bool = Field(default=True, description="A server runs writes in a process of its own "
                                "(embedded store), so that they do not hold up the reads it is answering")
    write_niceness: int = Field(default=10, ge=0, description="CPU priority of the write process below the HTTP "
                                "processes (nice, 0-19): when cores are short, reads go first and writes wait")
    allow_service: bool = Field(default=False, description="Allow SERVICE (federated queries); query processes "
                                "are cut off from the network unless it is set")
    allow_graph_management: bool = Field(
        default=False, description="Allow updates to DROP/CLEAR ALL or NAMED and to empty an ontology graph")
    result_cache_entries: int = Field(default=1024, ge=0, description="Query results kept per process; 0 disables")

    def __init__(self, **values: Any) -> None:
        given = {**environment(type(self)), **values}
        for name, (kind, spec) in fields_of(type(self)).items():
            value = _check(name, kind, given[name]) if name in given else _check(name, kind, spec.make_default())
            _bounds(name, value, spec)
            if name == "base_iri":
                value = _base_ends_with_slash(value)
            setattr(self, name, value)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Settings:
        """A copy with ``update`` applied as given (not checked again, as pydantic's ``model_copy``)."""
        other = copy.copy(self)
        other.__dict__.update(update or {})
        return other

    def model_dump(self) -> dict[str, Any]:
        """The settings as a dict (secrets stay :class:`SecretStr`, which shows no secret)."""
        return dict(vars(self))

    def model_dump_json(self) -> str:
        """The settings as JSON: paths as text, secrets masked."""
        return json.dumps(vars(self), default=lambda value: str(value))

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

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


def _base_ends_with_slash(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("base_iri must be an http(s) IRI")
    return value if value.endswith(("/", "#")) else value + "/"


_FIELDS: dict[type, dict[str, tuple[Any, Spec]]] = {}


def fields_of(model: type[Settings]) -> dict[str, tuple[Any, Spec]]:
    """Each setting's type and :class:`Spec`, from the class's annotations (read once per class)."""
    if model not in _FIELDS:
        found = {}
        for name, kind in typing.get_type_hints(model).items():
            default = getattr(model, name, None)
            found[name] = (kind, default if isinstance(default, Spec) else Spec(default=default))
        _FIELDS[model] = found
    return _FIELDS[model]


def environment(model: type[Settings], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The fields of ``model`` that ``ECOSYSTEM_GRAPH_<NAME>`` variables set (the name in any case; a list field's
    value is JSON).

    :raises ValueError: a list field's value that is not JSON.
    """
    found = {name.lower(): value for name, value in (os.environ if environ is None else environ).items()}
    values: dict[str, Any] = {}
    for name, (kind, _spec) in fields_of(model).items():
        value = found.get((ENV_PREFIX + name).lower())
        if value is None:
            continue
        if typing.get_origin(kind) is list:
            try:
                values[name] = json.loads(value)
            except ValueError:
                raise ValueError(f'error parsing value for field "{name}" from the environment '
                                 f"({ENV_PREFIX}{name.upper()}: JSON expected)") from None
        else:
            values[name] = value
    return values


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def _check(name: str, kind: Any, value: Any) -> Any:
    """``value`` as a ``kind`` (pydantic's lax reading: numbers and booleans from text, paths from strings).

    :raises ValueError: naming the field and what it should be.
    """
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        kinds = [k for k in args if k is not type(None)]
        return _check(name, kinds[0], value) if len(kinds) == 1 else value
    if origin is Literal:
        if value in args:
            return value
        raise ValueError(f"{name}: should be {' or '.join(repr(a) for a in args)}, not {value!r}")
    if origin is list:
        if not isinstance(value, list | tuple):
            raise ValueError(f"{name}: should be a list, not {value!r}")
        return [_check(f"{name}.{i}", args[0], item) for i, item in enumerate(value)]
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError(f"{name}: should be a boolean, not {value!r}")
    if kind is int:
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ValueError(f"{name}: should be an integer, not {value!r}")
    if kind is float:
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                pass
        raise ValueError(f"{name}: should be a number, not {value!r}")
    if kind is Path:
        if isinstance(value, str | os.PathLike):
            return Path(value)
        raise ValueError(f"{name}: should be a path, not {value!r}")
    if kind is SecretStr:
        if isinstance(value, SecretStr):
            return value
        if isinstance(value, str):
            return SecretStr(value)
        if hasattr(value, "get_secret_value"):  # pydantic's, given by a caller
            return SecretStr(value.get_secret_value())
        raise ValueError(f"{name}: should be a string, not {value!r}")
    if kind is str:
        if isinstance(value, str):
            return value
        raise ValueError(f"{name}: should be a string, not {value!r}")
    return value


def _bounds(name: str, value: Any, spec: Spec) -> None:
    if spec.gt is not None and not value > spec.gt:
        raise ValueError(f"{name}: should be greater than {spec.gt:g}, not {value!r}")
    if spec.ge is not None and not value >= spec.ge:
        raise ValueError(f"{name}: should be at least {spec.ge:g}, not {value!r}")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (the FastAPI dependency and the CLI default)."""
    return Settings()
