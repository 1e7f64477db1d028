"""Print the packages whose installed version (a ``pip freeze``) differs from requirements/lock.txt.

Used by scripts/check-newest to say which new releases the quick suite is about to try.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found


def main(lock: str, freeze: str) -> None:
    locked, installed = pins(Path(lock)), pins(Path(freeze))
    changed = sorted(name for name in installed if locked.get(name) != installed[name])
    for name in changed:
        print(f"{name}: lock {locked.get(name, '-')} -> newest {installed[name]}")
    print(f"{len(changed)} of {len(installed)} packages differ from the lock")


if __name__ == "__main__":
    main(*sys.argv[1:3])
