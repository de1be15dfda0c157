"""Static files and the portal's folder (issue 21): only regular files whose canonical path
stays inside the configured folder are served. A symbolic link (to a file or a folder)
pointing outside is a 404, as is a folder (no listing); a link that stays inside is served.
The folders are made here; the expected bytes are the files' own."""
from __future__ import annotations

from pathlib import Path

import pytest

from hostile_support import start_site, stop_site

SECRET = b"/* secret outside the served folders */\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory, store_path):
    work = tmp_path_factory.mktemp("static-links")
    outside = work / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "secret.css").write_bytes(SECRET)
    (outside / "dir" / "x.css").write_bytes(SECRET)
    (outside / "index.html").write_bytes(b"<!doctype html><title>outside</title>")

    static = work / "static"
    (static / "sub" / "deeper").mkdir(parents=True)
    (static / "ok.css").write_bytes(b"body{}\n")
    (static / "sub" / "deeper" / "d.css").write_bytes(b"p{}\n")
    (static / "leak.css").symlink_to(outside / "secret.css")
    (static / "relative-leak.css").symlink_to(Path("..") / "outside" / "secret.css")
    (static / "linked").symlink_to(outside / "dir", target_is_directory=True)
    (static / "sub" / "up.css").symlink_to(Path("..") / ".." / "outside" / "secret.css")
    (static / "inside.css").symlink_to(static / "ok.css")

    portal = work / "portal"
    (portal / "assets").mkdir(parents=True)
    (portal / "index.html").write_bytes(b"<!doctype html><title>AMIS portal</title>")
    (portal / "assets" / "app-1234.js").write_bytes(b"console.log(1)\n")
    (portal / "assets" / "evil-1234.js").symlink_to(outside / "secret.css")
    (portal / "favicon.ico").symlink_to(outside / "secret.css")
    (portal / "manifest.webmanifest").symlink_to(portal / "assets" / "app-1234.js")

    config = f'[server]\nlog_level = "info"\nstatic_dir = "{static}"\nportal_dir = "{portal}"\n'
    s = start_site(work, work / "store.gpkg", config, name="static-links", copy_from=store_path)
    yield s
    stop_site(s)


def get(site, path: str):
    return site.s.get(site.url + path, timeout=30, allow_redirects=False)


@pytest.mark.parametrize("path", ["/static/leak.css", "/static/relative-leak.css", "/static/linked/x.css",
                                  "/static/sub/up.css", "/portal/assets/evil-1234.js", "/portal/favicon.ico"])
def test_links_out_of_the_folder_are_not_followed(site, path):
    r = get(site, path)
    assert r.status_code == 404, (path, r.status_code)
    assert SECRET not in r.content
    assert r.headers.get("Content-Type", "").startswith("application/json")


@pytest.mark.parametrize("path", ["/static/sub", "/static/sub/deeper", "/static/linked", "/portal/assets"])
def test_folders_are_not_listed(site, path):
    r = get(site, path)
    assert r.status_code == 404, (path, r.status_code, r.text[:200])


@pytest.mark.parametrize("path, body", [("/static/ok.css", b"body{}\n"), ("/static/sub/deeper/d.css", b"p{}\n"),
                                        ("/static/inside.css", b"body{}\n"),
                                        ("/portal/assets/app-1234.js", b"console.log(1)\n"),
                                        ("/portal/manifest.webmanifest", b"console.log(1)\n")])
def test_files_and_links_inside_are_served(site, path, body):
    r = get(site, path)
    assert r.status_code == 200, (path, r.status_code)
    assert r.content == body


def test_the_portal_page_is_served(site):
    r = get(site, "/portal/")
    assert r.status_code == 200 and b"AMIS portal" in r.content
