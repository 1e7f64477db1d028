"""Apache Jena (Debian ``libapache-jena-java``) as a real SPARQL client: ``JenaClient.java`` beside this file,
compiled once and run in one JVM for all queries (a JVM start with Jena costs two seconds).

The Debian jars carry no ``Class-Path``, so the classpath lists the jars of the package's dependencies.
Debian's ``jena-core`` also relocates the bundled Xerces classes to ``xerces.*`` but leaves their message
resources under ``org/apache/jena/ext/xerces/``; Xerces then fails to initialise ("internal error" in
``XSSimpleTypeDecl``). :func:`classpath` copies the resources to where the classes look for them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

from ..conftest import require

JAVA_DIR = Path("/usr/share/java")
JARS = ("jena-arq", "jena-base", "jena-core", "jena-iri", "jena-cmds", "commons-cli", "commons-codec",
        "commons-compress", "commons-csv", "commons-io", "commons-lang3", "dexx.collection", "gson", "guava",
        "httpclient", "httpcore", "jackson-core", "jackson-databind", "jackson-annotations", "jsonld-java",
        "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld")
_RELOCATED = "org/apache/jena/ext/xerces/"


def classpath(workdir: Path) -> str:
    """The classpath for Jena's SPARQL client; skips (fails in CI) when Java or a jar is missing."""
    require(shutil.which("java") is not None and shutil.which("javac") is not None, "a JDK is not installed")
    missing = [name for name in JARS if not (JAVA_DIR / f"{name}.jar").exists()]
    require(not missing, f"Jena jars missing in {JAVA_DIR}: {', '.join(missing)} (apt-get install libapache-jena-java)")
    resources = workdir / "xerces-resources"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_RELOCATED) and not name.endswith((".class", "/")):
                target = resources / "xerces" / name[len(_RELOCATED):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return os.pathsep.join([str(resources), *(str(JAVA_DIR / f"{name}.jar") for name in JARS)])


def compile_client(cp: str, workdir: Path) -> str:
    """Compile ``JenaClient.java`` into ``workdir``; returns the classpath that runs it."""
    classes = workdir / "classes"
    classes.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["javac", "-cp", cp, "-d", str(classes), str(Path(__file__).with_name("JenaClient.java"))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"javac failed: {done.stderr[-2000:]}"
    return os.pathsep.join([str(classes), cp])


def run_queries(cp: str, endpoint: str, runs: list[tuple[str, Path]], outdir: Path) -> dict[tuple[str, str], str]:
    """Send each ``(mode, query file)`` with Jena (mode GET, POST or FORM); answers keyed by (file stem, mode)."""
    outdir.mkdir(parents=True, exist_ok=True)
    args = [part for mode, path in runs for part in (mode, str(path))]
    done = subprocess.run(["java", "-cp", cp, "JenaClient", endpoint, str(outdir), *args], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"Jena client failed: {done.stderr[-3000:]}"
    return {(path.stem, mode): (outdir / f"{path.name}.{mode}").read_text(encoding="utf-8") for mode, path in runs}
