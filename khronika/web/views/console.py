"""The analyst console under `/console` (login required)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["ROUTES"]

ROUTES: list[tuple[str, Callable[..., Any], str, bool, tuple[str, ...]]] = []
