"""datetime (instants, closed and half-bounded intervals) on the synthetic 'observations'
collection, whose 'observed' timestamps were written with Z, +07:00 and -03:30 offsets.
Expected results are computed in Python from the timestamps the fixture wrote."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

import pytest

from support import get_json

UTC = timezone.utc


def t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def day_start(d: str) -> datetime:
    return datetime.combine(date.fromisoformat(d), time(0), UTC)


def day_end(d: str) -> datetime:
    return day_start(d) + timedelta(days=1) - timedelta(milliseconds=1)


def expected_seqs(observations, start: datetime | None, end: datetime | None) -> list[int]:
    return sorted(o.seq for o in observations if o.observed is not None
                  and (start is None or o.observed >= start) and (end is None or o.observed <= end))


def served_seqs(http, base_url, value: str) -> tuple[list[int], int]:
    page = get_json(http, f"{base_url}/collections/observations/items", limit=1000, datetime=value)
    assert page["numberReturned"] == len(page["features"])
    return sorted(f["properties"]["seq"] for f in page["features"]), page["numberMatched"]


# (datetime parameter, start, end) -- start/end bound the expected instants, inclusive.
CASES = [
    # Instants. seq 1 was written as 12:17+07:00; seq 2 as 10:34Z; seq 4 as 17:38-03:30.
    ("2024-01-01T05:17:00Z", t("2024-01-01T05:17:00Z"), t("2024-01-01T05:17:00Z")),
    ("2024-01-01T17:34:00+07:00", t("2024-01-01T10:34:00Z"), t("2024-01-01T10:34:00Z")),
    ("2024-01-01T17:38:00-03:30", t("2024-01-01T21:08:00Z"), t("2024-01-01T21:08:00Z")),
    ("2024-01-01t05:17:00z", t("2024-01-01T05:17:00Z"), t("2024-01-01T05:17:00Z")),  # RFC 3339 5.6 NOTE
    # Milliseconds matter: seq 3 is at 15:51:00.250Z.
    ("2024-01-01T15:51:00.250Z", t("2024-01-01T15:51:00.250Z"), t("2024-01-01T15:51:00.250Z")),
    ("2024-01-01T15:51:00Z", t("2024-01-01T15:51:00Z"), t("2024-01-01T15:51:00Z")),
    # Closed intervals; both bounds are instants of features and must be included.
    ("2024-01-02T02:25:00Z/2024-01-05T09:40:00Z", t("2024-01-02T02:25:00Z"), t("2024-01-05T09:40:00Z")),
    ("2024-01-03T17:07:00+07:00/2024-01-06T09:05:00+07:00",
     t("2024-01-03T10:07:00Z"), t("2024-01-06T02:05:00Z")),
    ("2024-01-04T00:00:00Z/2024-01-04T23:59:59Z", t("2024-01-04T00:00:00Z"), t("2024-01-04T23:59:59Z")),
    # Half-bounded, with '..' and with an empty side (both allowed by the Part 1 grammar).
    ("2024-01-10T00:00:00Z/..", t("2024-01-10T00:00:00Z"), None),
    ("2024-01-10T00:00:00Z/", t("2024-01-10T00:00:00Z"), None),
    ("../2024-01-02T00:00:00Z", None, t("2024-01-02T00:00:00Z")),
    ("/2024-01-02T00:00:00Z", None, t("2024-01-02T00:00:00Z")),
    ("../2024-01-01T00:00:00Z", None, t("2024-01-01T00:00:00Z")),  # the very first instant only
    # Dates: a whole (UTC) day. seq 26 is 2024-01-07 in +07:00 but 2024-01-06 in UTC.
    ("2024-01-06", day_start("2024-01-06"), day_end("2024-01-06")),
    ("2024-01-07", day_start("2024-01-07"), day_end("2024-01-07")),
    ("2024-01-02/2024-01-03", day_start("2024-01-02"), day_end("2024-01-03")),
    # Everything with a timestamp, and nothing.
    ("1900-01-01T00:00:00Z/2100-01-01T00:00:00Z", None, None),
    ("2030-01-01T00:00:00Z/..", t("2030-01-01T00:00:00Z"), None),
]


@pytest.mark.parametrize("value,start,end", CASES, ids=[c[0] for c in CASES])
def test_datetime_filter(http, base_url, observations, value, start, end):
    expected = expected_seqs(observations, start, end)
    got, matched = served_seqs(http, base_url, value)
    assert got == expected
    assert matched == len(expected)


def test_instant_cases_are_not_vacuous(observations):
    """The instant cases above each select exactly one feature."""
    for value, start, end in CASES[:5]:
        assert len(expected_seqs(observations, start, end)) == 1, value
    assert "2024-01-07" != observations[26].observed.date().isoformat()


def test_features_without_a_timestamp_never_match(http, base_url, observations):
    got, _ = served_seqs(http, base_url, "1900-01-01T00:00:00Z/..")
    missing = {o.seq for o in observations if o.observed is None}
    assert missing and not missing & set(got)
    assert len(got) == len(observations) - len(missing)


def test_without_datetime_every_feature_is_served(http, base_url, observations):
    page = get_json(http, f"{base_url}/collections/observations/items", limit=1000)
    assert page["numberMatched"] == len(observations)


def test_collection_temporal_extent(http, base_url, observations):
    doc = get_json(http, f"{base_url}/collections/observations")
    intervals = doc["extent"]["temporal"]["interval"]
    assert isinstance(intervals, list) and isinstance(intervals[0], list) and len(intervals[0]) == 2, (
        f"interval must be [[start, end]], got {intervals!r}")
    interval = intervals[0]
    instants = [o.observed for o in observations if o.observed]
    assert t(interval[0]) == min(instants)
    assert t(interval[1]) == max(instants)


def test_timestamps_are_served_in_utc(http, base_url, observations):
    page = get_json(http, f"{base_url}/collections/observations/items", limit=1000)
    by_seq = {o.seq: o for o in observations}
    for f in page["features"]:
        o = by_seq[f["properties"]["seq"]]
        value = f["properties"]["observed"]
        if o.observed is None:
            assert value is None
        else:
            assert t(value) == o.observed, f"seq {o.seq}: {value}"


@pytest.mark.parametrize("value", [
    "yesterday",
    "2024-13-01T00:00:00Z",
    "2024-02-30T00:00:00Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T00:00:00",            # RFC 3339 requires an offset
    "2024-01-01T00:00:00+25:00",
    "2024-1-1",
    "",
    "..",
    "../..",
    "/",
    "2024-01-01T00:00:00Z/2024-01-02T00:00:00Z/2024-01-03T00:00:00Z",
    "2024-01-05T00:00:00Z/2024-01-01T00:00:00Z",  # ends before it starts
    "2024-01-01T00:00:00Z/garbage",
])
def test_malformed_datetime_is_400(http, base_url, value):
    r = http.get(f"{base_url}/collections/observations/items", params={"datetime": value}, timeout=30)
    assert r.status_code == 400, f"datetime={value!r}: {r.status_code}"
    body = r.json()
    assert body["code"] and "datetime" in body["description"]


def test_paging_keeps_a_datetime_with_an_offset(http, base_url, observations):
    """'+' in '+07:00' must survive into the next links (it would read as a space)."""
    value = "2024-01-03T17:07:00+07:00/.."
    expected = expected_seqs(observations, t("2024-01-03T10:07:00Z"), None)
    page = get_json(http, f"{base_url}/collections/observations/items", limit=7, datetime=value)
    seen = []
    while True:
        assert page["numberMatched"] == len(expected)
        seen += [f["properties"]["seq"] for f in page["features"]]
        nxt = next((lk for lk in page["links"] if lk["rel"] == "next"), None)
        if nxt is None:
            break
        page = get_json(http, nxt["href"])
    assert sorted(seen) == expected


def test_datetime_property_equality_filter(http, base_url, observations):
    """observed=<instant> compares instants, whatever offset either side was written in."""
    o = observations[6]  # written in +07:00
    for text in (o.observed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                 o.observed.astimezone(timezone(timedelta(hours=-5))).isoformat()):
        page = get_json(http, f"{base_url}/collections/observations/items", observed=text)
        assert [f["properties"]["seq"] for f in page["features"]] == [o.seq], text


# --------------------------------------------------------------------------- Date properties

SURVEY_DAYS = [date(2024, 1, 1) + timedelta(days=i) for i in range(10)]


@pytest.fixture(scope="module")
def surveys(tmp_path_factory, amis_bin):
    """A collection whose time property is a Date (one per day, 2024-01-01..10), served by
    its own server."""
    from osgeo import ogr, osr
    from support import AmisServer, amis_import, http_session
    work = tmp_path_factory.mktemp("surveys")
    source = work / "surveys.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(source))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    layer = ds.CreateLayer("surveys", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("n", ogr.OFTInteger))
    layer.CreateField(ogr.FieldDefn("surveyed", ogr.OFTDate))
    for i, d in enumerate(SURVEY_DAYS):
        f = ogr.Feature(layer.GetLayerDefn())
        f["n"] = i
        f.SetField("surveyed", d.year, d.month, d.day, 0, 0, 0, 0)
        f.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({100 + i} 10)"))
        layer.CreateFeature(f)
    ds = None
    store = work / "store.gpkg"
    amis_import(store, source, "surveys", "--datetime", "surveyed")
    srv = AmisServer(store, work, name="surveys")
    srv.start()
    try:
        with http_session() as s:
            yield f"{srv.url}/collections/surveys", s
    finally:
        assert srv.stop() == 0


def days_intersecting(start: datetime | None, end: datetime | None) -> list[str]:
    """Days (each the UTC interval [00:00, 24:00)) that intersect [start, end]."""
    out = []
    for d in SURVEY_DAYS:
        d0, d1 = day_start(d.isoformat()), day_start(d.isoformat()) + timedelta(days=1)
        if (start is None or start < d1) and (end is None or end >= d0):
            out.append(d.isoformat())
    return out


DATE_CASES = [
    ("2024-01-05", day_start("2024-01-05"), day_end("2024-01-05")),
    ("2024-01-04/2024-01-06", day_start("2024-01-04"), day_end("2024-01-06")),
    ("../2024-01-03", None, day_end("2024-01-03")),
    pytest.param("2024-01-05T10:00:00Z", t("2024-01-05T10:00:00Z"), t("2024-01-05T10:00:00Z")),
    pytest.param("2024-01-05T00:00:00Z/2024-01-05T23:59:59Z", t("2024-01-05T00:00:00Z"),
                 t("2024-01-05T23:59:59Z")),
    pytest.param("2024-01-05T00:00:00Z/..", t("2024-01-05T00:00:00Z"), None),
    pytest.param("2024-01-05T12:00:00Z/2024-01-07T12:00:00Z", t("2024-01-05T12:00:00Z"),
                 t("2024-01-07T12:00:00Z")),
]


@pytest.mark.parametrize("value,start,end", DATE_CASES)
def test_datetime_filter_on_a_date_property(surveys, value, start, end):
    url, http = surveys
    page = get_json(http, f"{url}/items", limit=100, datetime=value)
    got = sorted(f["properties"]["surveyed"] for f in page["features"])
    assert got == days_intersecting(start, end)
    assert page["numberMatched"] == len(got)


def test_temporal_extent_of_a_date_property_is_date_times(surveys):
    url, http = surveys
    intervals = get_json(http, url)["extent"]["temporal"]["interval"]
    assert isinstance(intervals, list), f"interval must be [[start, end]], got {intervals!r}"
    start, end = intervals[0]
    for bound in (start, end):
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", bound), (
            f"{bound!r} is not an RFC 3339 date-time")
    assert t(start) == day_start("2024-01-01")
    assert t(end) >= day_start("2024-01-10")
