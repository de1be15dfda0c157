"""FES 2.0 temporal operators (During, After, Before, TEquals) with gml:TimePeriod and
gml:TimeInstant, and comparisons on a dateTime property, over the synthetic
'observations' (timestamps written in Z, +07:00 and -03:30, some with milliseconds, two
missing). Expected: ISO 19108 relations of each instant with the literal, computed in
Python from the timestamps the fixture wrote (conftest.make_observations)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from wfs_support import TRANSPORTS, cmp, select, vr

UTC = timezone.utc


def iso(t: datetime) -> str:
    s = t.astimezone(UTC).isoformat(timespec="milliseconds" if t.microsecond else "seconds")
    return s.replace("+00:00", "Z")


def period(begin: str, end: str) -> str:
    return (f'<gml:TimePeriod gml:id="tp1"><gml:beginPosition>{begin}</gml:beginPosition>'
            f'<gml:endPosition>{end}</gml:endPosition></gml:TimePeriod>')


def instant(t: str) -> str:
    return f'<gml:TimeInstant gml:id="ti1"><gml:timePosition>{t}</gml:timePosition></gml:TimeInstant>'


def temporal(op: str, literal: str) -> str:
    return f"<fes:{op}>{vr('observed')}{literal}</fes:{op}>"


def ids_where(wfs_expected, observations, predicate) -> list[int]:
    """Served ids of the observations whose timestamp satisfies predicate (None never does)."""
    by_seq = {o.seq: o for o in observations}
    exp = wfs_expected("observations")
    return sorted(i for i, f in exp.by_id.items()
                  if by_seq[f.properties["seq"]].observed is not None
                  and predicate(by_seq[f.properties["seq"]].observed))


def at(observations, seq: int) -> datetime:
    return next(o.observed for o in observations if o.seq == seq)


T0 = datetime(2024, 1, 5, tzinfo=UTC)
T1 = datetime(2024, 1, 10, 12, tzinfo=UTC)


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_during_period(http, base_url, wfs_expected, observations, transport):
    want = ids_where(wfs_expected, observations, lambda t: T0 < t < T1)
    assert 5 < len(want) < 45
    assert select(http, base_url, "observations", temporal("During", period(iso(T0), iso(T1))), transport) == want


def test_during_excludes_the_ends(http, base_url, wfs_expected, observations):
    """During is strict (ISO 19108: begin < t < end): features exactly at the ends are out."""
    begin, end = at(observations, 12), at(observations, 20)
    want = ids_where(wfs_expected, observations, lambda t: begin < t < end)
    assert len(want) == 7
    assert select(http, base_url, "observations", temporal("During", period(iso(begin), iso(end))), "post") == want


def test_during_with_offsets_and_milliseconds(http, base_url, wfs_expected, observations):
    begin = at(observations, 3)  # has milliseconds
    end = at(observations, 31)
    local_begin = begin.astimezone(timezone(timedelta(hours=7))).isoformat(timespec="milliseconds")
    local_end = end.astimezone(timezone(timedelta(hours=-3, minutes=-30))).isoformat(timespec="milliseconds")
    want = ids_where(wfs_expected, observations, lambda t: begin < t < end)
    assert select(http, base_url, "observations", temporal("During", period(local_begin, local_end)), "post") == want


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_after_instant(http, base_url, wfs_expected, observations, transport):
    t0 = datetime(2024, 1, 8, 12, tzinfo=UTC)
    want = ids_where(wfs_expected, observations, lambda t: t > t0)
    assert select(http, base_url, "observations", temporal("After", instant(iso(t0))), transport) == want


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_before_instant(http, base_url, wfs_expected, observations, transport):
    t0 = datetime(2024, 1, 8, 12, tzinfo=UTC)
    want = ids_where(wfs_expected, observations, lambda t: t < t0)
    assert select(http, base_url, "observations", temporal("Before", instant(iso(t0))), transport) == want


def test_after_and_before_at_an_observation_are_strict(http, base_url, wfs_expected, observations):
    t0 = at(observations, 25)
    after = ids_where(wfs_expected, observations, lambda t: t > t0)
    before = ids_where(wfs_expected, observations, lambda t: t < t0)
    assert select(http, base_url, "observations", temporal("After", instant(iso(t0))), "post") == after
    assert select(http, base_url, "observations", temporal("Before", instant(iso(t0))), "post") == before
    assert len(after) + len(before) == 47  # 50 - 2 without a timestamp - the one at t0


def test_after_period_is_after_its_end(http, base_url, wfs_expected, observations):
    want = ids_where(wfs_expected, observations, lambda t: t > T1)
    assert select(http, base_url, "observations", temporal("After", period(iso(T0), iso(T1))), "post") == want


def test_before_period_is_before_its_begin(http, base_url, wfs_expected, observations):
    want = ids_where(wfs_expected, observations, lambda t: t < T0)
    assert select(http, base_url, "observations", temporal("Before", period(iso(T0), iso(T1))), "post") == want


def test_tequals_instant(http, base_url, wfs_expected, observations):
    t0 = at(observations, 17)
    want = ids_where(wfs_expected, observations, lambda t: t == t0)
    assert len(want) == 1
    assert select(http, base_url, "observations", temporal("TEquals", instant(iso(t0))), "post") == want


@pytest.mark.parametrize("op, test", [
    ("PropertyIsGreaterThanOrEqualTo", lambda t, t0: t >= t0),
    ("PropertyIsLessThan", lambda t, t0: t < t0),
])
def test_date_time_comparisons(http, base_url, wfs_expected, observations, op, test):
    t0 = at(observations, 30)
    want = ids_where(wfs_expected, observations, lambda t: test(t, t0))
    assert select(http, base_url, "observations", cmp(op, "observed", iso(t0)), "kvp") == want


def test_date_time_between(http, base_url, wfs_expected, observations):
    lo, hi = at(observations, 5), at(observations, 15)
    body = (f"<fes:PropertyIsBetween>{vr('observed')}<fes:LowerBoundary><fes:Literal>{iso(lo)}</fes:Literal>"
            f"</fes:LowerBoundary><fes:UpperBoundary><fes:Literal>{iso(hi)}</fes:Literal></fes:UpperBoundary>"
            "</fes:PropertyIsBetween>")
    want = ids_where(wfs_expected, observations, lambda t: lo <= t <= hi)
    assert len(want) == 10  # 5..15 inclusive, without 10 (no timestamp)
    assert select(http, base_url, "observations", body, "post") == want


def test_missing_timestamps_are_null(http, base_url, wfs_expected, observations):
    body = f"<fes:PropertyIsNull>{vr('observed')}</fes:PropertyIsNull>"
    exp = wfs_expected("observations")
    want = sorted(i for i, f in exp.by_id.items() if f.properties["seq"] in (10, 37))
    assert select(http, base_url, "observations", body, "post") == want
