"""The model generator made ready beside the build, when its models will not come from the cache.

Importing datamodel-code-generator costs more than building a small spec's IR. A forked child imports
it while this process loads the spec and builds the IR, then runs the one job it is sent. Whether the
models will be made at all is guessed from the schemas' digests: a wrong guess only costs time (an
unused child, or the run done here as before), never output.
"""

from __future__ import annotations

import functools
from multiprocessing.connection import Connection
from typing import Any

from . import cache
from .background import Background, worth_it
from .resolve import ResolvedSpec
from .validator_pieces import OTHER_FILES, cut

_NAMESPACE = "models-made"
_SCHEMAS = "/components/schemas/"


class Worker:
    """A child with the model generator imported, waiting for one (document, template data) job."""

    def __init__(self) -> None:
        import multiprocessing

        self._jobs_out: Connection
        jobs_in, self._jobs_out = multiprocessing.get_context("fork").Pipe(duplex=False)
        self._child = Background(functools.partial(_serve, jobs_in))
        jobs_in.close()
        self._sent = False

    def run(self, document: dict[str, Any], data: dict[str, dict[str, Any]]) -> str | None:
        """The module the model generator writes, or None if the child could not say (run it here then)."""
        if self._sent:
            return None
        self._sent = True
        try:
            self._jobs_out.send((document, data))
        except (OSError, ValueError):
            return None
        finally:
            self._jobs_out.close()
        source = self._child.result()
        return source if isinstance(source, str) else None

    def stop(self) -> None:
        """Not needed after all (or the run is over): the child goes."""
        if not self._sent:
            self._sent = True
            self._jobs_out.close()  # the child sees the end of its jobs and returns
        self._child.stop()


# One small model: running it loads what the first real run would (the model generator's modules, its
# templates and ours) while the parent works.
_WARM_UP = {"openapi": "3.1.0", "info": {"title": "models", "version": "0"}, "paths": {},
            "components": {"schemas": {"Ready": {"type": "object", "properties": {"ready": {"type": "boolean"}}}}}}


def warm_up() -> None:
    """Load the model generator's modules and templates by a run on one small model."""
    from .models import ModelGenerationError, _run

    try:
        _run(_WARM_UP, {})
    except ModelGenerationError:
        pass  # the real job says what is wrong, if anything is


def _serve(jobs: Connection) -> str | None:
    from .models import _run

    warm_up()
    try:
        document, data = jobs.recv()
    except (EOFError, OSError):
        return None
    return _run(document, data)


def _key(spec: ResolvedSpec) -> str | None:
    pieces = cut(spec)
    if pieces is None:
        return None
    schemas = [f"{piece}\0{digest}" for piece, digest in pieces.digests.items() if piece.startswith(_SCHEMAS)]
    # Per spec file: specs without named schemas (models made of inline ones) would all share a key.
    return cache.key(_NAMESPACE, (cache.version("datamodel-code-generator"), cache.generator_digest(),
                                  spec.root.uri, pieces.digests[OTHER_FILES], *schemas))


def start(spec: ResolvedSpec, *, most: int) -> Worker | None:
    """A worker, when the models of this spec's schemas were never made before and there are fewer
    than `most` schemas (from there on, the models are made in groups by workers of their own)."""
    if not worth_it():
        return None
    pieces = cut(spec)
    key = _key(spec)
    if pieces is None or key is None or cache.get(_NAMESPACE, key) == "made":
        return None
    if sum(piece.startswith(_SCHEMAS) for piece in pieces.digests) >= most:
        return None
    return Worker()


def made(spec: ResolvedSpec) -> None:
    """The models of these schemas are in the cache now: the next run needs no worker for them."""
    key = _key(spec)
    if key is not None:
        cache.put(_NAMESPACE, key, "made")
