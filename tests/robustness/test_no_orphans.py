"""A run killed with SIGKILL leaves no process behind: its validator child and its formatter process
die with it within a second.

A large spec is generated cold, in a session of its own so that every process it starts shares its
process group. The run is timed once, then killed
at moments spread over that time; after each kill, the process group must be empty within a second.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .test_atomic_write import spec

KILL_AT = (0.15, 0.35, 0.55, 0.75)  # shares of a whole run's time
GRACE = 1.0  # seconds the children have to die


def _group(pgid: int) -> list[int]:
    """Processes in a process group (from /proc: no tool needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after the command name, which may hold spaces
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry.name))
    return found


def _start(tmp_path: Path, name: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CAREFORGE_CACHE_DIR": str(tmp_path / f"cache-{name}")}  # cold: the formatter and the validator run
    return subprocess.Popen([sys.executable, "-m", "generator", "generate", "big.yaml", "--out", f"out-{name}"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def test_a_killed_run_leaves_no_process_behind(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text(spec("Orphans", 90, "big"), encoding="utf-8")
    began = time.monotonic()
    timed = _start(tmp_path, "timed")
    most = 1
    while timed.poll() is None:
        most = max(most, len(_group(timed.pid)))
        time.sleep(0.05)
    whole = time.monotonic() - began
    assert timed.returncode == 0
    assert most >= 2, f"the run never had children to leave behind (at most {most} processes)"
    for index, share in enumerate(KILL_AT):
        run = _start(tmp_path, str(index))
        time.sleep(whole * share)
        alive_before = _group(run.pid)
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + GRACE
        while _group(run.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        left = _group(run.pid)
        for pid in left:  # do not leave them to the next test either
            os.kill(pid, signal.SIGKILL)
        assert not left, f"killed at {share:.0%} of the run ({len(alive_before)} processes then): {left} outlived it"
