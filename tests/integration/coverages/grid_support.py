"""What the tests of member states' grids share (test_grid_uploads, test_grid_versions): a
store with coverages added by `amis raster add` and accounts, a server over it, and the
requests of the grid change sets' workflow."""
from __future__ import annotations

from pathlib import Path

from store_support import add_users
from support import AmisServer, http_session, run_amis

PASSWORD = "correct horse battery staple"


def serve_grids(work: Path, name: str, rasters: list[tuple], users: dict, config: str):
    """A generator for a module fixture: each of `rasters` (the arguments of `amis raster add`
    before --store) added to a new store, `users` made, and `amis serve` with `config`; yields
    the env dict the helpers below take, and checks that the server lived to the end."""
    store = work / "store.gpkg"
    for args in rasters:
        added = run_amis("raster", "add", *args, "--store", store)
        assert added.returncode == 0, added.stderr
    tokens = add_users(store, users, PASSWORD)
    config_path = work / "amis.toml"
    config_path.write_text(config)
    srv = AmisServer(store, work, name=name, config=config_path)
    srv.start()
    with http_session() as s:
        yield {"url": srv.url, "store": store, "work": work, "session": s, "tokens": tokens, "config": config_path}
    alive = srv.alive()
    srv.stop()
    assert alive, srv.stderr()


def as_user(env, user):
    return {"Authorization": f"Bearer {env['tokens'][user]}"}


def upload(env, user, coverage, data: bytes, **params):
    return env["session"].post(f"{env['url']}/collections/{coverage}/coverage/upload", data=data, params=params,
                               headers={**as_user(env, user), "Content-Type": "application/octet-stream"},
                               timeout=120)


def act(env, user, cs, action, comment="", session=None):
    return (session or env["session"]).post(f"{env['url']}/changesets/{cs}/{action}", json={"comment": comment},
                                            headers=as_user(env, user), timeout=120)
