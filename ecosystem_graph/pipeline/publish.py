"""The sequence every change passes before it is published, for a load and a write alike: the SHACL gate on the
data, then the materialised inferences. One function, so that a setting (the gate's engine, reasoning off) means
the same for both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .. import gate
from ..config import Settings
from ..reasoning.incremental import apply_delta, touches_schema
from ..reasoning.materialise import materialise
from ..sources.files import SourceFile
from ..store import GenerationBuilder
from ..store.memo import SCHEMA_MEMO
from .delta import Delta
from .steps import measured

#: progress(step, done, total)
Progress = Callable[[str, int, int], None]


def no_progress(step: str, done: int, total: int) -> None:
    pass


def gate_and_reason(generation: GenerationBuilder, files: list[SourceFile], settings: Settings, *,
                    seconds: dict[str, float] | None = None, progress: Progress = no_progress,
                    delta: Delta | None = None, peak_rss_mb: dict[str, float] | None = None) -> dict[str, int]:
    """Check ``generation`` against the contract, then materialise its inferences (as far as ``settings`` ask).

    With ``delta`` (a write on a generation that passed both before), the gate checks only the nodes the change
    touched and the inferences follow the change (:mod:`..reasoning.incremental`); without, everything is checked
    and derived. Returns the inferred triples per rule; fills ``seconds`` with each step's time and, when given,
    ``peak_rss_mb`` with each step's peak resident memory (:mod:`.steps`).

    :raises ValidationFailed: the data breaks the SHACL contract (nothing is published).
    """
    seconds = {} if seconds is None else seconds
    inferred: dict[str, int] = {}
    schema_changed = None
    if delta is not None:
        schema_changed = touches_schema(generation, [delta.added, delta.removed])
        if not schema_changed:  # what the gate and the rules work out from the schema holds here too
            SCHEMA_MEMO.carry(delta.based_on, generation.generation_id)
    if settings.validate_shapes:
        progress("validate (SHACL)", 0, 1)
        with measured("validate", seconds, peak_rss_mb):
            gate.check(generation, files, settings.shapes_path, engine=settings.shacl_engine, change=delta)
    if settings.reasoning:
        progress("materialise inferences", 0, 1)
        with measured("reason", seconds, peak_rss_mb):
            if delta is not None:
                inferred = apply_delta(generation, settings.base_iri, added=delta.added, removed=delta.removed,
                                       schema_changed=schema_changed)
            else:
                inferred = materialise(generation, settings.base_iri, scratch_dir=_scratch_dir(settings))
    return inferred


def _scratch_dir(settings: Settings) -> Path | None:
    """Where the reasoner's scratch store goes: beside the generations (same disk), or the temporary folder."""
    return settings.store_dir / "scratch" if settings.backend == "embedded" else None
