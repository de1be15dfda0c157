"""The fixed requests of the backend comparison (test_backend_comparison.py), built without a
server: the same list, in the same order, on every run (random choices from a fixed seed).

A request's path and parameters may name values of the node it is sent to in braces
(`{as_of}`: a time between two approvals, taken on each node as its edits ran), which
Twin.resolve fills in."""
from __future__ import annotations

import random
from dataclasses import dataclass

COLLECTIONS = ("countries", "coal_mines", "coal_mine_boundaries", "mine_facilities", "observations")
COUNTS = {"countries": 13, "coal_mines": 3122, "coal_mine_boundaries": 114, "mine_facilities": 255,
          "observations": 50}
REGION = (90.0, -11.0, 146.0, 53.0)  # lon/lat box of the demo data
ADMIN, REVIEWER, EDITOR = "secretariat", "expert", "idn-editor"
WFS_NS = 'xmlns:fes="http://www.opengis.net/fes/2.0"'


@dataclass(frozen=True)
class Request:
    area: str
    method: str
    path: str
    params: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    content_type: str | None = None
    user: str | None = None  # sent with this user's bearer token

    def describe(self) -> str:
        query = "&".join(f"{k}={v}" for k, v in self.params)
        who = f" as {self.user}" if self.user else ""
        body = f" {self.body}" if self.body else ""
        return f"{self.method} {self.path}{'?' if query else ''}{query}{who}{body}"


def get(area: str, path: str, user: str | None = None, **params) -> Request:
    return Request(area, "GET", path, tuple((k.replace("__", "-"), str(v)) for k, v in params.items()), user=user)


def boxes(rng: random.Random, n: int, min_size: float, max_size: float) -> list[tuple[float, float, float, float]]:
    out = []
    for _ in range(n):
        w, h = rng.uniform(min_size, max_size), rng.uniform(min_size, max_size)
        x = rng.uniform(REGION[0], REGION[2] - w)
        y = rng.uniform(REGION[1], REGION[3] - h)
        out.append(tuple(round(v, 4) for v in (x, y, x + w, y + h)))
    return out


def bbox_text(b) -> str:
    return ",".join(f"{v:g}" for v in b)


# --------------------------------------------------------------------------- OGC API Features

CQL2_FILTERS = [
    "capacity_mtpa > 5", "capacity_mtpa <= 0.5", "iso3 = 'IDN'", "iso3 IN ('VNM','THA','LAO')",
    "iso3 <> 'CHN' AND capacity_mtpa > 2", "mine_name LIKE 'A%'", "mine_name LIKE '%coal%'",
    "CASEI(mine_name) LIKE CASEI('%MINE%')", "opening_year BETWEEN 1990 AND 2000", "opening_year IS NULL",
    "status = 'operating' OR status = 'proposed'", "NOT (iso3 = 'CHN')",
    "S_INTERSECTS(geom, POLYGON((100 0,110 0,110 10,100 10,100 0)))",
    "S_INTERSECTS(geom, BBOX(95,5,105,20)) AND capacity_mtpa > 1",
    "S_WITHIN(geom, POLYGON((105 10,125 10,125 25,105 25,105 10)))",
    "S_DISJOINT(geom, BBOX(90,-11,120,30))",
    "capacity_mtpa * 2 > 10", "production_mtpa > capacity_mtpa",
]
SORTS = ["capacity_mtpa", "-capacity_mtpa", "mine_name", "-opening_year,mine_name", "iso3,-capacity_mtpa",
         "status,gem_mine_id"]


def features_requests(rng: random.Random) -> list[Request]:
    out = [get("meta", "/"), get("meta", "/conformance"), get("meta", "/collections"),
           get("meta", "/collections", f="html"), get("meta", "/functions"), get("meta", "/api"),
           get("meta", "/tileMatrixSets"), get("meta", "/tiles"), get("meta", "/wmts", SERVICE="WMTS",
                                                                        REQUEST="GetCapabilities")]
    for c in COLLECTIONS:
        out += [get("meta", f"/collections/{c}"), get("meta", f"/collections/{c}", f="html"),
                get("meta", f"/collections/{c}/queryables"), get("meta", f"/collections/{c}/tiles")]
        for limit, offset in ((10, 0), (10, 7), (100, 0), (25, COUNTS[c] - 5), (5, COUNTS[c] + 10)):
            out.append(get("items", f"/collections/{c}/items", limit=limit, offset=offset))
        out += [get("items", f"/collections/{c}/items", limit=5, f="html"),
                get("items", f"/collections/{c}/items", limit=40, f="csv"),
                get("items", f"/collections/{c}/items", limit=40, f="kml"),
                get("items", f"/collections/{c}/items", limit=3, crs="http://www.opengis.net/def/crs/EPSG/0/3857")]
    out.append(get("items", "/collections/countries/items", limit=13))
    for b in boxes(rng, 40, 0.5, 12):
        out.append(get("bbox", "/collections/coal_mines/items", bbox=bbox_text(b), limit=200))
    for b in boxes(rng, 12, 1, 20):
        out.append(get("bbox", "/collections/countries/items", bbox=bbox_text(b), properties="iso3,name"))
        out.append(get("bbox", "/collections/coal_mine_boundaries/items", bbox=bbox_text(b), limit=50))
        out.append(get("bbox", "/collections/mine_facilities/items", bbox=bbox_text(b), limit=50))
    out.append(get("bbox", "/collections/coal_mines/items", bbox="11000000,0,12000000,2000000",
                   bbox__crs="http://www.opengis.net/def/crs/EPSG/0/3857", limit=100))
    for value in ("IDN", "VNM", "THA", "PHL", "MMR", "LAO", "JPN", "KOR", "XXX"):
        out.append(get("filter", "/collections/coal_mines/items", iso3=value, limit=100))
    for status in ("operating", "proposed", "shelved", "cancelled", "mothballed"):
        out.append(get("filter", "/collections/coal_mines/items", status=status, limit=50, sortby="gem_mine_id"))
    for f in CQL2_FILTERS:
        out.append(get("cql2", "/collections/coal_mines/items", filter=f, limit=100))
        out.append(get("cql2", "/collections/coal_mines/items", filter=f, limit=10, offset=5,
                       sortby="-capacity_mtpa,gem_mine_id"))
    for s in SORTS:
        for offset in (0, 50, 1000):
            out.append(get("sortby", "/collections/coal_mines/items", sortby=s, limit=30, offset=offset))
    for s in ("facility_name", "-production_start,facility_id", "surface_area_sq_km"):
        out.append(get("sortby", "/collections/mine_facilities/items", sortby=s, limit=40))
    for dt in ("2024-01-03T00:00:00Z/2024-01-10T00:00:00Z", "2024-01-05T10:34:00Z", "../2024-01-02T00:00:00Z",
               "2024-01-08T00:00:00Z/..", "2024-01-04", "2024-01-02T00:00:00+07:00/2024-01-06T00:00:00-03:30"):
        out.append(get("datetime", "/collections/observations/items", datetime=dt, limit=50))
        out.append(get("datetime", "/collections/observations/items", datetime=dt, sortby="-observed", limit=5))
    out.append(get("cql2", "/collections/observations/items",
                   filter="T_INTERSECTS(observed, INTERVAL('2024-01-02T00:00:00Z','2024-01-05T00:00:00Z'))"))
    out.append(get("cql2", "/collections/observations/items", filter="note LIKE '%caf%'", f="html"))
    out.append(get("items", "/collections/coal_mines/items", properties="mine_name,capacity_mtpa", limit=50))
    # single features: spread over each collection, a few past the end (404)
    for c, step in (("coal_mines", 97), ("countries", 1), ("coal_mine_boundaries", 9), ("mine_facilities", 23),
                    ("observations", 7)):
        for fid in range(1, COUNTS[c] + 1, step):
            out.append(get("feature", f"/collections/{c}/items/{fid}"))
        out.append(get("feature", f"/collections/{c}/items/{COUNTS[c] + 100}"))
    for fid in (1, 500, 3000):
        out.append(get("feature", f"/collections/coal_mines/items/{fid}", f="html"))
        out.append(get("feature", f"/collections/coal_mines/items/{fid}",
                       crs="http://www.opengis.net/def/crs/EPSG/0/3857"))
    return out


# --------------------------------------------------------------------------- WFS

def fes_get_feature(type_name: str, fes: str, count: int = 50, sort: str | None = None) -> Request:
    sort_xml = (f"<fes:SortBy><fes:SortProperty><fes:ValueReference>{sort}</fes:ValueReference>"
                f"</fes:SortProperty></fes:SortBy>" if sort else "")
    body = (f'<wfs:GetFeature service="WFS" version="2.0.0" count="{count}" '
            f'xmlns:wfs="http://www.opengis.net/wfs/2.0" {WFS_NS} xmlns:amis="https://amis.asean.org/ns/amis" '
            f'xmlns:gml="http://www.opengis.net/gml/3.2">'
            f'<wfs:Query typeNames="amis:{type_name}"><fes:Filter>{fes}</fes:Filter>{sort_xml}</wfs:Query>'
            f'</wfs:GetFeature>')
    return Request("wfs", "POST", "/wfs", body=body, content_type="application/xml")


def wfs(**params) -> Request:
    return get("wfs", "/wfs", SERVICE="WFS", VERSION="2.0.0", **params)


def wfs_requests(rng: random.Random) -> list[Request]:
    out = [wfs(REQUEST="GetCapabilities"), get("wfs", "/wfs", SERVICE="WFS", REQUEST="GetCapabilities",
                                               VERSION="1.1.0"),
           wfs(REQUEST="DescribeFeatureType"), wfs(REQUEST="ListStoredQueries")]
    for c in COLLECTIONS:
        out += [wfs(REQUEST="DescribeFeatureType", TYPENAMES=f"amis:{c}"),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", COUNT=20),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", COUNT=20, STARTINDEX=7),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", RESULTTYPE="hits"),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", COUNT=15, OUTPUTFORMAT="application/json"),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", COUNT=15, OUTPUTFORMAT="csv"),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", COUNT=15, OUTPUTFORMAT="kml"),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", COUNT=15, OUTPUTFORMAT="fgb"),
                wfs(REQUEST="GetFeature", TYPENAMES=f"amis:{c}", COUNT=10, SRSNAME="EPSG:3857"),
                get("wfs", "/wfs", SERVICE="WFS", VERSION="1.1.0", REQUEST="GetFeature", TYPENAME=f"amis:{c}",
                    MAXFEATURES=10)]
    for b in boxes(rng, 16, 1, 10):
        # WFS 2.0 with EPSG:4326: latitude first
        out.append(wfs(REQUEST="GetFeature", TYPENAMES="amis:coal_mines", COUNT=100,
                       BBOX=f"{b[1]:g},{b[0]:g},{b[3]:g},{b[2]:g},urn:ogc:def:crs:EPSG::4326"))
    for b in boxes(rng, 4, 2, 15):
        out.append(wfs(REQUEST="GetFeature", TYPENAMES="amis:countries", BBOX=bbox_text(b) + ",CRS:84"))
    for sort in ("capacity_mtpa DESC", "mine_name ASC", "iso3 ASC,capacity_mtpa DESC", "opening_year"):
        out.append(wfs(REQUEST="GetFeature", TYPENAMES="amis:coal_mines", COUNT=25, SORTBY=sort))
        out.append(wfs(REQUEST="GetFeature", TYPENAMES="amis:coal_mines", COUNT=25, STARTINDEX=500, SORTBY=sort))
    for ids in ("coal_mines.1", "coal_mines.17,coal_mines.2900", "countries.3,coal_mines.5", "coal_mines.999999"):
        out.append(wfs(REQUEST="GetFeature", RESOURCEID=ids))
    for fid in (1, 250, 3100):
        out.append(wfs(REQUEST="GetFeature", STOREDQUERY_ID="urn:ogc:def:query:OGC-WFS::GetFeatureById",
                       ID=f"coal_mines.{fid}"))
    for prop in ("iso3", "status", "capacity_mtpa"):
        out.append(wfs(REQUEST="GetPropertyValue", TYPENAMES="amis:coal_mines", VALUEREFERENCE=prop, COUNT=40))
    fes = [
        "<fes:PropertyIsEqualTo><fes:ValueReference>iso3</fes:ValueReference><fes:Literal>VNM</fes:Literal>"
        "</fes:PropertyIsEqualTo>",
        "<fes:PropertyIsGreaterThan><fes:ValueReference>capacity_mtpa</fes:ValueReference>"
        "<fes:Literal>10</fes:Literal></fes:PropertyIsGreaterThan>",
        "<fes:PropertyIsLike wildCard=\"*\" singleChar=\".\" escapeChar=\"!\"><fes:ValueReference>mine_name"
        "</fes:ValueReference><fes:Literal>B*</fes:Literal></fes:PropertyIsLike>",
        "<fes:PropertyIsBetween><fes:ValueReference>opening_year</fes:ValueReference><fes:LowerBoundary>"
        "<fes:Literal>1980</fes:Literal></fes:LowerBoundary><fes:UpperBoundary><fes:Literal>1990</fes:Literal>"
        "</fes:UpperBoundary></fes:PropertyIsBetween>",
        "<fes:PropertyIsNull><fes:ValueReference>opening_year</fes:ValueReference></fes:PropertyIsNull>",
        "<fes:And><fes:PropertyIsEqualTo><fes:ValueReference>iso3</fes:ValueReference><fes:Literal>IDN"
        "</fes:Literal></fes:PropertyIsEqualTo><fes:Not><fes:PropertyIsEqualTo><fes:ValueReference>status"
        "</fes:ValueReference><fes:Literal>operating</fes:Literal></fes:PropertyIsEqualTo></fes:Not></fes:And>",
        "<fes:BBOX><fes:ValueReference>geom</fes:ValueReference><gml:Envelope srsName=\"urn:ogc:def:crs:EPSG::4326\">"
        "<gml:lowerCorner>-5 105</gml:lowerCorner><gml:upperCorner>5 120</gml:upperCorner></gml:Envelope></fes:BBOX>",
        "<fes:Intersects><fes:ValueReference>geom</fes:ValueReference><gml:Polygon gml:id=\"p\" "
        "srsName=\"http://www.opengis.net/def/crs/OGC/1.3/CRS84\"><gml:exterior><gml:LinearRing><gml:posList>"
        "100 10 110 10 110 20 100 20 100 10</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
        "</fes:Intersects>",
    ]
    for f in fes:
        out.append(fes_get_feature("coal_mines", f))
        out.append(fes_get_feature("coal_mines", f, count=10, sort="capacity_mtpa DESC"))
        out.append(wfs(REQUEST="GetFeature", TYPENAMES="amis:coal_mines", COUNT=30,
                       FILTER=f"<fes:Filter {WFS_NS} xmlns:gml=\"http://www.opengis.net/gml/3.2\">{f}</fes:Filter>"))
    return out


# --------------------------------------------------------------------------- WMS GetFeatureInfo

INFO_FORMATS = ("text/html", "application/json", "application/vnd.ogc.gml", "text/plain")


def anchors(collection: str, step: int) -> list[tuple[float, float]]:
    """Every step-th feature's point on surface, from the source file (osgeo.ogr), so that the
    GetFeatureInfo requests hit features."""
    from support import DEMO_SOURCES
    ds, layer = DEMO_SOURCES[collection].open_layer()
    out = []
    for k, f in enumerate(layer):
        g = f.GetGeometryRef()
        if k % step == 0 and g is not None and not g.IsEmpty():
            p = g.PointOnSurface()
            out.append((round(p.GetX(), 4), round(p.GetY(), 4)))
    return out


def wms_requests(rng: random.Random) -> list[Request]:
    out = [get("wms", "/wms", SERVICE="WMS", REQUEST="GetCapabilities", VERSION="1.3.0")]
    targets = ([("coal_mines", a) for a in anchors("coal_mines", 200)]
               + [("coal_mine_boundaries", a) for a in anchors("coal_mine_boundaries", 20)]
               + [("mine_facilities", a) for a in anchors("mine_facilities", 60)]
               + [("countries", a) for a in anchors("countries", 3)]
               + [("coal_mines,countries", a) for a in anchors("coal_mines", 700)])
    for layer, (x, y) in targets:
        half = rng.choice((0.05, 0.5, 2.0))
        i, j = 128 + rng.randrange(-3, 4), 128 + rng.randrange(-3, 4)
        box = (x - half, y - half, x + half, y + half)
        for info_format in INFO_FORMATS:
            out.append(get("wms", "/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetFeatureInfo",
                           LAYERS=layer, QUERY_LAYERS=layer, STYLES="", CRS="CRS:84", BBOX=bbox_text(box),
                           WIDTH=256, HEIGHT=256, FORMAT="image/png", I=i, J=j, INFO_FORMAT=info_format,
                           FEATURE_COUNT=10, BUFFER=8))
    for k, b in enumerate(boxes(rng, 6, 2, 6)):
        out.append(get("wms", "/wms", SERVICE="WMS", VERSION="1.1.1", REQUEST="GetFeatureInfo", LAYERS="coal_mines",
                       QUERY_LAYERS="coal_mines", STYLES="", SRS="EPSG:4326", BBOX=bbox_text(b), WIDTH=200,
                       HEIGHT=200, FORMAT="image/png", X=100, Y=100, INFO_FORMAT="application/json",
                       FEATURE_COUNT=50, BUFFER=40))
        out.append(get("wms", "/wms", SERVICE="WMS", VERSION="1.3.0", REQUEST="GetMap", LAYERS="countries,coal_mines",
                       STYLES="", CRS="CRS:84", BBOX=bbox_text(b), WIDTH=256, HEIGHT=256, FORMAT="image/png"))
    return out


# --------------------------------------------------------------------------- tiles

def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    import math
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return y, x


PLACES = [(106.8, -6.2), (117.1, -0.5), (105.8, 21.0), (96.1, 21.9), (102.6, 17.9), (121.0, 14.6),
          (110.4, 35.0), (127.0, 37.5), (139.7, 35.7), (113.9, 22.5)]


def tiles_requests(rng: random.Random) -> list[Request]:
    out = []
    for z in (2, 4, 6, 8):
        for lon, lat in PLACES[: (10 if z < 8 else 5)]:
            row, col = tile_of(lon, lat, z)
            for c in ("coal_mines", "countries"):
                out.append(get("tiles", f"/collections/{c}/tiles/WebMercatorQuad/{z}/{row}/{col}"))
            if z in (4, 6):
                out.append(get("tiles", f"/tiles/WebMercatorQuad/{z}/{row}/{col}"))
    for z, (lon, lat) in zip((3, 5, 7), PLACES[:3]):
        row, col = tile_of(lon, lat, z)
        out.append(get("tiles", f"/collections/coal_mines/map/tiles/WebMercatorQuad/{z}/{row}/{col}"))
        out.append(get("tiles", f"/collections/coal_mines/tiles/WebMercatorQuad/{z}/{row}/{col}",
                       filter="capacity_mtpa > 2"))
    for z in (1, 3, 5):
        row = (2 ** z) // 2 - 1
        col = int((106.8 + 180) / 360 * 2 ** (z + 1))
        out.append(get("tiles", f"/collections/coal_mines/tiles/WorldCRS84Quad/{z}/{row}/{col}"))
    return out


# --------------------------------------------------------------------------- history and change sets

def editing_requests() -> list[Request]:
    out = []
    for user in (ADMIN, REVIEWER, EDITOR):
        out.append(get("changesets", "/changesets", user=user))
        out.append(get("changesets", "/changesets", user=user, state="approved"))
    for cs in range(1, 8):
        out.append(get("changesets", f"/changesets/{cs}", user=REVIEWER))
        out.append(get("changesets", f"/changesets/{cs}/review", user=REVIEWER))
    out.append(get("changesets", "/changesets/999", user=REVIEWER))
    for fid in ("{patched}", "{replaced}", "{deleted}", "{inserted}", "{rejected}", "{pending}", "{published}"):
        collection = "mine_facilities" if fid == "{published}" else "coal_mines"
        out.append(get("history", f"/collections/{collection}/items/{fid}/history"))
        out.append(get("history", f"/collections/{collection}/items/{fid}"))
    out += [get("history", "/collections/coal_mines/items", asOf="{as_of}", limit=1000, offset=offset)
            for offset in (0, 1000, 2000, 3000)]
    out += [get("history", "/collections/coal_mine_boundaries/items", asOf="{as_of}", limit=20),
            get("history", "/collections/coal_mines/items", iso3="IDN", limit=300, sortby="gem_mine_id"),
            get("history", "/audit", user=ADMIN), get("history", "/audit", user=ADMIN, limit=3)]
    return out


def all_requests() -> list[Request]:
    rng = random.Random(14)
    requests = [*features_requests(rng), *wfs_requests(rng), *wms_requests(rng), *tiles_requests(rng),
                *editing_requests()]
    return list({r.describe(): r for r in requests}.values())  # places that share a tile: once
