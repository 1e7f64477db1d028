"""Cutting a query process off the network, so that no query can reach it, whatever a check upstream missed.

On Linux the process moves into a network namespace of its own, which holds only a loopback interface that is
down: every ``connect`` fails with "network unreachable", while the pipes it already holds (its only link to the
server) keep working. That needs CAP_SYS_ADMIN (root, or a container that grants it), or unprivileged user
namespaces, tried second. Elsewhere (macOS, Windows, a container that allows neither) the process keeps the
network and says so once in the log: the parse checks (:mod:`..syntax`) are then the only guard.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

log = logging.getLogger(__name__)

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


def cut_network() -> bool:
    """Move this process into an empty network namespace. True if it is now offline."""
    if not sys.platform.startswith("linux"):
        log.warning("query processes keep network access on %s (no network namespaces)", sys.platform)
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    for flags in (_CLONE_NEWNET, _CLONE_NEWUSER | _CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return True
        error = ctypes.get_errno()
    log.warning("query process %d keeps network access: unshare(CLONE_NEWNET) failed: %s", os.getpid(),
                os.strerror(error))
    return False
