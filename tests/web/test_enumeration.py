"""No enumeration by timing: a withheld or restricted id takes as long to answer as an id
that never existed (status and body are compared in test_privacy.py)."""

from __future__ import annotations

import statistics
import time

import pytest
from fastapi.testclient import TestClient

ROUNDS = 60


@pytest.mark.parametrize(
    ("path", "hidden"),
    [
        ("/api/v1/people/{}", "w1"),
        ("/api/v1/people/{}", "r1"),
        ("/en/people/{}", "w1"),
        ("/api/v1/events/{}", "ew1"),
        ("/api/v1/events/{}", "ehid1"),
    ],
)
def test_hidden_and_missing_ids_take_the_same_time(
    client: TestClient, path: str, hidden: str
) -> None:
    times: dict[str, list[float]] = {hidden: [], "zz9": []}
    for key in times:  # warm both paths first
        client.get(path.format(key))
    # Interleaved, so that whatever else the machine does falls on both alike.
    for _ in range(ROUNDS):
        for key, samples in times.items():
            start = time.perf_counter()
            assert client.get(path.format(key)).status_code == 404
            samples.append(time.perf_counter() - start)
    a, b = (statistics.median(v) for v in times.values())
    # Within noise: a quarter of the answer's time plus a millisecond of scheduling.
    assert abs(a - b) <= 0.25 * min(a, b) + 0.001, (a, b)
