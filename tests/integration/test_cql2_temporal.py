"""CQL2 temporal functions: every T_* function on instants and intervals, bounded and
half-bounded ('..'), timestamps and dates, properties and literals on either side, in
CQL2-Text and CQL2-JSON. Expected results come from Python datetime and the OWL-Time
(Allen) relations on closed intervals that the standard's tables reference
(cql2_support.allen).

The 'events' collection holds every interval [s, e] with s <= e over seven instants around
the reference interval [2024-03-10T00:00:00Z, 2024-03-20T00:00:00Z] (one second before and
after each end included), so that each relation is both true and false for some events.

NULLs: /req/temporal-functions/temporal-predicates says a temporal predicate is TRUE when
the relation holds and FALSE otherwise, so an event without the property is FALSE for
T_f and TRUE for NOT T_f. The two events with only one of start/end (INTERVAL(t0, t1) with a
NULL end or start) are left out of the comparisons: CQL2 does not say what such an
interval is.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cql2_support import (ALL_TEMPORAL_OPS, EVENTS, INSTANT_OPS, INTERVAL_OPS, NEG_INF, PLACES, POS_INF, REF_START, P,
                          allen, date_as_datetime, describe_difference, interval_bounds, make_events, op,
                          parse_instant)

EV = make_events()
FID = {e.seq: e.seq + 1 for e in EV}  # the source is written in seq order: fid = seq + 1
HALF_OPEN = {e.seq for e in EV if (e.start is None) != (e.end is None)}


# CQL2-JSON spells four of them in camel case.
JSON_OP = {fn: fn.lower().replace("edby", "edBy").replace("metby", "metBy") for fn in ALL_TEMPORAL_OPS}


@pytest.fixture(scope="module", autouse=True)
def events_ids_are_seq_plus_one(cql2):
    """The comparisons below rely on it: checked once against what is served."""
    served = cql2.items(EVENTS)
    assert {f["id"]: f["properties"]["seq"] for f in served} == {FID[e.seq]: e.seq for e in EV}


def to_utc(v) -> datetime:
    return v if isinstance(v, datetime) else date_as_datetime(v)


def literal_text(lit) -> str:
    kind, *vals = lit
    if kind == "interval":
        return f"INTERVAL('{vals[0]}','{vals[1]}')"
    return f"{kind.upper()}('{vals[0]}')"


def literal_json(lit) -> dict:
    kind, *vals = lit
    return {"interval": list(vals)} if kind == "interval" else {kind: vals[0]}


def literal_bounds(lit, whole_days: bool = False) -> tuple:
    kind, *vals = lit
    if kind == "interval":
        s, e = interval_bounds(*vals)
        if whole_days and len(vals[1]) == 10:
            e = end_of_day(e)
        return s, e
    t = to_utc(parse_instant(vals[0]))
    return t, (end_of_day(t) if whole_days and kind == "date" else t)


def end_of_day(t: datetime) -> datetime:
    return t + timedelta(days=1) - timedelta(microseconds=1)


# The subjects: (CQL2-Text, CQL2-JSON, Event -> (start, end) or None when NULL)
def _span(a, b):
    return None if a is None or b is None else (a, b)


SUBJECTS = {
    "interval(t0,t1)": ("INTERVAL(t0,t1)", {"interval": [P("t0"), P("t1")]}, lambda e: _span(e.start, e.end)),
    "ts": ("ts", P("ts"), lambda e: _span(e.start, e.start)),
    "t1": ("t1", P("t1"), lambda e: _span(e.end, e.end)),
    "d": ("d", P("d"), lambda e: _span(date_as_datetime(e.start_date), date_as_datetime(e.start_date))),
    "interval(d,d_end)": ("INTERVAL(d,d_end)", {"interval": [P("d"), P("d_end")]},
                          lambda e: _span(date_as_datetime(e.start_date), date_as_datetime(e.end_date))),
    "interval(t0,..)": ("INTERVAL(t0,'..')", {"interval": [P("t0"), ".."]},
                        lambda e: None if e.start is None else (e.start, POS_INF)),
    "interval(..,t1)": ("INTERVAL('..',t1)", {"interval": ["..", P("t1")]},
                        lambda e: None if e.end is None else (NEG_INF, e.end)),
}
INSTANT_SUBJECTS = {"ts", "t1", "d"}

REF = ("interval", "2024-03-10T00:00:00Z", "2024-03-20T00:00:00Z")
TIMESTAMP_LITERALS = {
    "ref": REF,
    "ref-inner": ("interval", "2024-03-10T00:00:00.250Z", "2024-03-19T23:59:59.750Z"),
    "until-ref-start": ("interval", "..", "2024-03-10T00:00:00Z"),
    "from-ref-end": ("interval", "2024-03-20T00:00:00Z", ".."),
    "mid-to-open": ("interval", "2024-03-15T12:00:00Z", ".."),
    "ts-ref-start": ("timestamp", "2024-03-10T00:00:00Z"),
    "ts-mid": ("timestamp", "2024-03-15T12:00:00Z"),
    "ts-ms": ("timestamp", "2024-03-10T00:00:00.250Z"),
}
DATE_LITERALS = {
    "dates-ref": ("interval", "2024-03-10", "2024-03-20"),
    "dates-open-start": ("interval", "..", "2024-03-15"),
    "dates-open-end": ("interval", "2024-03-10", ".."),
    "date-ref-start": ("date", "2024-03-10"),
    "date-mid": ("date", "2024-03-15"),
}


def expected_events(subject: str, fn: str, lit, literal_first: bool = False, negate: bool = False,
                    whole_days: bool = False) -> set[int]:
    """whole_days: what AMIS does instead, a date taken as the whole day (its end at
    23:59:59.999999), used only to mark the cases where that differs as known failures."""
    span = SUBJECTS[subject][2]
    b = literal_bounds(lit, whole_days)
    out = set()
    for e in EV:
        a = span(e)
        if whole_days and a is not None and subject in ("d", "interval(d,d_end)"):
            a = (a[0], end_of_day(a[1]))
        holds = False if a is None else (allen(fn, b, a) if literal_first else allen(fn, a, b))
        if holds != negate:
            out.add(FID[e.seq])
    return out


def compare(cql2, subject, fn, lit, literal_first=False, negate=False):
    text_s, json_s, _ = SUBJECTS[subject]
    args_t = (literal_text(lit), text_s) if literal_first else (text_s, literal_text(lit))
    args_j = (literal_json(lit), json_s) if literal_first else (json_s, literal_json(lit))
    text = ("NOT " if negate else "") + f"{fn}({args_t[0]},{args_t[1]})"
    js = op(JSON_OP[fn], *args_j)
    if negate:
        js = op("not", js)
    ignore = {FID[s] for s in HALF_OPEN} if subject.startswith("interval(") else set()
    want = expected_events(subject, fn, lit, literal_first, negate) - ignore
    got = cql2.ids(EVENTS, text) - ignore
    assert got == want, f"{text}: {describe_difference(got, want)}"
    got = cql2.ids(EVENTS, js) - ignore
    assert got == want, f"CQL2-JSON {js}: {describe_difference(got, want)}"


def params(subjects, literals, ops):
    out = []
    for s in subjects:
        for lit in literals:
            for fn in ops:
                if fn in INTERVAL_OPS and (s in INSTANT_SUBJECTS or literals[lit][0] != "interval"):
                    continue
                out.append(pytest.param(s, fn, lit, id=f"{fn}({s},{lit})"))
    return out


@pytest.mark.parametrize("subject,fn,lit", params(
    ["interval(t0,t1)", "ts", "t1", "interval(t0,..)", "interval(..,t1)"], TIMESTAMP_LITERALS, ALL_TEMPORAL_OPS))
def test_timestamps(cql2, subject, fn, lit):
    compare(cql2, subject, fn, TIMESTAMP_LITERALS[lit])


@pytest.mark.parametrize("subject,fn,lit", params(["d", "interval(d,d_end)"], DATE_LITERALS, ALL_TEMPORAL_OPS))
def test_dates(cql2, subject, fn, lit):
    compare(cql2, subject, fn, DATE_LITERALS[lit])


@pytest.mark.parametrize("subject,fn,lit", params(["interval(t0,t1)", "ts"], {"ref": REF, "ts-mid": TIMESTAMP_LITERALS["ts-mid"]},
                                                  ALL_TEMPORAL_OPS))
def test_literal_first(cql2, subject, fn, lit):
    compare(cql2, subject, fn, TIMESTAMP_LITERALS[lit], literal_first=True)


@pytest.mark.parametrize("subject,fn", [(s, fn) for s in ("interval(t0,t1)", "ts") for fn in
                                        (ALL_TEMPORAL_OPS if s == "interval(t0,t1)" else INSTANT_OPS)])
def test_not_is_the_complement(cql2, subject, fn):
    """Temporal predicates are two-valued: NOT T_f selects every event T_f does not,
    including those without the property."""
    compare(cql2, subject, fn, REF, negate=True)


def test_every_relation_is_exercised():
    """The data is meant to make each relation both TRUE and FALSE against the reference."""
    for fn in ALL_TEMPORAL_OPS:
        hits = expected_events("interval(t0,t1)", fn, REF)
        assert 0 < len(hits) < len(EV), fn


def test_property_against_property(cql2):
    """Both operands properties: instants and intervals built from the same event."""
    cases = [
        ("T_EQUALS(ts, t0)", lambda e: e.start is not None),
        ("T_INTERSECTS(ts, INTERVAL(t0, t1))", lambda e: e.start is not None and e.end is not None),
        ("T_BEFORE(ts, t1)", lambda e: e.start is not None and e.end is not None and e.start < e.end),
        ("T_AFTER(t1, ts)", lambda e: e.start is not None and e.end is not None and e.end > e.start),
        ("T_STARTS(INTERVAL(t0, t0), INTERVAL(t0, t1))", lambda e: e.start is not None and e.end is not None
         and e.start < e.end),
        ("T_EQUALS(INTERVAL(d, d_end), INTERVAL(d, d_end))", lambda e: e.start is not None and e.end is not None),
    ]
    for text, pred in cases:
        want = {FID[e.seq] for e in EV if pred(e)}
        got = cql2.ids(EVENTS, text)
        assert got == want, f"{text}: {describe_difference(got, want)}"


def test_literal_against_literal(cql2):
    everything = {FID[e.seq] for e in EV}
    cases = [
        ("T_DURING(INTERVAL('1969-07-20T20:17:40Z', '1969-07-21T17:54:00Z'), "
         "INTERVAL('1969-07-16T13:32:00Z', '1969-07-24T16:50:35Z'))", True),
        ("T_BEFORE(DATE('1969-07-16'), DATE('1969-07-24'))", True),
        ("T_AFTER(TIMESTAMP('1969-07-16T00:00:00Z'), TIMESTAMP('1969-07-24T00:00:00Z'))", False),
        ("T_MEETS(INTERVAL('2020-01-01T00:00:00Z','2020-06-30T00:00:00Z'), "
         "INTERVAL('2020-06-30T00:00:00Z','2020-12-31T00:00:00Z'))", True),
        ("T_INTERSECTS(INTERVAL('..','..'), TIMESTAMP('1900-01-01T00:00:00Z'))", True),
    ]
    for text, truth in cases:
        assert cql2.ids(EVENTS, text) == (everything if truth else set()), text


@pytest.mark.parametrize("text", [
    "T_MEETS(INTERVAL('2020-01-01','2020-06-30'), INTERVAL('2020-06-30','2020-12-31'))",
    "T_METBY(INTERVAL('2020-06-30','2020-12-31'), INTERVAL('2020-01-01','2020-06-30'))",
    "NOT T_OVERLAPS(INTERVAL('2020-01-01','2020-06-30'), INTERVAL('2020-06-30','2020-12-31'))",
])
def test_date_intervals_meet(cql2, text):
    assert cql2.ids(EVENTS, text) == {FID[e.seq] for e in EV}


# ---------------------------------------------------------------------------- the standard's test data

# The ATS table for temporal-functions (and its literal-first variants in property-property).
ATS = [
    ("t_after(\"date\",date('2022-04-16'))", 1), ("t_before(\"date\",date('2022-04-16'))", 1),
    ("t_disjoint(\"date\",date('2022-04-16'))", 2), ("t_equals(\"date\",date('2022-04-16'))", 1),
    ("t_intersects(\"date\",date('2022-04-16'))", 1),
    ("t_after(\"date\",interval('2022-01-01','2022-12-31'))", 1),
    ("t_before(\"date\",interval('2022-01-01','2022-12-31'))", 1),
    ("t_disjoint(\"date\",interval('2022-01-01','2022-12-31'))", 2),
    ("t_equals(\"date\",interval('2022-01-01','2022-12-31'))", 0),
    ("t_equals(\"date\",interval('2022-04-16','2022-04-16'))", 1),
    ("t_intersects(\"date\",interval('2022-01-01','2022-12-31'))", 1),
    ("t_after(start,timestamp('2022-04-16T10:13:19Z'))", 1),
    ("t_before(start,timestamp('2022-04-16T10:13:19Z'))", 1),
    ("t_disjoint(start,timestamp('2022-04-16T10:13:19Z'))", 2),
    ("t_equals(start,timestamp('2022-04-16T10:13:19Z'))", 1),
    ("t_intersects(start,timestamp('2022-04-16T10:13:19Z'))", 1),
    ("t_after(start,interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))", 0),
    ("t_before(start,interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))", 1),
    ("t_disjoint(start,interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))", 1),
    ("t_equals(start,interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))", 0),
    ("t_intersects(start,interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))", 2),
    ("t_after(interval(start,end),interval('..','2022-04-16T10:13:19Z'))", 1),
    ("t_before(interval(start,end),interval('2023-01-01T00:00:00Z','..'))", 2),
    ("t_disjoint(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:09Z'))", 1),
    ("t_equals(interval(start,end),interval('2021-04-16T10:15:59Z','2022-04-16T10:16:06Z'))", 1),
    ("t_intersects(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:09Z'))", 2),
    ("T_CONTAINS(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))", 1),
    ("T_DURING(interval(start,end),interval('2022-01-01T00:00:00Z','2022-12-31T23:59:59Z'))", 1),
    # The ATS says 1 for T_FINISHES too, but the only place whose end is 10:16:06 (København)
    # starts in 2021, before the literal: that is T_FINISHEDBY (next row), not T_FINISHES.
    ("T_FINISHES(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:16:06Z'))", 0),
    ("T_FINISHEDBY(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:16:06Z'))", 1),
    ("T_MEETS(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))", 0),
    ("T_METBY(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))", 1),
    ("T_OVERLAPPEDBY(interval(start,end),interval('2020-04-16T10:13:19Z','2022-04-16T10:15:10Z'))", 2),
    ("T_OVERLAPS(interval(start,end),interval('2022-04-16T10:13:19Z','2023-04-16T10:15:10Z'))", 1),
    ("T_STARTEDBY(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))", 1),
    ("T_STARTS(interval(start,end),interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'))", 0),
    ("t_after(interval('2023-01-01T00:00:00Z','..'),interval(start,end))", 2),
    ("t_before(interval('..','2022-04-16T10:13:19Z'),interval(start,end))", 1),
    ("T_CONTAINS(interval('2021-04-16T10:13:19Z','2023-04-16T10:15:10Z'),interval(start,end))", 2),
    ("T_DURING(interval('2022-07-01T00:00:00Z','2022-12-31T23:59:59Z'),interval(start,end))", 1),
    ("T_FINISHES(interval('2022-04-16T10:13:19Z','2022-04-16T10:16:06Z'),interval(start,end))", 1),
    ("T_MEETS(interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'),interval(start,end))", 1),
    ("T_STARTS(interval('2022-04-16T10:13:19Z','2022-04-16T10:15:10Z'),interval(start,end))", 1),
]


def parse_ats(text: str):
    """The ATS predicate as (fn, a-spec, b-spec), each spec a property name, a pair of
    property names, or a literal tuple."""
    fn, rest = text.split("(", 1)
    rest = rest[:-1]
    args, depth, cur = [], 0, ""
    for c in rest:
        if c == "," and depth == 0:
            args.append(cur.strip())
            cur = ""
            continue
        depth += (c == "(") - (c == ")")
        cur += c
    args.append(cur.strip())

    def spec(arg: str):
        low = arg.lower()
        if low.startswith("interval("):
            inner = [s.strip().strip("'") for s in arg[9:-1].split(",")]
            if inner[0] in ("start",):
                return ("props", inner[0], inner[1])
            return ("interval", *inner)
        if low.startswith(("date(", "timestamp(")):
            kind = low.split("(")[0]
            return (kind, arg.split("'")[1])
        return ("prop", arg.strip('"'))
    return fn.upper(), spec(args[0]), spec(args[1])


def place_bounds(spec, props):
    if spec[0] == "prop":
        v = props[spec[1]]
        if v is None:
            return None
        t = to_utc(parse_instant(v))
        return t, t
    if spec[0] == "props":
        s, e = props[spec[1]], props[spec[2]]
        if s is None or e is None:
            return None
        return to_utc(parse_instant(s)), to_utc(parse_instant(e))
    return literal_bounds(spec)


@pytest.mark.parametrize("text,count", ATS, ids=[t for t, _ in ATS])
def test_standard_test_data(cql2, cql2_source, text, count):
    fn, a_spec, b_spec = parse_ats(text)
    want = set()
    for f in cql2_source[PLACES]:
        a, b = place_bounds(a_spec, f.props), place_bounds(b_spec, f.props)
        if a is not None and b is not None and allen(fn, a, b):
            want.add(f.fid)
    assert len(want) == count, f"independent evaluation {len(want)} != ATS {count}: fix the expectation"
    got = cql2.ids(PLACES, text)
    assert got == want, f"{text}: {describe_difference(got, want)}"


@pytest.mark.parametrize("text", [
    "T_MEETS(ts, TIMESTAMP('2024-03-10T00:00:00Z'))",
    "T_DURING(ts, INTERVAL('2024-03-01T00:00:00Z','2024-03-30T00:00:00Z'))",
    "T_STARTS(DATE('2024-03-10'), INTERVAL('2024-03-10','2024-03-20'))",
    "T_OVERLAPS(INTERVAL(t0, t1), t1)",
])
def test_interval_functions_refuse_instants(cql2, text):
    """Clause 7: T_CONTAINS ... T_STARTS apply to intervals only; 'using these functions with
    instants will result in a client error'. INTERVAL(ts, ts) is an interval, and accepted."""
    body = cql2.error(EVENTS, text)
    assert text.split("(")[0].lower() in body["description"].lower(), body
    js = op(JSON_OP["T_MEETS"], P("ts"), {"timestamp": "2024-03-10T00:00:00Z"})
    cql2.error(EVENTS, js)
    want = {FID[e.seq] for e in EV if e.start is not None and e.start == REF_START}
    assert cql2.ids(EVENTS, "T_MEETS(INTERVAL(ts, ts), INTERVAL('2024-03-10T00:00:00Z', '2024-03-20T00:00:00Z'))") == want


def test_datetime_parameter_and_temporal_filter(cql2):
    """datetime (on ts, the collection's --datetime field) and a T_* filter on t1 are ANDed."""
    lo, hi = datetime.fromisoformat("2024-03-09T00:00:00+00:00"), datetime.fromisoformat("2024-03-16T00:00:00+00:00")
    want = {FID[e.seq] for e in EV if e.start is not None and lo <= e.start <= hi
            and e.end is not None and e.end > datetime.fromisoformat("2024-03-20T00:00:00+00:00")}
    assert want
    got = cql2.ids(EVENTS, "T_AFTER(t1, TIMESTAMP('2024-03-20T00:00:00Z'))",
                   datetime="2024-03-09T00:00:00Z/2024-03-16T00:00:00Z")
    assert got == want
