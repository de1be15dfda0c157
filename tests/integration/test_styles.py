"""Named styles (SLD 1.0 / SE 1.1): the `amis style` commands, the styles in the WMS
capabilities, GetMap with STYLES= and SLD_BODY=, GetLegendGraphic with STYLE=, and the OGC
API Styles endpoints (list, SLD, legend, PUT/DELETE with the [admin] bearer token).

A dedicated server (`amis serve --config`, with an [admin] token) runs over a copy of the
session store to which the demo styles of data/demo/styles are added with `amis style
add`; the session server and store are left as they are (the CLI tests use copies of
their own).

The expected side never comes from AMIS: what a style should draw is written here from
its description (colours by status, sizes by capacity, fills by country group, the
scale denominators of OGC's 0.28 mm pixel) and checked against the demo SLD read with
lxml; where things are from the sources read with OGR (coal mines by status and
capacity, isolated from any other; country polygons rasterised by GDAL, PointOnSurface);
what the store holds from its amis_styles table read with sqlite3."""
from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
import requests
from lxml import etree
from osgeo import gdal, ogr

import styles_support as ss
from support import free_loopback_port, http_session, run_amis
from wfs_support import assert_xmllint_valid, parse_xml
from wms_support import (PALETTE, WHITE, WMS130_CAPABILITIES_XSD, WMS_NS, XLINK_NS, Frame, Image, assert_colour,
                         assert_service_exception, colour_distance, decode, erode, frame_around, get_map,
                         image_response, named_layers, north_first, over, project, rasterize_countries, rgb,
                         service_exceptions, wms_get)
from wms_support import _to_east_north

SLD_NS = "http://www.opengis.net/sld"
SE_NS = "http://www.opengis.net/se"
OGC_FILTER_NS = "http://www.opengis.net/ogc"
SLD10_TYPE = "application/vnd.ogc.sld+xml;version=1.0"
SLD11_TYPE = "application/vnd.ogc.sld+xml;version=1.1"
STYLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/styles"

RES_NO_LABELS = 0.003  # degrees per pixel: 1:1,193,000, above the mine names' 1:1,000,000
RED, BLUE, YELLOW, MAGENTA = (255, 0, 0), (0, 0, 255), (255, 255, 0), (255, 0, 255)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def styled(tmp_path_factory, store_path):
    """`amis serve --config` (with an [admin] token) over a copy of the session store
    holding the three demo styles."""
    srv = ss.styled_server(tmp_path_factory.mktemp("styles"), store_path)
    yield srv
    ss.stop_checked(srv)


@pytest.fixture(scope="module")
def shttp(styled):
    with http_session() as s:
        yield s


@pytest.fixture
def cli_store(tmp_path, store_path):
    """A private copy of the session store (no styles in it)."""
    return ss.copy_store(store_path, tmp_path / "store.gpkg")


def styled_map(shttp, styled, frame: Frame, crs: str = "CRS:84", version: str = "1.3.0",
               layers: str | None = "coal_mines", styles: str = "", **extra) -> Image:
    swap = version == "1.3.0" and north_first(crs)
    r = get_map(shttp, styled.url, layers=layers, bbox=frame.request_bbox(swap), crs=crs, version=version,
                width=frame.width, height=frame.height, styles=styles, **extra)
    img = decode(image_response(r))
    assert (img.width, img.height) == (frame.width, frame.height)
    return img


def mine_frame(mine, crs: str = "CRS:84", res: float = RES_NO_LABELS, col: int = 32, row: int = 32,
               width: int = 64, height: int = 64) -> Frame:
    """A frame in which the mine is at the centre of pixel (col, row)."""
    x, y = project(crs, mine.lon, mine.lat)
    return frame_around(x, y, col, row, width, height, res)


def dark(img: Image) -> np.ndarray:
    """Text pixels of the demo labels (#252525 / #404040): every channel below 100."""
    return (img.rgba[..., :3].max(axis=2) < 100) & (img.rgba[..., 3] >= 160)


def disc(img: Image, col: float, row: float, radius: float) -> np.ndarray:
    ys, xs = np.mgrid[0:img.height, 0:img.width]
    return np.hypot(xs + 0.5 - col, ys + 0.5 - row) <= radius


# --------------------------------------------------------------------------- SLD documents written here


SLD10_OPEN = ('<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" '
              'xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink">')
SLD10_CLOSE = "</StyledLayerDescriptor>"


def sld10(*layers: str) -> str:
    return SLD10_OPEN + "".join(layers) + SLD10_CLOSE


def named_layer(layer: str, *rules: str, title: str = "Test style", name: str = "test") -> str:
    return (f"<NamedLayer><Name>{layer}</Name><UserStyle><Name>{name}</Name><Title>{title}</Title>"
            f"<FeatureTypeStyle>{''.join(rules)}</FeatureTypeStyle></UserStyle></NamedLayer>")


def rule(*symbolizers: str, filter: str = "", title: str = "", min_scale: float | None = None,
         max_scale: float | None = None, else_filter: bool = False) -> str:
    out = "<Rule>"
    if title:
        out += f"<Title>{title}</Title>"
    if filter:
        out += f"<ogc:Filter>{filter}</ogc:Filter>"
    if else_filter:
        out += "<ElseFilter/>"
    if min_scale is not None:
        out += f"<MinScaleDenominator>{min_scale!r}</MinScaleDenominator>"
    if max_scale is not None:
        out += f"<MaxScaleDenominator>{max_scale!r}</MaxScaleDenominator>"
    return out + "".join(symbolizers) + "</Rule>"


def css(name: str, value) -> str:
    return f'<CssParameter name="{name}">{value}</CssParameter>'


def mark(shape: str, fill: str | None, size: float, stroke: str | None = None, stroke_width: float | None = None,
         opacity: float | None = None, rotation: float | None = None) -> str:
    inner = f"<WellKnownName>{shape}</WellKnownName>"
    if fill:
        inner += f"<Fill>{css('fill', fill)}</Fill>"
    if stroke:
        inner += f"<Stroke>{css('stroke', stroke)}{css('stroke-width', stroke_width or 1)}</Stroke>"
    graphic = f"<Mark>{inner}</Mark>"
    if opacity is not None:
        graphic += f"<Opacity>{opacity}</Opacity>"
    graphic += f"<Size>{size}</Size>"
    if rotation is not None:
        graphic += f"<Rotation>{rotation}</Rotation>"
    return f"<PointSymbolizer><Graphic>{graphic}</Graphic></PointSymbolizer>"


def polygon(fill: str, opacity: float = 1.0, stroke: str | None = None) -> str:
    out = f"<PolygonSymbolizer><Fill>{css('fill', fill)}{css('fill-opacity', opacity)}</Fill>"
    if stroke:
        out += f"<Stroke>{css('stroke', stroke)}{css('stroke-width', 1)}</Stroke>"
    return out + "</PolygonSymbolizer>"


def eq(prop: str, value) -> str:
    return (f"<ogc:PropertyIsEqualTo><ogc:PropertyName>{prop}</ogc:PropertyName>"
            f"<ogc:Literal>{value}</ogc:Literal></ogc:PropertyIsEqualTo>")


def ge(prop: str, value) -> str:
    return (f"<ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>{prop}</ogc:PropertyName>"
            f"<ogc:Literal>{value}</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo>")


def hex_colour(c: tuple) -> str:
    return "#%02x%02x%02x" % c


# --------------------------------------------------------------------------- the demo SLD, read with lxml


@pytest.fixture(scope="module")
def demo_rules() -> list[dict]:
    """The rules of coal_mines-status-capacity.sld in document order, read with lxml:
    title, the status its filter selects, the capacity test it makes, mark, fill, opacity,
    size, scale range and whether it labels."""
    doc = etree.parse(str(ss.DEMO_STYLES[0].path))
    ns = {"se": SE_NS, "ogc": OGC_FILTER_NS, "sld": SLD_NS}
    out = []
    for r in doc.iterfind(".//se:Rule", ns):
        entry = {"title": r.findtext("se:Description/se:Title", namespaces=ns),
                 "max_scale": r.findtext("se:MaxScaleDenominator", namespaces=ns),
                 "label": r.find("se:TextSymbolizer", ns) is not None}
        status = r.findtext(".//ogc:PropertyIsEqualTo/ogc:Literal", namespaces=ns)
        if status is not None:
            entry["status"] = status
            entry["capacity"] = ("ge5" if r.find(".//ogc:PropertyIsGreaterThanOrEqualTo", ns) is not None
                                 else "1to5" if r.find(".//ogc:PropertyIsBetween", ns) is not None
                                 else "lt1-or-null" if r.find(".//ogc:PropertyIsNull", ns) is not None else None)
            m = r.find(".//se:Mark", ns)
            entry["mark"] = m.findtext("se:WellKnownName", namespaces=ns)
            params = {p.get("name"): p.text for p in m.iterfind(".//se:SvgParameter", ns)}
            entry["fill"], entry["opacity"] = params["fill"], float(params["fill-opacity"])
            entry["size"] = float(r.findtext(".//se:Size", namespaces=ns))
        out.append(entry)
    return out


def test_demo_sld_matches_the_oracle(demo_rules):
    """The table the map tests use (styles_support) is what the demo SLD says."""
    sizes = {"ge5": 15, "1to5": 10, "lt1-or-null": 6}
    marks = [r for r in demo_rules if "status" in r]
    assert len(marks) == 15 and {(r["status"], r["capacity"]) for r in marks} == {
        (s, c) for s in ss.STATUS_MARK for c in sizes}
    for r in marks:
        assert (r["mark"], r["fill"]) == ss.STATUS_MARK[r["status"]], r
        assert r["opacity"] == ss.MINE_FILL_OPACITY and r["size"] == sizes[r["capacity"]], r
    labels = [r for r in demo_rules if r["label"]]
    assert len(labels) == 1 and float(labels[0]["max_scale"]) == ss.MINE_LABEL_MAX_SCALE


# --------------------------------------------------------------------------- amis style (CLI)
#
# Every `amis` run costs a process start (Mapnik, GDAL, PROJ): the commands whose outcome
# does not depend on one another run together in a thread pool, once per module.


def style_cli(store, action: str, *args):
    return run_amis("style", action, "--store", store, *args)


def sld_title_abstract(path) -> tuple[str, str]:
    """The first UserStyle's title and abstract (SE Description or SLD 1.0 Title/Abstract)."""
    doc = etree.parse(str(path))
    user = next(doc.iter(f"{{{SLD_NS}}}UserStyle"))
    title = user.findtext(f"{{{SE_NS}}}Description/{{{SE_NS}}}Title") or user.findtext(f"{{{SLD_NS}}}Title")
    abstract = (user.findtext(f"{{{SE_NS}}}Description/{{{SE_NS}}}Abstract")
                or user.findtext(f"{{{SLD_NS}}}Abstract") or "")
    return title.strip(), abstract.strip()


PT = mark("square", "#ff0000", 12)
BAD_SLDS = {
    "not XML": ("<StyledLayerDescriptor", "XML"),
    "not an SLD": ("<html><body/></html>", "StyledLayerDescriptor"),
    "empty": ("", None),
    "DTD with an external entity": ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
                                    + sld10(named_layer("coal_mines", rule(PT, title="&e;"))), "DOCTYPE"),
    "billion laughs": ('<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
                       ']>' + sld10(named_layer("coal_mines", rule(PT, title="&b;"))), "DOCTYPE"),
    "unknown property in a filter": (sld10(named_layer("coal_mines", rule(PT, filter=eq("no_such_field", 1)))),
                                     "no_such_field"),
    "unknown label property": (sld10(named_layer("coal_mines", rule(
        "<TextSymbolizer><Label><ogc:PropertyName>no_such_field</ogc:PropertyName></Label></TextSymbolizer>"))),
        "no_such_field"),
    "unknown layer": (sld10(named_layer("no_such_layer", rule(PT))), "no_such_layer"),
    "another collection's layer": (sld10(named_layer("countries", rule(PT))), None),
    "size from a property": (sld10(named_layer("coal_mines", rule(
        "<PointSymbolizer><Graphic><Mark/><Size><ogc:PropertyName>capacity_mtpa</ogc:PropertyName></Size>"
        "</Graphic></PointSymbolizer>"))), "Size"),
    "size above 256": (sld10(named_layer("coal_mines", rule(mark("circle", "#ff0000", 257)))), "Size"),
    "unknown WellKnownName": (sld10(named_layer("coal_mines", rule(mark("blob", "#ff0000", 8)))), "blob"),
    "colour name": (sld10(named_layer("coal_mines", rule(mark("circle", "red", 8)))), "red"),
    "opacity above 1": (sld10(named_layer("coal_mines", rule(
        f"<PointSymbolizer><Graphic><Mark><Fill>{css('fill-opacity', 2)}</Fill></Mark></Graphic>"
        "</PointSymbolizer>"))), "opacity"),
    "ExternalGraphic URL": (sld10(named_layer("coal_mines", rule(
        '<PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:type="simple" '
        'xlink:href="http://127.0.0.1:9/pin.png"/><Format>image/png</Format></ExternalGraphic></Graphic>'
        "</PointSymbolizer>"))), None),
    "ExternalGraphic file": (sld10(named_layer("coal_mines", rule(
        '<PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:type="simple" '
        'xlink:href="pin.png"/><Format>image/png</Format></ExternalGraphic></Graphic></PointSymbolizer>'))),
        "pin.png"),
    "ExternalGraphic path": (sld10(named_layer("coal_mines", rule(
        '<PointSymbolizer><Graphic><ExternalGraphic><OnlineResource xlink:type="simple" '
        'xlink:href="../../../etc/passwd"/><Format>image/png</Format></ExternalGraphic></Graphic>'
        "</PointSymbolizer>"))), None),
    "101 rules": (sld10(named_layer("coal_mines", *[rule(PT)] * 101)), "100"),
    "17 symbolizers": (sld10(named_layer("coal_mines", rule(*[PT] * 17))), "16"),
    "no rule": (sld10(named_layer("coal_mines")), "rule"),
    "UserLayer": (sld10("<UserLayer><Name>x</Name></UserLayer>"), "UserLayer"),
    "RasterSymbolizer": (sld10(named_layer("coal_mines", rule("<RasterSymbolizer/>"))), "RasterSymbolizer"),
    "feature id filter": (sld10(named_layer("coal_mines", rule(PT, filter='<ogc:FeatureId fid="coal_mines.1"/>'))),
                          None),
    "filter nested 100 deep": (sld10(named_layer("coal_mines", rule(
        PT, filter="<ogc:Not>" * 100 + eq("status", "Operating") + "</ogc:Not>" * 100))), None),
    "NaN size": (sld10(named_layer("coal_mines", rule(mark("circle", "#ff0000", "NaN")))), "Size"),
}

# The invalid documents `amis style add` is tried with (all of them go through PUT and
# SLD_BODY below, which check documents with the same code).
CLI_BAD_SLDS = ["not XML", "DTD with an external entity", "unknown property in a filter", "unknown layer",
                "another collection's layer", "size from a property", "101 rules"]

# (what, style arguments after the action's --store, what the message must name)
CLI_ERRORS = {
    "name default": (["add", "--collection", "coal_mines", "--name", "default"], "default"),
    "name of 65": (["add", "--collection", "coal_mines", "--name", "x" * 65], "64"),
    "name with a slash": (["add", "--collection", "coal_mines", "--name", "bad/name"], None),
    "unknown collection": (["add", "--collection", "no_such_collection", "--name", "x"], "no_such_collection"),
    "show unknown": (["show", "--collection", "coal_mines", "--name", "no-such-style"], "no-such-style"),
    "remove unknown": (["remove", "--collection", "coal_mines", "--name", "no-such-style"], "no-such-style"),
    "remove default": (["remove", "--collection", "coal_mines", "--name", "default"], None),
    "list unknown collection": (["list", "--collection", "no_such_collection"], "no_such_collection"),
}


@pytest.fixture(scope="module")
def cli_refusals(tmp_path_factory, store_path):
    """A store copy holding status-capacity, and what every refused command did to it:
    {case: CompletedProcess}, the rows before, the rows after (all run in parallel: none
    of them may write)."""
    work = tmp_path_factory.mktemp("cli-refusals")
    store = ss.copy_store(store_path, work / "store.gpkg")
    demo = ss.DEMO_STYLES[0]
    assert style_cli(store, "add", "--collection", "coal_mines", "--name", demo.name, demo.path).returncode == 0
    before = ss.style_rows(store)
    jobs = {}
    for case in CLI_BAD_SLDS:
        path = work / f"bad-{len(jobs)}.sld"
        path.write_text(BAD_SLDS[case][0])
        # under the name of the existing style: a refused replacement must keep it
        jobs[case] = ["add", "--collection", "coal_mines", "--name", demo.name, path]
    for case, (args, _) in CLI_ERRORS.items():
        jobs[case] = args + ([demo.path] if args[0] == "add" else [])
    jobs["missing file"] = ["add", "--collection", "coal_mines", "--name", "x", work / "missing.sld"]
    missing_store = work / "no-store.gpkg"
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {case: pool.submit(style_cli, store, *args) for case, args in jobs.items()}
        futures["missing store"] = pool.submit(style_cli, missing_store, "list", "--collection", "coal_mines")
        config = ss.write_config(work / "short.toml", "short-token")
        futures["short token"] = pool.submit(run_amis, "serve", "--store", store, "--port",
                                             str(free_loopback_port()), "--config", config, timeout=30)
        results = {case: f.result() for case, f in futures.items()}
    return {"results": results, "before": before, "after": ss.style_rows(store),
            "missing_store_created": missing_store.exists()}


def test_cli_refusals_leave_the_store_unchanged(cli_refusals):
    assert len(cli_refusals["before"]) == 1
    assert cli_refusals["after"] == cli_refusals["before"], "a refused `amis style` command changed amis_styles"


@pytest.mark.parametrize("case", CLI_BAD_SLDS + sorted(CLI_ERRORS))
def test_cli_refuses(cli_refusals, case):
    """Exit status 1 and one line on stderr naming the problem."""
    r = cli_refusals["results"][case]
    assert r.returncode == 1, f"{case}: exit {r.returncode}, stderr {r.stderr!r}"
    message = r.stderr.strip()
    assert message.startswith("amis: ") and "\n" not in message, f"{case}: stderr is not one line: {r.stderr!r}"
    assert "root:" not in message
    mention = BAD_SLDS[case][1] if case in BAD_SLDS else CLI_ERRORS[case][1]
    if mention:
        assert mention.lower() in message.lower(), f"{case}: {message!r} does not mention {mention!r}"


def test_cli_missing_file_store_or_short_token(cli_refusals):
    results = cli_refusals["results"]
    assert results["missing file"].returncode != 0
    assert results["missing store"].returncode == 1 and not cli_refusals["missing_store_created"], (
        "`amis style list` on a missing store did not fail, or created it")
    r = results["short token"]
    assert r.returncode != 0 and "24" in r.stderr, (r.returncode, r.stderr)
    assert "short-token" not in r.stderr, "the token is printed"


def test_cli_round_trip(cli_store):
    demo = ss.DEMO_STYLES[0]
    sld_text = demo.path.read_text()
    title, abstract = sld_title_abstract(demo.path)
    assert ss.style_rows(cli_store) == []

    r = style_cli(cli_store, "add", "--collection", "coal_mines", "--name", demo.name, demo.path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"coal_mines\t{demo.name}\t{title}\n"
    rows = ss.style_rows(cli_store)
    assert len(rows) == 1
    collection, name, row_title, row_abstract, sld, updated = rows[0]
    assert (collection, name, row_title, row_abstract, sld) == ("coal_mines", demo.name, title, abstract, sld_text)
    stamp = datetime.strptime(updated, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - stamp) < timedelta(minutes=5), updated

    with ThreadPoolExecutor(max_workers=2) as pool:
        listing = pool.submit(style_cli, cli_store, "list", "--collection", "coal_mines")
        shown = pool.submit(style_cli, cli_store, "show", "--collection", "coal_mines", "--name", demo.name)
        r, s = listing.result(), shown.result()
    assert r.returncode == 0 and r.stdout == f"default\tDefault style\n{demo.name}\t{title}\n", r.stdout
    assert s.returncode == 0 and s.stdout == sld_text, "show does not print the stored document as added"

    # add again under the same name: replaced, not duplicated
    changed = cli_store.parent / "changed.sld"
    changed.write_text(sld_text.replace(title, "Renamed style"))
    r = style_cli(cli_store, "add", "--collection", "coal_mines", "--name", demo.name, changed)
    assert r.returncode == 0, r.stderr
    assert [(row[1], row[2], row[4]) for row in ss.style_rows(cli_store)] == [
        (demo.name, "Renamed style", changed.read_text())]

    r = style_cli(cli_store, "remove", "--collection", "coal_mines", "--name", demo.name)
    assert r.returncode == 0 and r.stdout == "", (r.stdout, r.stderr)
    assert ss.style_rows(cli_store) == []


SE_FEATURE_TYPE_STYLE = (
    '<se:FeatureTypeStyle version="1.1.0" xmlns:se="http://www.opengis.net/se" '
    'xmlns:ogc="http://www.opengis.net/ogc"><se:Name>bare</se:Name>'
    '<se:Description><se:Title>Bare FeatureTypeStyle</se:Title></se:Description><se:Rule>'
    '<se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>square</se:WellKnownName><se:Fill>'
    '<se:SvgParameter name="fill">#ff00ff</se:SvgParameter></se:Fill></se:Mark><se:Size>12</se:Size></se:Graphic>'
    '</se:PointSymbolizer></se:Rule></se:FeatureTypeStyle>')


def test_cli_names_and_document_forms(cli_store):
    """The longest and the most mixed names; an SLD 1.0 document (CssParameter, Title) and a
    bare SE FeatureTypeStyle."""
    forms = {"A.b-c_9": sld10(named_layer("coal_mines", rule(mark("square", "#ff00ff", 12)), title="SLD 1.0 title")),
             "x" * 64: SE_FEATURE_TYPE_STYLE}
    for name, text in forms.items():
        path = cli_store.parent / f"{len(name)}.sld"
        path.write_text(text)
        r = style_cli(cli_store, "add", "--collection", "coal_mines", "--name", name, path)
        assert r.returncode == 0, f"{name}: {r.stderr}"
    rows = {row[1]: row for row in ss.style_rows(cli_store)}
    assert sorted(rows) == sorted(forms)
    assert rows["A.b-c_9"][2] == "SLD 1.0 title"
    assert all(rows[n][4] == text for n, text in forms.items())


def test_bare_feature_type_style_keeps_its_title(shttp, styled):
    r = put_style(shttp, styled, "bare-title", SE_FEATURE_TYPE_STYLE)
    assert r.status_code == 200, r.text
    try:
        assert r.json()["title"] == "Bare FeatureTypeStyle"
    finally:
        delete_style(shttp, styled, "bare-title")


def test_demo_styles_added_by_the_cli(styled):
    """The fixture's `amis style add` of the three demo styles: title and abstract from the
    SLD, the document kept byte for byte."""
    rows = {(row[0], row[1]): row for row in ss.style_rows(styled.store)}
    for demo in ss.DEMO_STYLES:
        title, abstract = sld_title_abstract(demo.path)
        assert rows[(demo.collection, demo.name)][2:5] == (title, abstract, demo.path.read_text()), demo.name


def test_cli_add_seen_live_by_the_server(styled, shttp):
    """`amis style add` against the store of a running server: the next requests see it."""
    mine = ss.mine_named("Tigyit Coal Mine")
    path = styled.log_dir / "live.sld"
    path.write_text(sld10(named_layer("coal_mines", rule(mark("square", "#ff00ff", 12)), title="Live")))
    r = style_cli(styled.store, "add", "--collection", "coal_mines", "--name", "live-cli", path)
    assert r.returncode == 0, r.stderr
    try:
        doc = parse_xml(wms_get(shttp, styled.url, "GetCapabilities"))
        names = [s.findtext(f"{{{WMS_NS}}}Name") for s in named_layers(doc)["coal_mines"].findall(f"{{{WMS_NS}}}Style")]
        assert "live-cli" in names
        img = styled_map(shttp, styled, mine_frame(mine), styles="live-cli")
        assert_colour(img.at(32, 32), MAGENTA, 2, "the live style at the mine")
    finally:
        assert style_cli(styled.store, "remove", "--collection", "coal_mines", "--name", "live-cli").returncode == 0
    r = get_map(shttp, styled.url, layers="coal_mines", styles="live-cli", bbox=mine_frame(mine).bbox)
    assert_service_exception(r, "StyleNotDefined")


# --------------------------------------------------------------------------- capabilities


def expected_styles(collection: str) -> list[str]:
    return ["default"] + sorted(d.name for d in ss.DEMO_STYLES if d.collection == collection)


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_capabilities_list_the_stored_styles(shttp, styled, version):
    r = wms_get(shttp, styled.url, "GetCapabilities", version)
    assert r.status_code == 200, r.text[:300]
    if version == "1.3.0":
        assert_xmllint_valid(r.content, WMS130_CAPABILITIES_XSD)
    ns = WMS_NS if version == "1.3.0" else None
    q = (lambda n: f"{{{WMS_NS}}}{n}") if ns else (lambda n: n)
    layers = named_layers(parse_xml(r), ns)
    for name, layer in layers.items():
        styles = {s.findtext(q("Name")): s for s in layer.findall(q("Style"))}
        assert list(styles) == expected_styles(name), f"{name}: styles {list(styles)}"
        for demo in ss.DEMO_STYLES:
            if demo.collection != name:
                continue
            title, abstract = sld_title_abstract(demo.path)
            style = styles[demo.name]
            assert style.findtext(q("Title")) == title and style.findtext(q("Abstract")) == abstract
            legend = style.find(q("LegendURL"))
            href = legend.find(q("OnlineResource")).get(f"{{{XLINK_NS}}}href")
            query = {k.upper(): v for k, v in parse_qsl(urlsplit(href).query)}
            assert (query["LAYER"], query["STYLE"], query["REQUEST"]) == (name, demo.name, "GetLegendGraphic")
            img = decode(image_response(shttp.get(styled.url + "/wms?" + urlsplit(href).query, timeout=30)))
            assert (int(legend.get("width")), int(legend.get("height"))) == (img.width, img.height), (
                f"{name}/{demo.name}: LegendURL says {legend.get('width')}x{legend.get('height')}, "
                f"the legend is {img.width}x{img.height}")


# --------------------------------------------------------------------------- GetMap STYLES=status-capacity


COMBOS = [(s, size) for s in ss.STATUS_MARK for size in (15, 10, 6)
          if (s, size) != ("Mothballed", 15)]  # no Mothballed mine of 5 Mtpa or more stands alone


@pytest.mark.parametrize("status, size", COMBOS)
def test_status_capacity_marker(shttp, styled, status, size):
    """The most isolated mine of that status and capacity class: at its pixel the rule's
    fill (0.85 over white / alpha 217 on a transparent map), a marker of the rule's size
    (pixels drawn ~ the mark's area; its box ~ size px), nothing else around."""
    mine = ss.most_isolated(status, size)
    assert mine.nearest >= 0.1, f"{mine.name}: another mine {mine.nearest:.3f} degrees away"
    shape, fill_hex = ss.STATUS_MARK[status]
    fill = rgb(fill_hex)
    frame = mine_frame(mine)
    what = f"{mine.name} ({status}, {mine.capacity} Mtpa: {shape} {size} px)"

    img = styled_map(shttp, styled, frame, styles="status-capacity", TRANSPARENT="TRUE")
    alpha = img.rgba[..., 3].astype(int)
    near = disc(img, 32.5, 32.5, size / 2 + 4)
    ring = disc(img, 32.5, 32.5, 24) & ~near  # no other mine within 0.1 degrees = 33 px
    assert int(alpha[ring].max()) == 0, f"{what}: pixels drawn away from the mine"
    # The pixel at the mine: the fill at 0.85. A 6 px triangle's widest (fully filled) rows
    # are just below its centre; a 6 px x has arms about a pixel wide, each pixel of it
    # partly its white outline: none is the fill alone.
    centre = pixel_of_fill(img, fill, size, shape)
    if centre is not None:
        assert_colour(img.at(*centre), fill, 4, f"{what}: pixel {centre}", alpha=round(255 * ss.MINE_FILL_OPACITY),
                      alpha_tolerance=4)
    solid = (alpha >= 128) & near
    area = int(solid.sum())
    low = 0.85 * ss.mark_polygon(shape, size).GetArea()
    high = 1.15 * ss.mark_polygon(shape, size).Buffer(0.6, 16).GetArea()
    assert low <= area <= high, f"{what}: {area} pixels drawn, a {size} px {shape} covers {low:.0f} to {high:.0f}"
    ys, xs = np.nonzero(solid)
    for extent, middle in ((xs.max() - xs.min() + 1, (xs.max() + xs.min() + 1) / 2),
                           (ys.max() - ys.min() + 1, (ys.max() + ys.min() + 1) / 2)):
        assert size - 1 <= extent <= size + 3, f"{what}: the marker is {extent} px across"
        assert abs(middle - 32.5) <= 1, f"{what}: the marker is centred at {middle}, the mine at 32.5"

    img = styled_map(shttp, styled, frame, styles="status-capacity")
    if centre is not None:
        assert_colour(img.at(*centre), over(fill, ss.MINE_FILL_OPACITY, WHITE), 4, f"{what}: over white")


def pixel_of_fill(img: Image, fill: tuple, size: int, shape: str) -> tuple[int, int] | None:
    """The pixel to compare with the fill: the mine's own (32, 32), or for a 6 px triangle
    the one of its 3 x 3 neighbours closest to the fill; None for a 6 px x."""
    if size >= 10 or shape in ("circle", "square"):
        return 32, 32
    if shape == "x":
        return None
    return min(((c, r) for c in range(31, 34) for r in range(31, 34)),
               key=lambda p: colour_distance(img.at(*p), fill))


def test_capacity_boundaries_follow_the_rules():
    """The isolated mines the marker tests pick include the boundary capacity 5.0 (the
    >= 5 rule), capacities under 1 and unknown ones (the 'under 1 or unknown' rule)."""
    assert ss.most_isolated("Shelved", 15).capacity == 5.0
    small = [ss.most_isolated(s, 6).capacity for s in ss.STATUS_MARK]
    assert None in small and any(c is not None and c < 1 for c in small), small


def test_unknown_capacity_is_drawn_small(shttp, styled):
    """Kushiro (Operating, capacity unknown, 12 degrees from any other mine): a 6 px circle."""
    mine = ss.mine_named("Kushiro Coal Mine")
    assert mine.capacity is None and mine.status == "Operating" and mine.nearest > 5
    img = styled_map(shttp, styled, mine_frame(mine), styles="status-capacity", TRANSPARENT="TRUE")
    assert_colour(img.at(32, 32), rgb(ss.STATUS_MARK["Operating"][1]), 4, "Kushiro", alpha=217, alpha_tolerance=4)
    assert 24 <= int((img.rgba[..., 3] >= 128).sum()) <= 48


# --------------------------------------------------------------------------- countries by group


def rasterize_group(frame: Frame, crs: str, group: str) -> np.ndarray:
    """How many polygons of the group cover each pixel centre (GDAL, from the source)."""
    mem = gdal.GetDriverByName("MEM").Create("", frame.width, frame.height, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(frame.geotransform())
    vds = ogr.GetDriverByName("Memory").CreateDataSource("groups")
    layer = vds.CreateLayer("groups", None, ogr.wkbUnknown)
    for _, _, g_name, geometry in ss.country_groups():
        if g_name != group:
            continue
        g = geometry.Clone()
        if crs != "CRS:84":
            assert g.Transform(_to_east_north(int(crs.split(":")[1]))) == 0
        f = ogr.Feature(layer.GetLayerDefn())
        f.SetGeometry(g)
        layer.CreateFeature(f)
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        gdal.RasterizeLayer(mem, [1], layer, burn_values=[1], options=["MERGE_ALG=ADD"])
    finally:
        gdal.PopErrorHandler()
    return mem.GetRasterBand(1).ReadAsArray()


def region_frame(crs: str, width: int = 240) -> Frame:
    corners = [project(crs, lon, lat) for lon, lat in ((90, -12), (150, 55))]
    bbox = (corners[0][0], corners[0][1], corners[1][0], corners[1][1])
    return Frame(bbox, width, round(width * (bbox[3] - bbox[1]) / (bbox[2] - bbox[0])))


@pytest.mark.parametrize("crs", ["CRS:84", "EPSG:3857"])
def test_countries_filled_by_group(shttp, styled, crs):
    """ASEAN+3 at 1:90,000,000 or so (no names): every pixel 2 px or more inside a country
    of a group is the group's fill at 0.9 over white, every pixel 2 px from any country white."""
    frame = region_frame(crs)
    img = styled_map(shttp, styled, frame, crs, layers="countries", styles="asean-plus-three")
    no_boundary = rasterize_countries(frame, crs, "boundaries") == 0
    sea = erode(rasterize_countries(frame, crs, "touched") == 0, 2)
    pixels = img.rgba[..., :3].astype(int)
    for group, fill in ss.GROUP_FILL.items():
        inside = erode((rasterize_group(frame, crs, group) == 1) & no_boundary, 2)
        assert inside.sum() > 300, f"{group}: the oracle found too few interior pixels"
        want = np.array(over(rgb(fill), ss.COUNTRY_FILL_OPACITY, WHITE))
        bad = np.argwhere(inside & (np.abs(pixels - want).max(axis=2) > 4))
        assert len(bad) == 0, (f"{len(bad)} of {int(inside.sum())} {group} interior pixels are not {fill} at 0.9, "
                               f"e.g. {[(int(c), int(r), img.at(int(c), int(r))) for r, c in bad[:4]]}")
    bad = np.argwhere(sea & (np.abs(pixels - np.array(WHITE)).max(axis=2) > 0))
    assert len(bad) == 0, f"{len(bad)} pixels away from any country are drawn"
    assert int(dark(img).sum()) == 0, "country names drawn at a scale smaller than 1:40,000,000"


def test_countries_at_their_point_on_surface(shttp, styled):
    """The pixel of each country's PointOnSurface (OGR), where it is 3 px or more from any
    boundary, has its group's fill."""
    frame = region_frame("CRS:84", 480)
    img = styled_map(shttp, styled, frame, layers="countries", styles="asean-plus-three")
    clear = erode(rasterize_countries(frame, "CRS:84", "boundaries") == 0, 3)
    sampled = []
    for iso3, _, group, geometry in ss.country_groups():
        p = geometry.PointOnSurface()
        col, row = (int(v) for v in frame.pixel(p.GetX(), p.GetY()))
        if not clear[row, col]:
            continue
        assert_colour(img.at(col, row), over(rgb(ss.GROUP_FILL[group]), ss.COUNTRY_FILL_OPACITY, WHITE), 4,
                      f"{iso3} ({group}) at its PointOnSurface")
        sampled.append(iso3)
    assert len(sampled) >= 8 and {"CHN", "JPN", "IDN", "MMR"} <= set(sampled), sampled


# --------------------------------------------------------------------------- labels and scale denominators


def scale_frame(crs: str, scale: float, mine, width: int = 200, height: int = 100) -> Frame:
    geographic = crs in ("CRS:84", "EPSG:4326", "EPSG:4490")
    res = ss.degrees_per_pixel(scale) if geographic else ss.metres_per_pixel(scale)
    return mine_frame(mine, crs, res, width // 2, height // 2 + 20, width, height)


LABEL_CRS = [
    "CRS:84", "EPSG:4326", "EPSG:3857", "EPSG:32647",
    pytest.param("EPSG:4490"),
]


@pytest.mark.parametrize("crs", LABEL_CRS)
def test_mine_names_switch_at_one_to_a_million(shttp, styled, crs):
    """status-capacity names mines below 1:1,000,000: at 1:995,000 the name is there (dark
    text above the marker), at 1:1,005,000 there is no text at all."""
    mine = ss.mine_named("Tigyit Coal Mine")
    counts = {}
    for scale in (0.995 * ss.MINE_LABEL_MAX_SCALE, 1.005 * ss.MINE_LABEL_MAX_SCALE):
        frame = scale_frame(crs, scale, mine)
        img = styled_map(shttp, styled, frame, crs, styles="status-capacity")
        text = dark(img)
        counts[scale] = int(text.sum())
        if scale < ss.MINE_LABEL_MAX_SCALE:
            ys, xs = np.nonzero(text)
            assert counts[scale] >= 30, f"{crs} 1:{scale:,.0f}: only {counts[scale]} text pixels"
            assert ys.max() < 70 - 3 and ys.min() > 70 - 35, f"{crs}: the text is not just above the mine"
            assert abs((xs.min() + xs.max()) / 2 - 100) <= 6, f"{crs}: the text is not centred on the mine"
    assert counts[1.005 * ss.MINE_LABEL_MAX_SCALE] == 0, f"{crs}: names drawn at 1:1,005,000: {counts}"


@pytest.mark.parametrize("crs", ["CRS:84", "EPSG:3857"])
def test_country_names_switch_at_one_to_forty_million(shttp, styled, crs):
    counts = {}
    for scale in (0.995 * ss.COUNTRY_LABEL_MAX_SCALE, 1.005 * ss.COUNTRY_LABEL_MAX_SCALE):
        res = ss.degrees_per_pixel(scale) if crs == "CRS:84" else ss.metres_per_pixel(scale)
        x, y = project(crs, 104.0, 35.0)  # China
        frame = frame_around(x, y, 150, 100, 300, 200, res)
        img = styled_map(shttp, styled, frame, crs, layers="countries", styles="asean-plus-three")
        counts[scale] = int(dark(img).sum())
    assert counts[0.995 * ss.COUNTRY_LABEL_MAX_SCALE] >= 40, counts
    assert counts[1.005 * ss.COUNTRY_LABEL_MAX_SCALE] == 0, counts


SCALE_RULES = sld10(named_layer(
    "coal_mines",
    rule(mark("square", "#ff0000", 12), max_scale=2_000_000.0),
    rule(mark("square", "#0000ff", 12), min_scale=2_000_000.0)))


@pytest.mark.parametrize("crs, version", [
    ("CRS:84", "1.3.0"), ("EPSG:4326", "1.3.0"), ("EPSG:4326", "1.1.1"), ("EPSG:3857", "1.3.0"),
    ("EPSG:32647", "1.3.0"),
    pytest.param("EPSG:4490", "1.3.0"),
])
def test_min_and_max_scale_denominators(shttp, styled, crs, version):
    """Two rules split at 1:2,000,000 (MaxScaleDenominator / MinScaleDenominator): red just
    below, blue just above, in every CRS (degrees taken at 6378137 * pi / 180 m)."""
    mine = ss.mine_named("Tigyit Coal Mine")
    for scale, colour in ((1_990_000, RED), (2_010_000, BLUE)):
        frame = scale_frame(crs, scale, mine, 100, 60)
        img = styled_map(shttp, styled, frame, crs, version, layers=None if version == "1.3.0" else "coal_mines",
                         SLD_BODY=SCALE_RULES)
        col, row = frame.pixel(*project(crs, mine.lon, mine.lat))
        assert_colour(img.at(int(col), int(row)), colour, 2, f"{crs} {version} 1:{scale:,}")


# --------------------------------------------------------------------------- SLD_BODY


FILTER_BOX = (115.5, -0.25, 117.5, 1.25)  # East Kalimantan: 30 mines, operating and not
RED_SQUARES = sld10(named_layer("coal_mines", rule(mark("square", "#ff0000", 12), filter=eq("status", "Operating"))))


def test_sld_body_filter_draws_only_matching_mines(shttp, styled):
    """All operating coal mines as 12 px red squares: at every operating mine standing
    0.16 degrees (16 px) from any other a red square of 144 px, at every other such mine
    nothing at all (OGR lists the mines in the box)."""
    frame = Frame(FILTER_BOX, 200, 150)
    img = styled_map(shttp, styled, frame, layers="coal_mines", SLD_BODY=RED_SQUARES)
    mines = [m for m in ss.mines_in_box((FILTER_BOX[0] + 0.1, FILTER_BOX[1] + 0.1, FILTER_BOX[2] - 0.1,
                                         FILTER_BOX[3] - 0.1)) if m.nearest >= 0.16]
    operating = [m for m in mines if m.status == "Operating"]
    others = [m for m in mines if m.status != "Operating"]
    assert len(operating) >= 3 and len(others) >= 3, (len(operating), len(others))
    red = np.abs(img.rgba[..., :3].astype(int) - np.array(RED)).max(axis=2) <= 8
    white = np.abs(img.rgba[..., :3].astype(int) - np.array(WHITE)).max(axis=2) == 0
    for m in operating:
        col, row = frame.pixel(m.lon, m.lat)
        assert_colour(img.at(int(col), int(row)), RED, 2, f"{m.name} (Operating)")
        count = int((red & disc(img, col, row, 10)).sum())
        assert 120 <= count <= 170, f"{m.name}: {count} red pixels, a 12 px square has 144"
    for m in others:
        col, row = frame.pixel(m.lon, m.lat)
        around = disc(img, col, row, 7)
        assert bool(white[around].all()), f"{m.name} ({m.status}) is drawn, the filter wants only Operating"
    # nothing but red squares and their anti-aliased edges (a 12 px square has 48 edge pixels)
    drawn = [m for m in ss.mines_in_box((FILTER_BOX[0] - 0.1, FILTER_BOX[1] - 0.1, FILTER_BOX[2] + 0.1,
                                         FILTER_BOX[3] + 0.1)) if m.status == "Operating"]
    edges = int((~white & ~red).sum())
    assert edges <= 52 * len(drawn), f"{edges} pixels neither white nor red for {len(drawn)} operating mines"


FES_FILTERS = {
    "FES 1.1 PropertyName": eq("status", "Operating"),
    "FES 2.0 ValueReference": (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
        "<fes:ValueReference>status</fes:ValueReference><fes:Literal>Operating</fes:Literal>"
        "</fes:PropertyIsEqualTo></fes:Filter>"),
    "PropertyIsLike": ('<ogc:PropertyIsLike wildCard="*" singleChar="?" escapeChar="!">'
                       "<ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Oper*</ogc:Literal></ogc:PropertyIsLike>"),
    "Not Or": ("<ogc:Not><ogc:Or>" + eq("status", "Proposed") + eq("status", "Cancelled") + eq("status", "Shelved")
               + eq("status", "Mothballed") + "</ogc:Or></ogc:Not>"),
}


@pytest.mark.parametrize("dialect", sorted(FES_FILTERS))
def test_rule_filter_dialects(shttp, styled, dialect):
    """The same selection (status Operating) written four ways: Tigyit (Operating) red,
    Omkoi (Proposed) not drawn."""
    text = FES_FILTERS[dialect]
    if text.startswith("<fes:Filter"):  # a whole FES 2.0 filter in place of ogc:Filter
        style = sld10(named_layer("coal_mines", f"<Rule>{text}{mark('square', '#ff0000', 12)}</Rule>"))
    else:
        style = sld10(named_layer("coal_mines", rule(mark("square", "#ff0000", 12), filter=text)))
    for name, drawn in (("Tigyit Coal Mine", True), ("Omkoi Coal Mine", False)):
        mine = ss.mine_named(name)
        assert (mine.status == "Operating") == drawn
        img = styled_map(shttp, styled, mine_frame(mine), SLD_BODY=style, TRANSPARENT="TRUE")
        if drawn:
            assert_colour(img.at(32, 32), RED, 2, f"{dialect}: {name}")
        else:
            assert int(img.rgba[..., 3].max()) == 0, f"{dialect}: {name} ({mine.status}) is drawn"


@pytest.mark.parametrize("layers", [None, "coal_mines"])
@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_sld_body_with_and_without_layers(shttp, styled, layers, version):
    mine = ss.mine_named("Tigyit Coal Mine")
    assert mine.status == "Operating"
    crs = "CRS:84" if version == "1.3.0" else "EPSG:4326"
    img = styled_map(shttp, styled, mine_frame(mine), crs, version, layers=layers, SLD_BODY=RED_SQUARES)
    assert_colour(img.at(32, 32), RED, 2, f"LAYERS={layers} {version}")
    px = img.rgba.astype(int)
    red = (px[..., 0] > 200) & (px[..., 1] < 60) & (px[..., 2] < 60)
    assert 120 <= int(red.sum()) <= 170, f"{int(red.sum())} red pixels, a 12 px square has 144"


def two_layers(order: list[str]) -> str:
    layers = {"countries": named_layer("countries", rule(polygon("#00ff00"))),
              "coal_mines": named_layer("coal_mines", rule(mark("square", "#ff0000", 12)))}
    return sld10(*(layers[n] for n in order))


@pytest.mark.parametrize("order", [["countries", "coal_mines"], ["coal_mines", "countries"]])
def test_sld_body_draws_its_named_layers_in_order(shttp, styled, order):
    """Without LAYERS, the NamedLayers of the SLD in document order: an opaque green
    country drawn after the mines hides them."""
    mine = ss.mine_named("Tigyit Coal Mine")
    img = styled_map(shttp, styled, mine_frame(mine), layers=None, SLD_BODY=two_layers(order))
    want = RED if order[-1] == "coal_mines" else (0, 255, 0)
    assert_colour(img.at(32, 32), want, 2, f"{order}: the mine's pixel")
    assert_colour(img.at(5, 5), (0, 255, 0), 2, f"{order}: inside Myanmar")


def test_sld_body_styles_only_the_layers_it_names(shttp, styled):
    """LAYERS=countries,coal_mines with an SLD for coal_mines: countries keep the default
    style (first palette colour at 35 %)."""
    mine = ss.mine_named("Tigyit Coal Mine")
    img = styled_map(shttp, styled, mine_frame(mine), layers="countries,coal_mines", SLD_BODY=RED_SQUARES)
    assert_colour(img.at(32, 32), RED, 2, "the mine")
    assert_colour(img.at(5, 5), over(rgb(PALETTE[0]), 0.35, WHITE), 3, "inside Myanmar, default style")


def test_sld_body_equals_the_stored_style(shttp, styled):
    """The demo SLD sent as SLD_BODY draws what STYLES=status-capacity draws."""
    frame = Frame(FILTER_BOX, 200, 150)
    stored = styled_map(shttp, styled, frame, styles="status-capacity")
    inline = styled_map(shttp, styled, frame, SLD_BODY=ss.DEMO_STYLES[0].path.read_text())
    assert np.array_equal(stored.rgba, inline.rgba)
    assert int((np.abs(stored.rgba[..., :3].astype(int) - 255).max(axis=2) > 30).sum()) > 200, "nothing drawn?"


ELSE_STYLE = sld10(named_layer(
    "coal_mines",
    rule(mark("square", "#0000ff", 12), filter=ge("capacity_mtpa", 5), title="5 Mtpa or more"),
    rule(mark("square", "#ffff00", 12), else_filter=True, title="everything else")))


@pytest.mark.parametrize("name, colour", [
    ("PW Coal Mine", BLUE),          # 20.16 Mtpa
    ("Tigyit Coal Mine", YELLOW),    # 0.9 Mtpa
    pytest.param("Kushiro Coal Mine", YELLOW),
])
def test_else_filter(shttp, styled, name, colour):
    mine = ss.mine_named(name)
    img = styled_map(shttp, styled, mine_frame(mine), SLD_BODY=ELSE_STYLE)
    assert_colour(img.at(32, 32), colour, 2, f"{name} (capacity {mine.capacity})")


@pytest.mark.parametrize("shape", [
    "circle",
    pytest.param("square"),
    pytest.param("triangle"),
])
def test_mark_stroke_width_is_in_pixels(shttp, styled, shape):
    """A 24 px mark, black fill and a 2 px white stroke on black: the white amount is the
    stroke's area (the mark's outline buffered by 1 px each side), whatever the shape."""
    mine = ss.mine_named("Kushiro Coal Mine")
    style = sld10(named_layer("coal_mines", rule(mark(shape, "#000000", 24, "#ffffff", 2))))
    img = styled_map(shttp, styled, mine_frame(mine), SLD_BODY=style, BGCOLOR="0x000000")
    white = float(img.rgba[..., :3].astype(float).mean(axis=2).sum() / 255)
    outline = ss.mark_polygon(shape, 24)
    want = outline.Buffer(1, 16).GetArea() - outline.Buffer(-1, 16).GetArea()
    assert 0.75 * want <= white <= 1.25 * want, f"{shape}: {white:.0f} px of stroke, a 2 px outline has {want:.0f}"


def test_mark_rotation_and_opacity(shttp, styled):
    """A 20 px square rotated 45 degrees is a diamond: its corners on the axes, the
    corners of the unrotated square empty; Opacity 0.5 halves its alpha."""
    mine = ss.mine_named("Kushiro Coal Mine")
    style = sld10(named_layer("coal_mines", rule(mark("square", "#ff0000", 20, opacity=0.5, rotation=45))))
    img = styled_map(shttp, styled, mine_frame(mine), SLD_BODY=style, TRANSPARENT="TRUE")
    assert_colour(img.at(32, 32), RED, 3, "centre", alpha=128, alpha_tolerance=6)
    for dx, dy in ((12, 0), (-12, 0), (0, 12), (0, -12)):   # 12 < 10 * sqrt(2): inside the diamond
        assert img.at(32 + dx, 32 + dy)[3] >= 100, f"({dx}, {dy}) should be inside the diamond"
    for dx, dy in ((8, 8), (-9, 8), (8, -9), (-9, -9)):     # the unrotated corners
        assert img.at(32 + dx, 32 + dy)[3] == 0, f"({dx}, {dy}) is a corner of an unrotated square"


def test_polygon_symbolizer_sld10(shttp, styled):
    """An SLD 1.0 PolygonSymbolizer (CssParameter fill and fill-opacity) on countries."""
    mine = ss.mine_named("Tigyit Coal Mine")
    style = sld10(named_layer("countries", rule(polygon("#336699", 0.5))))
    img = styled_map(shttp, styled, mine_frame(mine), layers="countries", SLD_BODY=style)
    assert_colour(img.at(10, 50), over((0x33, 0x66, 0x99), 0.5, WHITE), 3, "Myanmar at 0.5")


# --------------------------------------------------------------------------- legends


def test_legend_of_status_capacity(shttp, styled, demo_rules):
    """GetLegendGraphic STYLE=status-capacity: one row per rule of the SLD (16), each with
    its fill in the swatch and its title as text; the same PNG as the OGC API legend."""
    r = wms_get(shttp, styled.url, "GetLegendGraphic", LAYER="coal_mines", STYLE="status-capacity")
    content = image_response(r)
    img = decode(content)
    n = len(demo_rules)
    assert n == 16 and img.height % n == 0, (n, img.height)
    row = img.height // n
    assert row >= 20
    text = dark(img)
    for k, rule_ in enumerate(demo_rules):
        band = slice(k * row, (k + 1) * row)
        assert int(text[band, 26:].sum()) >= 20, f"row {k} ({rule_['title']}): no title text"
        assert int(text[band, :24].sum()) == 0, f"row {k}: text in the swatch"
        swatch = img.rgba[band, :24]
        if "fill" not in rule_:
            assert int(swatch[..., 3].max()) == 0, f"row {k} ({rule_['title']}): something in the swatch"
            continue
        fill = np.array(rgb(rule_["fill"]))
        match = (np.abs(swatch[..., :3].astype(int) - fill).max(axis=2) <= 6) & (swatch[..., 3] >= 150)
        least = {15: 40, 10: 12, 6: 1}[int(rule_["size"])] if rule_["mark"] != "x" else {15: 12, 10: 4, 6: 0}[
            int(rule_["size"])]  # an x is mostly outline
        assert int(match.sum()) >= least, f"row {k} ({rule_['title']}): {int(match.sum())} pixels of {rule_['fill']}"
        for other in ss.STATUS_MARK.values():
            if other[1] != rule_["fill"]:
                theirs = (np.abs(swatch[..., :3].astype(int) - np.array(rgb(other[1]))).max(axis=2) <= 6) & (
                    swatch[..., 3] >= 150)
                assert int(theirs.sum()) == 0, f"row {k}: {other[1]} in the swatch of {rule_['title']}"
    api = shttp.get(styled.url + "/collections/coal_mines/styles/status-capacity/legend", timeout=30)
    assert np.array_equal(decode(image_response(api)).rgba, img.rgba), "the OGC API legend differs from WMS's"


def test_legend_rule_of_a_stored_style(shttp, styled):
    r = wms_get(shttp, styled.url, "GetLegendGraphic", LAYER="countries", STYLE="asean-plus-three", RULE="asean")
    img = decode(image_response(r))
    assert_colour(img.at(12, img.height // 2), rgb(ss.GROUP_FILL["ASEAN"]), 4, "ASEAN swatch", alpha=230,
                  alpha_tolerance=3)
    r = wms_get(shttp, styled.url, "GetLegendGraphic", LAYER="countries", STYLE="asean-plus-three", RULE="nope")
    assert_service_exception(r, "InvalidParameterValue")


@pytest.mark.parametrize("request_, params, locator", [
    ("GetMap", {"STYLES": "no-such-style"}, "STYLES"),
    ("GetMap", {"STYLES": "asean-plus-three"}, "STYLES"),       # a style of another layer
    ("GetMap", {"STYLES": "Status-Capacity"}, "STYLES"),        # names are case-sensitive
    ("GetLegendGraphic", {"STYLE": "no-such-style"}, "STYLE"),
    ("GetLegendGraphic", {"STYLE": "outline"}, "STYLE"),
])
def test_style_not_defined(shttp, styled, request_, params, locator):
    if request_ == "GetMap":
        r = get_map(shttp, styled.url, layers="coal_mines", bbox=(96, 20, 97, 21), **{"styles": params["STYLES"]})
    else:
        r = wms_get(shttp, styled.url, request_, LAYER="coal_mines", **params)
    e = assert_service_exception(r, "StyleNotDefined")
    assert (e.locator or "").upper() == locator


# --------------------------------------------------------------------------- SLD_BODY / SLD errors


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
@pytest.mark.parametrize("case", sorted(c for c in BAD_SLDS if c != "another collection's layer"))  # valid here
def test_invalid_sld_body(shttp, styled, version, case):
    text, mention = BAD_SLDS[case]
    crs = "CRS:84" if version == "1.3.0" else "EPSG:4326"
    r = get_map(shttp, styled.url, layers="coal_mines", bbox=(96, 20, 97, 21), crs=crs, version=version,
                SLD_BODY=text)
    e = assert_service_exception(r, "InvalidParameterValue", version)
    if version == "1.3.0":
        assert e.locator == "SLD_BODY", e
    if mention:
        assert mention.lower() in e.text.lower(), f"{e.text!r} does not mention {mention!r}"
    assert "root:" not in r.text


@pytest.fixture
def listener():
    """A loopback TCP port that records whether anything connected to it."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(4)
    s.settimeout(0.3)
    yield s
    s.close()


@pytest.mark.parametrize("version", ["1.3.0", "1.1.1"])
def test_sld_by_reference_is_never_fetched(shttp, styled, listener, version):
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/style.sld"
    crs = "CRS:84" if version == "1.3.0" else "EPSG:4326"
    for sld in (url, "file:///etc/passwd"):
        r = get_map(shttp, styled.url, layers="coal_mines", bbox=(96, 20, 97, 21), crs=crs, version=version, SLD=sld)
        e = assert_service_exception(r, "OperationNotSupported", version)
        if version == "1.3.0":
            assert e.locator == "SLD"
        assert "root:" not in r.text
    with pytest.raises(socket.timeout):
        listener.accept()


HOSTILE = [
    "<" * 5000, "\x00", "\ufffe" * 100, SLD10_OPEN + "\x00" + SLD10_CLOSE,
    '<?xml-stylesheet href="http://127.0.0.1:9/x"?>' + sld10(named_layer("coal_mines", rule(PT))),
    sld10(named_layer("coal_mines", rule(PT))).replace(
        SLD10_CLOSE, '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" '
        'parse="text"/>' + SLD10_CLOSE),
    sld10(named_layer("coal_mines", "<Rule>" + "<a>" * 3000 + "</a>" * 3000 + PT + "</Rule>")),
    sld10(named_layer("coal_mines", rule(mark("star", "#ff0000", 256, rotation=-360)))),
    sld10(named_layer("coal_mines", rule(mark("cross", "#ff0000", 0)))),
    sld10(named_layer("countries", rule(
        "<TextSymbolizer><Label><ogc:PropertyName>name</ogc:PropertyName></Label><Font>"
        + css("font-size", 72) + "</Font><Halo><Radius>10</Radius></Halo></TextSymbolizer>"))),
    sld10(named_layer("countries", rule("<LineSymbolizer><Stroke>" + css("stroke-dasharray", "0.01 0.01")
                                        + "</Stroke></LineSymbolizer>"))),
    sld10(*[named_layer("coal_mines", rule(PT))] * 20),
]


@pytest.mark.parametrize("body", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_sld_body_is_never_a_server_error(shttp, styled, body):
    r = get_map(shttp, styled.url, layers="coal_mines,countries", bbox=(96, 20, 97, 21), width=64, height=64,
                SLD_BODY=body)
    assert r.status_code < 500, f"HTTP {r.status_code}: {r.text[:300]}"
    if r.status_code == 200:
        decode(r.content)
    else:
        service_exceptions(r, status=r.status_code)
    assert "root:" not in r.text
    assert shttp.get(styled.url + "/", timeout=10).status_code == 200


def test_zero_dash_pattern_does_not_hang(tmp_path, store_path):
    """On a throwaway server (killed afterwards): the request must be answered (a render
    spinning on the pattern never answers; 30 s is far beyond any render of 64 x 64 px), by
    an InvalidParameterValue report or by an image with the outline drawn solid: every
    pixel a border touches (GDAL's rasterisation of the country boundaries, the Thai-Lao
    border here) has red next to it, and nothing is drawn 3 px or more from a border."""
    store = ss.copy_store(store_path, tmp_path / "store.gpkg")
    srv = ss.ConfiguredServer(store, tmp_path, name="dash")
    srv.start()
    frame = Frame((100.0, 17.0, 102.0, 19.0), 64, 64)
    body = sld10(named_layer("countries", rule("<LineSymbolizer><Stroke>" + css("stroke", "#ff0000")
                                               + css("stroke-dasharray", "0 0") + "</Stroke></LineSymbolizer>")))
    try:
        with http_session() as s:
            try:
                r = s.get(srv.url + "/wms", timeout=30, params={
                    "SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": "countries", "STYLES": "",
                    "CRS": "CRS:84", "BBOX": ",".join(str(v) for v in frame.bbox), "WIDTH": frame.width,
                    "HEIGHT": frame.height, "FORMAT": "image/png", "TRANSPARENT": "TRUE", "SLD_BODY": body})
            except requests.exceptions.Timeout:
                pytest.fail("GetMap with stroke-dasharray `0 0` did not answer")
        if r.status_code != 200:
            assert_service_exception(r, "InvalidParameterValue")
            return
        rgba = decode(r.content).rgba.astype(int)
        red = (rgba[..., 3] > 64) & (rgba[..., 0] > 128) & (rgba[..., 1] < 100) & (rgba[..., 2] < 100)
        border = rasterize_countries(frame, "CRS:84", "boundaries") > 0
        inner = np.zeros_like(border)
        inner[2:-2, 2:-2] = True
        assert (border & inner).sum() >= 50, "the box should hold a border"
        near_red = ~erode(~red, 1)  # red in the pixel or one of its 8 neighbours
        gaps = border & inner & ~near_red
        assert not gaps.any(), (f"{int(gaps.sum())} of {int((border & inner).sum())} border pixels have no red "
                                f"next to them (a dashed or missing outline), e.g. (row, col) {np.argwhere(gaps)[:4].tolist()}")
        near_border = ~erode(~border, 2)  # anti-aliasing may tint the pixels next to the line's
        stray = (rgba[..., 3] > 0) & ~near_border
        assert not stray.any(), f"{int(stray.sum())} pixels drawn away from every border"
    finally:
        srv.process.kill()  # a spinning render thread would hold up a SIGTERM
        srv.process.wait(timeout=10)
        for f in srv._files:
            f.close()


# --------------------------------------------------------------------------- OGC API Styles: reading


def test_styles_list(shttp, styled):
    r = shttp.get(styled.url + "/collections/coal_mines/styles", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert doc["default"] == "default"
    assert [s["id"] for s in doc["styles"]] == ["default", "status-capacity"]
    self_link = [lk for lk in doc["links"] if lk["rel"] == "self"]
    assert self_link and self_link[0]["href"] == styled.url + "/collections/coal_mines/styles"
    default, stored = doc["styles"]
    assert not [lk for lk in default["links"] if lk["rel"] == "stylesheet"], "the default style has no SLD"
    title, abstract = sld_title_abstract(ss.DEMO_STYLES[0].path)
    assert stored["title"] == title and stored["description"] == abstract
    links = {lk["rel"]: lk for lk in stored["links"]}
    assert links["stylesheet"]["type"] == SLD11_TYPE
    assert links["stylesheet"]["href"] == styled.url + "/collections/coal_mines/styles/status-capacity"
    sld = shttp.get(links["stylesheet"]["href"], timeout=30)
    assert sld.status_code == 200 and sld.headers["Content-Type"].replace(" ", "") == SLD11_TYPE
    assert sld.content == ss.DEMO_STYLES[0].path.read_bytes(), "the SLD is not served as stored"
    for s in doc["styles"]:
        legend = [lk for lk in s["links"] if lk["rel"] == "describedby"]
        assert legend and legend[0]["type"] == "image/png"
        img = decode(image_response(shttp.get(legend[0]["href"], timeout=30)))
        wms = wms_get(shttp, styled.url, "GetLegendGraphic", LAYER="coal_mines", STYLE=s["id"])
        assert np.array_equal(img.rgba, decode(image_response(wms)).rgba), f"{s['id']}: legends differ"


@pytest.mark.parametrize("collection", ["countries", "coal_mine_boundaries", "mine_facilities", "observations"])
def test_styles_list_other_collections(shttp, styled, collection):
    doc = shttp.get(f"{styled.url}/collections/{collection}/styles", timeout=30).json()
    assert [s["id"] for s in doc["styles"]] == expected_styles(collection)


def test_collection_links_to_its_styles(shttp, styled):
    doc = shttp.get(styled.url + "/collections/coal_mines", params={"f": "json"}, timeout=30).json()
    links = [lk for lk in doc["links"] if lk["rel"] == STYLES_REL]
    assert links and links[0]["href"] == styled.url + "/collections/coal_mines/styles", doc["links"]


@pytest.mark.parametrize("path", [
    "/collections/coal_mines/styles/default",
    "/collections/coal_mines/styles/no-such-style",
    "/collections/coal_mines/styles/asean-plus-three",
    "/collections/coal_mines/styles/no-such-style/legend",
    "/collections/no_such_collection/styles",
    "/collections/no_such_collection/styles/status-capacity",
    "/collections/coal_mines/styles/..%2F..%2Fetc%2Fpasswd",
])
def test_styles_not_found(shttp, styled, path):
    r = shttp.get(styled.url + path, timeout=30)
    assert r.status_code == 404, f"{path}: HTTP {r.status_code}"
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["code"] == "NotFound" and "root:" not in r.text


# --------------------------------------------------------------------------- OGC API Styles: writing


MAGENTA_SQUARES = sld10(named_layer("coal_mines", rule(mark("square", "#ff00ff", 12)), title="Magenta squares"))
CYAN_CIRCLES = sld10(named_layer("coal_mines", rule(mark("circle", "#00ffff", 12)), title="Cyan circles"))


def auth(token: str = ss.ADMIN_TOKEN, scheme: str = "Bearer") -> dict:
    return {"Authorization": f"{scheme} {token}"}


def put_style(shttp, styled, name: str, body: str, headers: dict | None = None, collection: str = "coal_mines"):
    return shttp.put(f"{styled.url}/collections/{collection}/styles/{name}", data=body.encode(),
                     headers={"Content-Type": "application/vnd.ogc.sld+xml", **(auth() if headers is None else headers)},
                     timeout=30)


def delete_style(shttp, styled, name: str, headers: dict | None = None):
    return shttp.delete(f"{styled.url}/collections/coal_mines/styles/{name}",
                        headers=auth() if headers is None else headers, timeout=30)


def json_error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.url}: HTTP {r.status_code}, wanted {status}: {r.text[:300]}"
    assert r.headers["Content-Type"].startswith("application/json"), r.headers["Content-Type"]
    doc = r.json()
    if code:
        assert doc["code"] == code, doc
    return doc


def tigyit_pixel(shttp, styled, style: str):
    mine = ss.mine_named("Tigyit Coal Mine")
    r = get_map(shttp, styled.url, layers="coal_mines", styles=style, bbox=mine_frame(mine).bbox, width=64, height=64)
    return r, (decode(image_response(r)).at(32, 32) if r.status_code == 200 else None)


def test_put_getmap_delete(shttp, styled):
    r = put_style(shttp, styled, "api-style", MAGENTA_SQUARES)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert (doc["id"], doc["title"]) == ("api-style", "Magenta squares")
    stamp = datetime.strptime(doc["updated"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - stamp) < timedelta(minutes=5)
    assert ("coal_mines", "api-style") in {(row[0], row[1]) for row in ss.style_rows(styled.store)}
    try:
        got = shttp.get(styled.url + "/collections/coal_mines/styles/api-style", timeout=30)
        assert got.status_code == 200 and got.text == MAGENTA_SQUARES
        assert got.headers["Content-Type"].replace(" ", "") == SLD10_TYPE
        listing = shttp.get(styled.url + "/collections/coal_mines/styles", timeout=30).json()
        entry = [s for s in listing["styles"] if s["id"] == "api-style"]
        assert entry and entry[0]["title"] == "Magenta squares"
        assert [lk["type"] for lk in entry[0]["links"] if lk["rel"] == "stylesheet"] == [SLD10_TYPE]
        _, pixel = tigyit_pixel(shttp, styled, "api-style")
        assert_colour(pixel, MAGENTA, 2, "GetMap STYLES=api-style")
        caps = parse_xml(wms_get(shttp, styled.url, "GetCapabilities"))
        assert "api-style" in [s.findtext(f"{{{WMS_NS}}}Name")
                               for s in named_layers(caps)["coal_mines"].findall(f"{{{WMS_NS}}}Style")]

        r = put_style(shttp, styled, "api-style", CYAN_CIRCLES)  # replaced
        assert r.status_code == 200 and r.json()["title"] == "Cyan circles"
        _, pixel = tigyit_pixel(shttp, styled, "api-style")
        assert_colour(pixel, (0, 255, 255), 2, "GetMap after the replacement")
    finally:
        r = delete_style(shttp, styled, "api-style")
    assert r.status_code == 204 and r.content == b"", (r.status_code, r.text)
    r, _ = tigyit_pixel(shttp, styled, "api-style")
    assert_service_exception(r, "StyleNotDefined")
    json_error(shttp.get(styled.url + "/collections/coal_mines/styles/api-style", timeout=30), 404, "NotFound")
    json_error(delete_style(shttp, styled, "api-style"), 404, "NotFound")


def test_put_bare_feature_type_style(shttp, styled):
    r = put_style(shttp, styled, "bare-fts", SE_FEATURE_TYPE_STYLE)
    assert r.status_code == 200, r.text
    try:
        _, pixel = tigyit_pixel(shttp, styled, "bare-fts")
        assert_colour(pixel, MAGENTA, 2, "GetMap with a bare FeatureTypeStyle")
    finally:
        assert delete_style(shttp, styled, "bare-fts").status_code == 204


@pytest.mark.parametrize("case", sorted(BAD_SLDS))
def test_put_invalid_sld(shttp, styled, case):
    before = ss.style_rows(styled.store)
    doc = json_error(put_style(shttp, styled, "status-capacity", BAD_SLDS[case][0]), 400, "InvalidParameterValue")
    assert "root:" not in doc.get("description", "")
    assert ss.style_rows(styled.store) == before, f"{case}: the store changed"


@pytest.mark.parametrize("name", ["default", "x" * 65, "bad%20name", "caf%C3%A9", "a%2Fb"])
def test_put_invalid_name(shttp, styled, name):
    before = ss.style_rows(styled.store)
    r = put_style(shttp, styled, name, MAGENTA_SQUARES)
    assert r.status_code in (400, 404), f"{name}: HTTP {r.status_code}"
    json_error(r, r.status_code)
    assert ss.style_rows(styled.store) == before


def test_put_to_unknown_collection(shttp, styled):
    json_error(put_style(shttp, styled, "x", MAGENTA_SQUARES, collection="no_such_collection"), 404, "NotFound")


@pytest.mark.parametrize("headers, status", [
    ({}, 401),
    ({"Authorization": ""}, 401),
    ({"Authorization": "Basic YWRtaW46YWRtaW4="}, 401),
    ({"Authorization": "Bearer"}, 401),
    (auth("wrong-token-of-some-length-000000000"), 401),
    (auth("x" * len(ss.ADMIN_TOKEN)), 401),
    (auth(ss.ADMIN_TOKEN[:-1]), 401),
    (auth(ss.ADMIN_TOKEN + "x"), 401),
    (auth(" " + ss.ADMIN_TOKEN), 401),
    (auth(ss.ADMIN_TOKEN.upper()), 401),
])
def test_writes_need_the_admin_token(shttp, styled, headers, status):
    before = ss.style_rows(styled.store)
    json_error(put_style(shttp, styled, "status-capacity", MAGENTA_SQUARES, headers), status)
    json_error(put_style(shttp, styled, "intruder", MAGENTA_SQUARES, headers), status)
    json_error(delete_style(shttp, styled, "status-capacity", headers), status)
    assert ss.style_rows(styled.store) == before


def test_unauthorized_names_the_scheme(shttp, styled):
    r = put_style(shttp, styled, "intruder", MAGENTA_SQUARES, {})
    assert r.status_code == 401
    assert r.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), dict(r.headers)


def test_bearer_scheme_is_case_insensitive(shttp, styled):
    r = put_style(shttp, styled, "lowercase-scheme", MAGENTA_SQUARES, auth(scheme="bearer"))
    if r.status_code == 200:
        delete_style(shttp, styled, "lowercase-scheme")
    assert r.status_code == 200, f"HTTP {r.status_code}: {r.text[:200]}"


def test_token_is_never_logged(shttp, styled):
    put_style(shttp, styled, "intruder", MAGENTA_SQUARES, auth(ss.ADMIN_TOKEN + "x"))
    r = put_style(shttp, styled, "logged", MAGENTA_SQUARES)
    assert r.status_code == 200
    assert delete_style(shttp, styled, "logged").status_code == 204
    logs = styled.access_log() + styled.stderr()
    assert "PUT /collections/coal_mines/styles/logged" in logs
    assert ss.ADMIN_TOKEN not in logs and ss.ADMIN_TOKEN[:12] not in logs


def test_writes_refused_without_a_configured_token(http, base_url, store_path):
    """The session server has no amis.toml and no accounts: every write is 401 (RFC 6750:
    no or invalid credentials), with or without a token."""
    before = ss.style_rows(store_path)
    for headers in ({}, auth(), auth("")):
        r = http.put(base_url + "/collections/coal_mines/styles/x", data=MAGENTA_SQUARES.encode(), headers=headers,
                     timeout=30)
        json_error(r, 401, "Unauthorized")
        json_error(http.delete(base_url + "/collections/coal_mines/styles/x", headers=headers, timeout=30), 401)
    assert ss.style_rows(store_path) == before
