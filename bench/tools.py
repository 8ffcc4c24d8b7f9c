"""The three generators as commands: Careforge, openapi-python-client and OpenAPI Generator (python)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .common import CAREFORGE, MAIN_PY, PEERS_BIN, ROOT, Run, measure

OPC = PEERS_BIN / "openapi-python-client"
OG = PEERS_BIN / "openapi-generator-cli"


@dataclass(frozen=True)
class Tool:
    key: str
    label: str

    def available(self) -> str | None:
        """None when the tool can run here, else why not."""
        if self.key == "careforge":
            return None if CAREFORGE.exists() else "careforge is not installed in the project's venv"
        if self.key == "opc":
            return None if OPC.exists() else "not installed (bench/.venv-peers is missing)"
        if not OG.exists():
            return "not installed (bench/.venv-peers is missing)"
        if shutil.which("java") is None:
            return "not measured: no Java runtime"
        return None


CAREFORGE_TOOL = Tool("careforge", "Careforge")
OPC_TOOL = Tool("opc", "openapi-python-client 0.29.1")
OG_TOOL = Tool("og", "OpenAPI Generator 7.26.0 (python)")
TOOLS = (CAREFORGE_TOOL, OPC_TOOL, OG_TOOL)

# The peers' own environment first on PATH: openapi-python-client runs its `ruff` post-hooks from there.
PEER_ENV = {"PATH": f"{PEERS_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


# Careforge runs as `careforge` with a stopwatch on each stage (bench/careforge_staged.py): same CLI
# entry point, same arguments; the wrappers cost microseconds.
STAGED = [str(MAIN_PY), "-m", "bench.careforge_staged"]


def staged_env(stages: Path | None, workaround: bool = False, cache: Path | str | None = None) -> dict[str, str]:
    """`cache`: Careforge's content-addressed cache folder (CAREFORGE_CACHE_DIR; "off" disables it).
    The bench never lets Careforge use the user's own cache folder."""
    env = {"PYTHONPATH": str(ROOT), "CAREFORGE_CACHE_DIR": str(cache) if cache is not None else "off"}
    if stages is not None:
        env["BENCH_STAGES"] = str(stages)
    if workaround:
        env["BENCH_WORKAROUND"] = "positional-args"
    return env


def command(tool: Tool, spec: Path, out: Path, package: str) -> tuple[list[str], dict[str, str]]:
    """The documented command line of each tool for `spec` into `out` (which must not exist)."""
    if tool.key == "careforge":
        return [*STAGED, "generate", str(spec), "--out", str(out), "--package", package], {}
    if tool.key == "opc":
        return [str(OPC), "generate", "--path", str(spec), "--output-path", str(out), "--overwrite"], PEER_ENV
    return [str(OG), "generate", "-g", "python", "-i", str(spec), "-o", str(out), "--package-name", package], PEER_ENV


def careforge_vendor_command(root: Path, vendor: str | None, staged: bool = True) -> list[str]:
    """`careforge generate [VENDOR]` in a scratch project folder (specs/ copied, generated/ scratch).

    staged=False runs the plain `careforge` script: the stopwatch imports every stage's module up
    front, which a no-change run never does."""
    program = STAGED if staged else [str(CAREFORGE)]
    return [*program, "generate", "--root", str(root)] + ([vendor] if vendor else [])


def run_tool(tool: Tool, spec: Path, out: Path, package: str, timeout: float = 900.0,
             extra_env: dict[str, str] | None = None) -> Run:
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd, env = command(tool, spec, out, package)
    return measure(cmd, env={**env, **(extra_env or {})}, timeout=timeout, cwd=out.parent)


def shown(cmd: list[str]) -> str:
    """A command as it may appear in the results: program names and repo-relative paths only."""
    from .common import rel

    if cmd[:3] == STAGED:
        cmd = ["careforge", *cmd[3:]]
    parts = []
    for part in cmd:
        if os.sep in part:
            p = Path(part)
            parts.append(p.name if p.parent in (PEERS_BIN, CAREFORGE.parent) else rel(p))
        else:
            parts.append(part)
    return " ".join(parts)
