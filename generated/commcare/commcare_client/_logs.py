"""The package's log, under its import name; `<PACKAGE>_LOG=info` or `=debug` turns it on (as `OPENAI_LOG`).

INFO: one line per HTTP exchange (method, URL, status, time), each retry with its reason and delay, each
rate-limit wait, each OAuth2 token request. DEBUG adds the headers of each exchange. Credentials are
shown as <redacted> (see _redact); bodies are never logged. With the variable unset nothing is
installed, and each site checks `isEnabledFor` first, so a quiet log costs next to nothing.
"""

from __future__ import annotations

import logging
import os

import httpx

from ._redact import redacted_headers, redacted_url

_LEVELS = {"info": logging.INFO, "debug": logging.DEBUG}
_FORMAT = "[%(asctime)s - %(name)s - %(levelname)s] %(message)s"
# The package these runtime modules were copied into: its import name, when a config names none.
_PACKAGE = __name__.rpartition(".")[0] or __name__


def package_logger(name: str = "", variable: str = "") -> logging.Logger:
    """The logger `name`; when the environment variable says info or debug, at that level with a handler."""
    logger = logging.getLogger(name or _PACKAGE)
    level = _LEVELS.get(os.environ.get(variable, "").strip().lower()) if variable else None
    if level is not None:
        # As OPENAI_LOG does: a stderr handler on the root logger, unless the application has one already.
        logging.basicConfig(format=_FORMAT, datefmt="%Y-%m-%d %H:%M:%S")
        logger.setLevel(level)
    return logger


def log_exchange(logger: logging.Logger, response: httpx.Response) -> None:
    """One INFO line for a response (callers check `isEnabledFor(INFO)`); its headers at DEBUG."""
    request = response.request
    url = redacted_url(request.url)
    logger.info('%s %s "%s"%s', request.method, url, _reason(response), _elapsed(response))
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("request headers: %s", redacted_headers(request.headers.items()))
        logger.debug("response headers: %s", redacted_headers(response.headers.items()))


def log_retry(logger: logging.Logger, method: str, url: str, delay: float, why: object, attempt: int,
              retries: int) -> None:
    """An INFO line for a retry: what is repeated, why (a response, an error), and after how long."""
    where = redacted_url(why.request.url if isinstance(why, httpx.Response) else httpx.URL(url))
    logger.info("retrying %s %s in %.2f s (%s; retry %d of %d)", method, where, delay, _reason(why), attempt + 1,
                retries)


def _reason(why: object) -> str:
    if isinstance(why, httpx.Response):
        return f"{why.status_code} {why.reason_phrase}".strip()
    status = getattr(why, "status_code", None)
    if status is not None:  # an APIStatusError from the token endpoint: the request was never sent
        return f"the token endpoint answered {status}"
    return type(why).__name__


def _elapsed(response: httpx.Response) -> str:
    try:
        return f" {response.elapsed.total_seconds():.3f} s"
    except RuntimeError:  # a streamed response not read yet has no elapsed time
        return ""
