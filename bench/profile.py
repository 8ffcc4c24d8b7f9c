"""cProfile of one Careforge build (every stage but writing), in process.

    python -m bench.profile SPEC [--rules RULES] [--strict] [--top N] [--out FILE.prof]

Prints the top functions by cumulative time (generator/ and its libraries), the callers of black
and of ast.parse, and how black's time splits between .py files and Markdown examples.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import time
from pathlib import Path

from .common import ROOT


def _clean(text: str) -> str:
    """Library paths shortened to `site-packages/...` and the repository's to relative paths."""
    text = text.replace(str(ROOT) + "/", "")
    text = re.sub(r"\S*/site-packages/", "", text)
    return re.sub(r"\S*/lib/python3\.\d+/", "stdlib/", text)


def profile(spec: Path, rules: Path | None, strict: bool, top: int, dump: Path | None) -> str:
    from generator.diagnostics import SpecError
    from generator.pipeline import Target, build

    target = Target(spec=spec, out=Path("unused"), rules=rules, strict=strict, package=None,
                    display=spec.name)
    # Black's markdown examples and .py files: count them through a wrapper.
    import black

    counts = {"py": [0, 0.0], "md": [0, 0.0]}
    original = black.format_str

    def format_str(source: str, *, mode: object) -> str:
        kind = "py" if source.count("\n") > 40 else "md"  # examples in Markdown are a few lines each
        start = time.perf_counter()
        try:
            return original(source, mode=mode)  # type: ignore[arg-type]
        finally:
            counts[kind][0] += 1
            counts[kind][1] += time.perf_counter() - start

    black.format_str = format_str  # format.py calls black.format_str through the module
    import generator.format as fmt

    captured: list[object] = []
    original_format_files = fmt.format_files

    def format_files(files: object) -> object:
        captured.append(files)
        return original_format_files(files)

    fmt.format_files = format_files  # the pipeline imports it by name at call time
    profiler = cProfile.Profile()
    started = time.perf_counter()
    outcome = "built"
    profiler.enable()
    try:
        build(target)
    except SpecError as exc:
        outcome = f"spec errors: {len(exc.diagnostics)}"
    except Exception as exc:  # a bug in the generator: still worth the profile up to that point
        outcome = f"failed: {type(exc).__name__}: {str(exc)[:200]}"
    profiler.disable()
    black.format_str = original
    fmt.format_files = original_format_files
    wall = time.perf_counter() - started
    per_file = _black_per_file(captured[0]) if captured else ""
    if dump:
        profiler.dump_stats(str(dump))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    head = (f"cProfile of build({spec.name}): {outcome}; {wall:.2f} s under the profiler\n"
            f"black.format_str in this process: {counts['py'][0]} calls on modules ({counts['py'][1]:.2f} s), "
            f"{counts['md'][0]} calls on short snippets, mostly Markdown examples ({counts['md'][1]:.2f} s); "
            "modules that format_files hands to worker processes are not seen by cProfile\n")
    return head + _clean(_trim(out.getvalue())) + per_file


def _black_per_file(files: object) -> str:
    """black.format_str on each Python file that format_files was given, one after the other, timed."""
    import black

    from generator.format import black_mode

    mode = black_mode()
    python = [p for p in getattr(files, "python_files", []) if p not in getattr(files, "verbatim", ())]
    timings = []
    for path in python:
        source = files.files[path]  # type: ignore[attr-defined]
        start = time.perf_counter()
        try:
            black.format_str(source, mode=mode)  # type: ignore[arg-type]
        except Exception:
            pass
        timings.append((time.perf_counter() - start, path, source.count("\n")))
    timings.sort(reverse=True)
    total = sum(t for t, _, _ in timings)
    lines = [f"\nblack.format_str on each of the {len(timings)} Python files format_files formats (not the verbatim "
             f"runtime copies), one after the other in one process: {total:.2f} s in all; the largest:"]
    lines += [f"  {t:7.2f} s  {n:7d} lines  {path}" for t, path, n in timings[:8]]
    lines += _ruff_on(files, python)
    return "\n".join(lines)


def _ruff_on(files: object, python: list[str]) -> list[str]:
    """The same unformatted files through `ruff format` (openapi-python-client's formatter, in the
    peers' venv): what the formatting stage would cost with a compiled formatter."""
    import resource
    import subprocess
    import tempfile

    from .common import PEERS_BIN

    ruff = PEERS_BIN / "ruff"
    if not ruff.exists():
        return ["", "ruff format: not measured (the peers' venv has no ruff)"]
    version = subprocess.run([str(ruff), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    with tempfile.TemporaryDirectory() as folder:
        for path in python:
            target = Path(folder) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files.files[path], encoding="utf-8")  # type: ignore[attr-defined]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([str(ruff), "format", "--no-cache", "--line-length", "88", "--target-version",
                               "py310", folder], capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    outcome = "ok" if done.returncode == 0 else f"exit {done.returncode}"
    return ["", f"{version} (`ruff format`, the formatter openapi-python-client uses) on the same {len(python)} "
                f"unformatted files: {wall:.2f} s wall, {cpu:.2f} s CPU ({outcome})"]


def _trim(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    return "\n".join(line.rstrip() for line in lines[start:] if line.strip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("spec", type=Path)
    parser.add_argument("--rules", type=Path)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    print(profile(args.spec, args.rules, args.strict, args.top, args.out))


if __name__ == "__main__":
    sys.setrecursionlimit(10000)
    main()
