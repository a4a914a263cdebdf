"""One row of the URL table (`khronika.web.routes.ROUTES`): what answers a path, and how."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Route"]


@dataclass(frozen=True, slots=True)
class Route:
    """A path and the view that answers it.

    Attributes:
        path: the path pattern (Starlette syntax: `/people/{person_id}`).
        endpoint: the view.
        name: the route's name (`request.url_for(name)`).
        documented: whether `/openapi.json` describes it (the public API and exports).
        methods: the HTTP methods it answers.
    """

    path: str
    endpoint: Callable[..., Any]
    name: str
    documented: bool = False
    methods: tuple[str, ...] = ("GET",)
