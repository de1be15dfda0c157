"""A national node over https (issue 16): Debian's nginx terminates TLS in front of a national
AMIS node with certificates made here by openssl: one for localhost from a test authority, one
from that authority for another host name, and one self-signed for localhost.

The harvest goes through only when the authority is trusted ([federation] ca_file) and the
certificate names the host; otherwise the run fails on the handshake, and nginx's access log
shows that no request (and so no node token) reached the server."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from owslib.wfs import WebFeatureService

from federation_support import NODE_TOKEN, build_national_store, build_regional_store, harvest, node, start
from nginx_support import nginx_config, running_nginx
from support import free_loopback_ports


def openssl(*args: str, cwd: Path) -> None:
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def make_certificates(folder: Path) -> None:
    """ca.pem (an authority); host.pem (localhost, from it); other.pem (wrong.example, from it);
    self.pem (localhost, self-signed). EC P-256 keys: quick to make."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=AMIS test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            cwd=folder)
    for name, host in (("host", "localhost"), ("other", "wrong.example")):
        openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={host}", cwd=folder)
        (folder / f"{name}.ext").write_text(f"subjectAltName=DNS:{host}\nbasicConstraints=CA:FALSE\n"
                                            "extendedKeyUsage=serverAuth\n")
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=folder)
    openssl("req", "-x509", *ec, "-keyout", "self.key", "-out", "self.pem", "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost", cwd=folder)


@pytest.fixture(scope="module")
def national(tmp_path_factory, amis_bin):
    work = tmp_path_factory.mktemp("national-tls")
    server = start(build_national_store(work, 0), work / "logs", "national")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def tls(national, tmp_path_factory):
    """{"trusted"|"other-name"|"self-signed": port} of nginx's TLS servers, and nginx's folder."""
    folder = tmp_path_factory.mktemp("nginx-tls")
    make_certificates(folder)
    trusted, other, own = free_loopback_ports(3)
    ports = {"trusted": ("host", trusted), "other-name": ("other", other), "self-signed": ("self", own)}
    servers = "".join(f"""
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {folder}/{cert}.pem;
    ssl_certificate_key {folder}/{cert}.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / {{
      proxy_pass http://127.0.0.1:{national.port};
      proxy_set_header Host $http_host;
    }}
  }}""" for cert, port in ports.values())
    config = nginx_config(folder, '$server_port $status "$request_uri" "$http_authorization"', servers)
    with running_nginx(folder, config, [port for _, port in ports.values()]):
        yield folder, {kind: port for kind, (_, port) in ports.items()}


@pytest.fixture(scope="module")
def regional(tmp_path_factory, tls):
    folder, _ = tls
    work = tmp_path_factory.mktemp("regional-tls")
    store = build_regional_store(work)
    trusting = work / "trusting.toml"
    trusting.write_text(f'[federation]\ntimeout_seconds = 20\nretries = 0\nca_file = "{folder / "ca.pem"}"\n')
    plain = work / "plain.toml"
    plain.write_text('[federation]\ntimeout_seconds = 20\nretries = 0\n')
    return store, trusting, plain


def requests_logged(folder: Path, port: int) -> list[str]:
    return [line for line in (folder / "access.log").read_text().splitlines() if line.startswith(f"{port} ")]


def add(store: Path, name: str, port: int) -> None:
    done, _ = node(store, "add", name, f"https://localhost:{port}/wfs", "--kind", "wfs", "--country", "IDN",
                   "--schedule", "off", "--token", NODE_TOKEN)
    assert done.returncode == 0, done.stderr


def test_a_node_whose_authority_is_trusted_is_harvested_over_https(national, tls, regional):
    folder, ports = tls
    store, trusting, _ = regional
    types = WebFeatureService(national.url + "/wfs", version="2.0.0").contents
    add(store, "tls-trusted", ports["trusted"])
    code, report = harvest(store, "tls-trusted", config=trusting)
    assert code == 0 and report["added"] == len(types) and report["failed"] == 0, report
    logged = requests_logged(folder, ports["trusted"])
    assert logged and all(line.split(" ")[1] == "200" for line in logged), logged
    assert f'"Bearer {NODE_TOKEN}"' in logged[-1]  # the token went to the node it belongs to


@pytest.mark.parametrize("server,config", [("trusted", "plain"), ("other-name", "trusting"),
                                           ("self-signed", "trusting")])
def test_an_untrusted_certificate_ends_the_run_before_any_request(tls, regional, server, config):
    folder, ports = tls
    store, trusting, plain = regional
    name = f"tls-{server}-{config}"
    add(store, name, ports[server])
    before = len(requests_logged(folder, ports[server]))
    code, report = harvest(store, name, config=trusting if config == "trusting" else plain)
    assert code != 0 and report["status"] == "failed", report
    assert "TLS handshake with the node failed" in report["error"], report
    assert NODE_TOKEN not in str(report)
    assert len(requests_logged(folder, ports[server])) == before  # nothing was sent: no token either


def test_an_unreadable_ca_file_is_refused(regional, tmp_path):
    store, _, _ = regional
    config = tmp_path / "bad.toml"
    (tmp_path / "not-a-certificate.pem").write_text("hello\n")
    config.write_text(f'[federation]\nca_file = "{tmp_path / "not-a-certificate.pem"}"\n')
    done, _ = node(store, "harvest", "tls-trusted", config=config)
    assert done.returncode != 0 and "[federation] ca_file" in done.stderr, done.stderr
