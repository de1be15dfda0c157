"""Helpers of the WMS and WFS cascade tests (issue 16): MapServer 8 (Debian's cgi-mapserver, run as
CGI behind a loopback http.server, so nothing from ../shared is needed) drawing and serving a layer
of generated survey areas (fixed seed; its WFS offers GML only, no GeoJSON output format), a front
for it that can be switched to a broken or slow node, and images decoded to numpy arrays with Pillow."""
from __future__ import annotations

import io
import json
import os
import random
import subprocess
import time
from pathlib import Path

import numpy as np
import requests
from PIL import Image

from federation_support import LoopbackServer

MAPSERV = Path("/usr/lib/cgi-bin/mapserv")
AREAS = 60

MAPFILE = """MAP
  NAME "nodems"
  STATUS ON
  SIZE 256 256
  MAXSIZE 4096
  EXTENT 90 -15 145 25
  UNITS DD
  IMAGECOLOR 255 255 255
  IMAGETYPE "png"
  PROJECTION "init=epsg:4326" END
  WEB
    METADATA
      "ows_title" "National MapServer"
      "ows_onlineresource" "{url}?"
      "ows_srs" "EPSG:4326 EPSG:3857 CRS:84"
      "ows_enable_request" "*"
    END
  END
  OUTPUTFORMAT
    NAME "png"
    DRIVER AGG/PNG
    MIMETYPE "image/png"
    IMAGEMODE RGBA
    EXTENSION "png"
    TRANSPARENT ON
  END
  LAYER
    NAME "areas"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE OGR
    CONNECTION "{data}"
    EXTENT 90 -15 145 25
    PROJECTION "init=epsg:4326" END
    METADATA
      "ows_title" "Survey areas"
      "ows_abstract" "Generated survey areas"
      "ows_extent" "95 -10 143 21"
      "wms_include_items" "all"
      "gml_include_items" "all"
      "gml_featureid" "id"
      "gml_types" "auto"
    END
    TEMPLATE "void"
    CLASSITEM "kind"
    CLASS EXPRESSION "a" STYLE COLOR 200 60 40 OUTLINECOLOR 0 0 0 WIDTH 1 END END
    CLASS EXPRESSION "b" STYLE COLOR 40 160 60 OPACITY 60 END END
    CLASS STYLE COLOR 40 80 200 OUTLINECOLOR 255 255 0 END END
  END
END
"""


def generate_areas(path: Path, n: int = AREAS, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    features = []
    for i in range(n):
        lon, lat, w = rng.uniform(95, 140), rng.uniform(-10, 19), rng.uniform(0.5, 3)
        ring = [[lon, lat], [lon + w, lat], [lon + w, lat + w * 0.7], [lon, lat + w * 0.7], [lon, lat]]
        features.append({"type": "Feature", "id": i + 1, "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": {"id": i + 1, "name": f"area-{i:02d}", "kind": rng.choice("abc")}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return features


class MapServerNode:
    """MapServer as a national WMS node on loopback: GET /mapserv?... runs mapserv as CGI."""

    def __init__(self, work: Path):
        work.mkdir(parents=True, exist_ok=True)
        self.features = generate_areas(work / "areas.geojson")
        self.work = work
        self.server = LoopbackServer(self.answer)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/mapserv"

    def __enter__(self) -> "MapServerNode":
        self.server.__enter__()
        (self.work / "areas.map").write_text(MAPFILE.format(url=self.url, data=self.work / "areas.geojson"))
        (self.work / "mapserver.conf").write_text(
            f'CONFIG\n  ENV\n    MS_MAPFILE "{self.work / "areas.map"}"\n  END\nEND\n')
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)

    def answer(self, path: str):
        query = path.split("?", 1)[1] if "?" in path else ""
        env = {"PATH": os.environ.get("PATH", "/usr/bin"), "REQUEST_METHOD": "GET", "QUERY_STRING": query,
               "MAPSERVER_CONFIG_FILE": str(self.work / "mapserver.conf")}
        out = subprocess.run([str(MAPSERV)], env=env, capture_output=True, timeout=60).stdout
        head, _, body = out.partition(b"\r\n\r\n")
        headers, status = {}, 200
        for line in head.decode("latin-1").split("\r\n"):
            key, _, value = line.partition(":")
            if key.lower() == "status":
                status = int(value.split()[0])
            elif key:
                headers[key.strip()] = value.strip()
        return status, headers, body


class FaultyFront:
    """A loopback front to `upstream` (a URL with a path) answering as `mode` says: "pass",
    "html" (200, an HTML page), "error" (500, an HTML page), "text" (200, text/plain), "garbage"
    (200, image/png that is no PNG), "small" (200, a PNG of another size), "clear" (200, a PNG of
    the asked size, its left half transparent whatever TRANSPARENT said), "jpeg" (200, a JPEG of
    the asked size labelled image/png), "slow"."""

    def __init__(self, upstream: str, slow_seconds: float):
        self.upstream, self.mode, self.slow_seconds = upstream, "pass", slow_seconds
        self.server = LoopbackServer(self.answer)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/mapserv"

    def answer(self, path: str):
        query = path.split("?", 1)[1] if "?" in path else ""
        capabilities = "getcapabilities" in query.lower()
        if self.mode == "slow" and not capabilities:
            time.sleep(self.slow_seconds)
        if self.mode == "html" and not capabilities:
            return 200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>"
        if self.mode == "error" and not capabilities:
            return 500, {"Content-Type": "text/html"}, b"<html><body>Internal error</body></html>"
        if self.mode == "text" and not capabilities:
            return 200, {"Content-Type": "text/plain"}, b"no map today"
        if self.mode == "garbage" and not capabilities:
            return 200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20
        if self.mode == "small" and not capabilities:
            buf = io.BytesIO()
            Image.new("RGBA", (7, 5), (255, 0, 0, 255)).save(buf, "PNG")
            return 200, {"Content-Type": "image/png"}, buf.getvalue()
        if self.mode in ("clear", "jpeg") and not capabilities:
            asked = {k.upper(): v for k, v in (p.split("=", 1) for p in query.split("&") if "=" in p)}
            width, height = int(asked["WIDTH"]), int(asked["HEIGHT"])
            image = Image.new("RGBA", (width, height), (200, 30, 30, 255))
            image.paste((0, 0, 0, 0), (0, 0, width // 2, height))
            buf = io.BytesIO()
            if self.mode == "clear":
                image.save(buf, "PNG")
            else:
                image.convert("RGB").save(buf, "JPEG")
            return 200, {"Content-Type": "image/png"}, buf.getvalue()
        r = requests.get(self.upstream + "?" + query, timeout=60)
        body = r.content.replace(self.upstream.encode(), self.url.encode())
        return r.status_code, {"Content-Type": r.headers.get("Content-Type", "text/xml")}, body

    def __enter__(self) -> "FaultyFront":
        self.server.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.server.__exit__(*exc)


def serve_mapserver(work: Path):
    """A generator for a module fixture: MapServer on loopback, stopped after."""
    with MapServerNode(work) as ms:
        yield ms


def pixels(png: bytes) -> np.ndarray:
    """RGBA pixels of a PNG, as an array of rows."""
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"), dtype=np.int16)


def map_params(layers: str, crs: str, bbox: tuple, width: int = 300, height: int = 200, **extra) -> dict:
    return {"SERVICE": "WMS", "VERSION": "1.3.0", "REQUEST": "GetMap", "LAYERS": layers, "STYLES": "",
            "CRS": crs, "BBOX": ",".join(map(str, bbox)), "WIDTH": width, "HEIGHT": height,
            "FORMAT": "image/png", **extra}
