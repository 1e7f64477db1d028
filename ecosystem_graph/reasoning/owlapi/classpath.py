"""Find the Java runtime and the Debian OWL API jars (``libowlapi-java``) with their dependencies.

The Debian jars carry no ``Class-Path`` in their manifests (``owlapi-distribution.jar`` inlines the OWL API
modules, and Debian resolves the rest through package dependencies), so the classpath is listed here.
Each name is an unversioned symlink Debian installs in ``/usr/share/java``; a versioned file
(``name-1.2.3.jar``) is accepted when the symlink is missing.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

from ecosystem_graph.errors import EcosystemGraphError

DEFAULT_JAVA_DIRS: tuple[Path, ...] = (Path("/usr/share/java"),)

#: The jars OwlCheck.java needs, found by removing each in turn and running the check (see docs/reasoning-dl.md).
REQUIRED_JARS: tuple[str, ...] = (
    "owlapi-distribution",  # api, impl, parsers, rio bridge, profiles (all OWL API modules, inlined)
    "guava",
    "caffeine",
    "commons-io",
    "commons-codec",
    "commons-rdf-api",
    "hppcrt",
    "atinject-jsr330-api",  # javax.inject
    "jsr305",
    "xz",
    "rdf4j-model",
    "rdf4j-model-api",
    "rdf4j-model-vocabulary",
    "rdf4j-util",
    "rdf4j-rio-api",
    "rdf4j-rio-turtle",
    "rdf4j-rio-datatypes",
    "rdf4j-rio-languages",
    "slf4j-api",
    # The binding is required, not cosmetic: OWL API reports unparsed triples only through its log, and
    # OwlCheck.java reads slf4j-simple's output to turn them into findings.
    "slf4j-simple",
)

_VERSIONED = re.compile(r"^(?P<name>.+?)-(?P<version>\d[\w.~+-]*)\.jar$")


class JavaUnavailable(EcosystemGraphError):
    """No Java runtime, or a jar the OWL API needs is not installed (``apt-get install libowlapi-java``)."""


def find_java(java: str | os.PathLike[str] | None = None) -> str:
    """The ``java`` executable: the argument, else ``$JAVA_HOME/bin/java``, else ``java`` on ``PATH``.

    :raises JavaUnavailable: when no Java runtime is found.
    """
    candidates: list[str] = []
    if java is not None:
        candidates.append(os.fspath(java))
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidates.append(str(Path(java_home) / "bin" / "java"))
    candidates.append("java")
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    raise JavaUnavailable("no Java runtime found (install a JRE 11+ or set JAVA_HOME)")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def find_jar(name: str, java_dirs: Iterable[Path] = DEFAULT_JAVA_DIRS) -> Path | None:
    """The jar called ``name`` in one of ``java_dirs``: the unversioned symlink, else the newest versioned file."""
    for directory in java_dirs:
        plain = directory / f"{name}.jar"
        if plain.is_file():
            return plain
        versioned = []
        for path in directory.glob(f"{name}-*.jar"):
            match = _VERSIONED.match(path.name)
            if match and match.group("name") == name:
                versioned.append((_version_key(match.group("version")), path))
        if versioned:
            return max(versioned)[1]
    return None


def owlapi_classpath(java_dirs: Sequence[Path] = DEFAULT_JAVA_DIRS) -> list[Path]:
    """Every jar of :data:`REQUIRED_JARS`, in order.

    :raises JavaUnavailable: naming each jar that is missing.
    """
    found: list[Path] = []
    missing: list[str] = []
    for name in REQUIRED_JARS:
        jar = find_jar(name, java_dirs)
        if jar is None:
            missing.append(name)
        else:
            found.append(jar)
    if missing:
        dirs = ", ".join(str(d) for d in java_dirs)
        raise JavaUnavailable(
            f"OWL API jars missing from {dirs}: {', '.join(missing)} (apt-get install libowlapi-java libslf4j-java)"
        )
    return found
