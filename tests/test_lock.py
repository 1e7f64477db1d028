"""The lock (requirements/lock.txt) pins what CI tests, within the ranges pyproject.toml promises users."""

from __future__ import annotations

import os
import tomllib
from importlib import metadata

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO

LOCK = REPO / "requirements" / "lock.txt"


def locked() -> dict[str, tuple[str, Requirement]]:
    """Each pinned package that applies to this interpreter and platform: name -> (version, requirement)."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(("#", " ")):
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(default_environment()):
            (version,) = (spec.version for spec in requirement.specifier)
            pins[canonicalize_name(requirement.name)] = (version, requirement)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(text) for text in [*project["dependencies"], *extras["test"], *extras["bench"]]]


def test_every_declared_dependency_is_pinned_within_its_range() -> None:
    pins = locked()
    for requirement in declared():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in {LOCK.name}: run scripts/lock"
        version = pins[name][0]
        assert requirement.specifier.contains(version, prereleases=True), \
            f"{LOCK.name} pins {name}=={version}, outside {requirement}: run scripts/lock"


def test_what_is_installed_is_what_the_lock_pins() -> None:
    """CI installs with ``-c requirements/lock.txt``; a package at another version means it did not. (The lock also
    pins the bench extra, which the test command does not install: a package that is absent is not checked.)"""
    if not os.environ.get("CI"):
        pytest.skip("a developer's environment may hold other versions; CI's must not")
    wrong = {}
    for name, (version, _) in locked().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
        if installed != version:
            wrong[name] = f"{installed} (lock: {version})"
    assert not wrong, f"installed versions differ from {LOCK.name}: {wrong}"
