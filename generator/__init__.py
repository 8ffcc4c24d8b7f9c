"""Careforge: typed, tested, publishable Python clients from hand-written OpenAPI specs."""

__version__ = "0.1.0"
