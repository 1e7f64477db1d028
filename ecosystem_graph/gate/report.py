"""What the SHACL gate reports, whichever engine ran it: violations in words a curator can act on."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Violation:
    """One SHACL result, in words a curator can act on."""

    focus_node: str
    message: str
    constraint: str
    shape: str
    path: str | None = None
    value: str | None = None
    severity: str = "Violation"
    files: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f" in {', '.join(self.files)}" if self.files else ""
        path = f" {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return (f"{self.severity}{where}: <{self.focus_node}>{path}: {self.message}{value} "
                f"[{self.constraint}, shape {self.shape}]")


@dataclass
class ShapeReport:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    warnings: list[Violation] = field(default_factory=list)
