"""cProfile of one Careforge build (every stage but writing), in one process.

    python -m bench.profile SPEC [--rules RULES] [--strict] [--top N] [--out FILE.prof]

Work the generator runs beside the stages (the OpenAPI validator, model groups) is run in this
process instead, so the profile sees it; the formatter is a compiled program in a child process, seen
here as the time spent waiting for it. Prints the top functions by cumulative time and the seconds
each stage took.
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
    import generator.background as background

    # Before any stage module imports it by name: everything in this process, where the profiler sees it.
    background.worth_it = lambda: False
    from generator.diagnostics import SpecError
    from generator.pipeline import Target, build

    target = Target(spec=spec, out=Path("unused"), rules=rules, strict=strict, package=None, display=spec.name)
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
    wall = time.perf_counter() - started
    if dump:
        profiler.dump_stats(str(dump))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    head = f"cProfile of build({spec.name}): {outcome}; {wall:.2f} s under the profiler, in one process\n"
    return head + _clean(_trim(out.getvalue()))


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
