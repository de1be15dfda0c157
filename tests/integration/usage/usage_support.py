"""What the usage tests share: waiting until every request so far is in the store, reading
the count tables with plain SQL (sqlite3 or psycopg2, not AMIS's code), and the tests' own
tally of what they asked for."""
from __future__ import annotations

import time
from collections import Counter

import requests

from store_support import rows

DIMENSIONS = ("collection", "service", "operation", "country")


def settle(http: requests.Session, url: str, timeout: float = 20) -> dict:
    """Waits until the aggregator has written every event accepted so far (the status request
    itself is counted after its answer) and returns the status."""
    deadline = time.monotonic() + timeout
    polls = 0
    # An exchange is recorded just after its answer is sent: a request answered a moment ago
    # (the server's start-up probe) may not be accepted yet when the first status is read.
    time.sleep(0.2)
    while True:
        status = http.get(f"{url}/usage", timeout=10).json()["status"]
        polls += 1
        if status["written"] == status["accepted"] and status["pending"] == 0:
            status["polls"] = polls  # status requests of this wait, the last not yet counted
            return status
        assert time.monotonic() < deadline, f"usage counts not written in {timeout} s: {status}"
        time.sleep(0.2)


def stored_counts(store, table: str = "amis_usage_daily") -> Counter:
    """(collection, service, operation, country) -> requests, read from the store directly,
    leaving out the usage API's own requests (the tests poll it)."""
    got = rows(store, f"SELECT collection, service, operation, country, sum(requests) FROM {table} "
                      "WHERE service <> 'usage' GROUP BY collection, service, operation, country")
    return Counter({tuple(r[:4]): int(r[4]) for r in got})


def api_counts(http: requests.Session, url: str, **params) -> Counter:
    doc = http.get(f"{url}/usage/daily", params={"group": ",".join(DIMENSIONS), **params}, timeout=10).json()
    return Counter({tuple(r[d] for d in DIMENSIONS): r["requests"] for r in doc["rows"] if r["service"] != "usage"})


def difference(after: Counter, before: Counter) -> Counter:
    out = Counter(after)
    out.subtract(before)
    return Counter({k: v for k, v in out.items() if v})
