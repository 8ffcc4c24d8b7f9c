"""`careforge publish`: build the packages and upload them with twine, but only fresh, tested ones.

Before anything is built or uploaded, every package named must be fresh (the drift check: its folder
is exactly what its spec generates) and pass its own tests (run as `make test-generated` runs them).
One failure refuses the whole run (exit 1) and nothing is uploaded. Credentials come from
CAREFORGE_REPOSITORY_USERNAME / CAREFORGE_REPOSITORY_PASSWORD, reach twine through its environment
(never its command line) and are never printed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import children
from .console import Echo, UsageProblem, plain_echo
from .build_dist import DistError, build_all, tail, twine
from .checks.drift import drift
from .pipeline import Target, build

USERNAME_ENV = "CAREFORGE_REPOSITORY_USERNAME"
PASSWORD_ENV = "CAREFORGE_REPOSITORY_PASSWORD"
DIFF_LINES = 20
TWINE_OURS = ("TWINE_USERNAME", "TWINE_PASSWORD", "TWINE_REPOSITORY", "TWINE_REPOSITORY_URL")


def checked_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageProblem(f"--repository-url {url!r} is not an http(s) URL")
    if parts.username is not None or parts.password is not None:
        raise UsageProblem(f"--repository-url must not hold credentials: set {USERNAME_ENV} and {PASSWORD_ENV}")
    return url


def credentials() -> tuple[str, str]:
    username, password = os.environ.get(USERNAME_ENV, ""), os.environ.get(PASSWORD_ENV, "")
    if not username or not password:
        raise UsageProblem(f"set {USERNAME_ENV} and {PASSWORD_ENV} (any values for an index that does not "
                               "check them)")
    return username, password


def publish(targets: Sequence[Target], *, repository_url: str, out_dir: Path, skip_existing: bool = False,
            releases_url: str | None = None, check_version: bool = True, echo: Echo = plain_echo) -> int:
    """0 when every package was uploaded; 1 when refused (stale, failing tests, a version lower than the
    changes since the last release demand) or when a step failed."""
    url = checked_url(repository_url)
    username, password = credentials()
    refusals = [f"{target.out}: {reason}" for target, reason in refusals_of(targets, echo) if reason]
    if check_version and not refusals:
        refusals = [f"{target.out}: {reason}" for target, reason in version_refusals(targets, releases_url, url) if reason]
    if refusals:
        for line in refusals:
            echo(f"refused: {line}", err=True)
        echo("careforge: refusing to publish; nothing was built or uploaded", err=True)
        return 1
    try:
        files = build_all([target.out for target in targets], out_dir, echo)
        upload(files, url, username, password, skip_existing=skip_existing, echo=echo)
    except DistError as exc:
        echo(f"careforge: {exc}", err=True)
        return 1
    return 0


def version_refusals(targets: Sequence[Target], releases_url: str | None,
                     repository_url: str) -> list[tuple[Target, str | None]]:
    from .release_check import IndexUnreadable, releases_url_for, version_refusal

    where = releases_url or releases_url_for(repository_url)
    results: list[tuple[Target, str | None]] = []
    for target in targets:
        try:
            results.append((target, version_refusal(target.out, where)))
        except IndexUnreadable as exc:
            results.append((target, f"cannot check its version against the index {where}: {exc}; pass --releases-url, "
                                    "or --allow-version to publish without the check"))
    return results


def refusals_of(targets: Sequence[Target], echo: Echo = plain_echo) -> list[tuple[Target, str | None]]:
    """Why each target must not be published (None: it may be).

    A package's tests run (in a subprocess, one package at a time) while the next package's drift
    check runs here: on two cores that hides most of the tests' time.
    """
    results: list[tuple[Target, str | None]] = []
    with ThreadPoolExecutor(max_workers=1) as tests:
        pending: list[tuple[Target, Future[str | None]]] = []
        for target in targets:
            reason = staleness(target, echo)
            if reason:
                results.append((target, reason))
            else:
                pending.append((target, tests.submit(failing_tests, target.out, echo)))
        results += [(target, future.result()) for target, future in pending]
    return results


def staleness(target: Target, echo: Echo = plain_echo) -> str | None:
    built = build(target)  # a spec error raises SpecError (exit 2)
    differences = drift(target.out, built.files, str(target.out))
    if not differences:
        echo(f"fresh: {target.out} is what {target.label} generates")
        return None
    shown = differences[:DIFF_LINES] + (["..."] if len(differences) > DIFF_LINES else [])
    echo("\n".join(shown), err=True)
    return f"not fresh: it differs from what {target.label} generates; run `make generate` (and commit)"


def failing_tests(folder: Path, echo: Echo = plain_echo) -> str | None:
    # As `make test-generated` runs them: in the package folder, importing the package from there.
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    result = children.run(command, cwd=folder, env={**os.environ, "PYTHONPATH": "."}, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        echo(f"tests of {folder}:\n{tail(result.stdout + result.stderr)}", err=True)
        return f"its tests fail (pytest exited {result.returncode})"
    lines = result.stdout.strip().splitlines()
    echo(f"tests: {folder}: {lines[-1] if lines else 'passed'}")
    return None


def upload(files: Sequence[Path], url: str, username: str, password: str, *, skip_existing: bool,
           echo: Echo = plain_echo) -> None:
    # Where to and as whom come from us alone; twine's other settings (TWINE_CERT, ...) still apply.
    env = {key: value for key, value in os.environ.items() if key not in TWINE_OURS}
    env.update(TWINE_USERNAME=username, TWINE_PASSWORD=password)
    options = ["--non-interactive", "--disable-progress-bar", "--repository-url", url]
    result = twine("upload", *options, *(["--skip-existing"] if skip_existing else []),
                   *(str(f) for f in files), env=env)
    if result.returncode != 0:
        output = redact(result.stdout + result.stderr, password)
        unreachable = _network_problem(output)
        if unreachable:
            raise DistError(f"cannot reach the package index {url}: {unreachable}; nothing was uploaded")
        raise DistError(f"twine upload to {url} failed:\n{tail(output)}")
    for path in files:
        echo(f"uploaded {path.name}")
    echo(f"published {len(files)} distributions to {url}")


_LONG_SECRET = 8
_NETWORK = (("Connection refused", "connection refused"), ("Name or service not known", "no such host"),
            ("nodename nor servname", "no such host"), ("Temporary failure in name resolution", "no such host"),
            ("CERTIFICATE_VERIFY_FAILED", "its TLS certificate is not trusted"), ("timed out", "timed out"),
            ("Max retries exceeded", "no answer"))


def _network_problem(output: str) -> str | None:
    return next((said for needle, said in _NETWORK if needle in output), None)


def redact(text: str, secret: str) -> str:
    """`text` with every whole occurrence of `secret` (as is, or percent-encoded in a URL) starred. A short
    secret inside a longer word is not the secret (a password "p" leaves "upload" alone); one of eight
    characters or more is starred wherever it is."""
    if not secret:
        return text
    for form in dict.fromkeys((secret, quote(secret, safe=""))):
        pattern = re.escape(form)
        if len(form) < _LONG_SECRET:
            pattern = rf"(?<![A-Za-z0-9]){pattern}(?![A-Za-z0-9])"
        text = re.sub(pattern, "********", text)
    return text
