"""The event fast path accepts exactly what the model accepts, with the same content."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from pydantic import ValidationError

from khronika.demo import DemoConfig
from khronika.demo.generate import generate
from khronika.model.fastpath import fast_event
from khronika.model.records import Event, content_of

TX = ("recorded", "retracted", "recorded_by", "retracted_by", "retraction_reason")


def _slow(data: dict[str, Any]) -> tuple[dict, dict] | None:
    try:
        event = Event.model_validate(data)
    except ValidationError:
        return None
    return content_of(event), {name: getattr(event, name) for name in TX}


def _events() -> list[dict[str, Any]]:
    return [r for r in generate(DemoConfig(people=300, seed=11)) if r["type"] == "event"]


MUTATIONS = [
    ("seq", "1"),
    ("seq", True),
    ("seq", -1),
    ("seq", 3),
    ("date", "2021-02-30"),
    ("date", 2021),
    ("date", "2021"),
    ("kind", "arrested"),
    ("kind", "recognised"),
    ("by", None),
    ("by", "a b"),
    ("by", "org"),
    ("person", "п1"),
    ("person", ""),
    ("id", "x" * 201),
    ("sources", "s1"),
    ("sources", ["s2", "s1", "s1"]),
    ("sources", [1]),
    ("details", []),
    ("details", {}),
    ("details", {"basis": "pardon"}),
    ("details", {"articles": [342]}),
    ("details", {"articles": ["342"], "court": ""}),
    ("details", {"facility": None}),
    ("recorded", "2024-01-01T00:00:00"),
    ("recorded", "2024-01-01T03:00:00+03:00"),
    ("recorded", "2024-01-01T00:00:00.000000Z"),
    ("retracted", 5),
    ("recorded_by", "x" * 301),
    ("retraction_reason", "why"),
    ("unknown_field", 1),
    ("type", "event"),
]


@pytest.mark.parametrize(
    ("field", "value"), MUTATIONS, ids=[f"{f}={v!r}"[:40] for f, v in MUTATIONS]
)
def test_fast_path_agrees_with_the_model(field: str, value: Any) -> None:
    rng = random.Random(field)
    events = _events()
    for event in rng.sample(events, 40):
        data = copy.deepcopy(event)
        data[field] = value
        fast = fast_event(data)
        if fast is not None:  # the fast path may decline; when it accepts, it must agree
            assert fast == _slow(data), data


def test_fast_path_takes_the_generated_events() -> None:
    events = _events()
    accepted = [e for e in events if fast_event(e) is not None]
    assert len(accepted) == len(events)
    for e in events:
        assert fast_event(e) == _slow(e)
