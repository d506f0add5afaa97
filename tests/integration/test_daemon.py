"""`bgpsentry run`: the daemon with MRT sources replaying real files, its
HTTP API checked against bgpdump's reading of the same files, the
source lifecycle (a broken source retries, the others run), reload on
SIGHUP and over the API, bearer tokens, bad input, SIGTERM."""
import ipaddress
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import run
from test_rib import RV, UPDATES, bgpdump_lines, dump_routes, our_routes

BGPDUMP = shutil.which("bgpdump")
READ_TOKEN = "read-token-0123456789"
ADMIN_TOKEN = "admin-token-0123456789"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, binary, tmp_path, config_text, args=()):
        self.port = free_port()
        self.config = tmp_path / "bgpsentry.yaml"
        self.write(config_text)
        self.log = open(tmp_path / "daemon.log", "w+")
        self.proc = subprocess.Popen(
            [binary, "run", "-c", str(self.config), *args],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_for(lambda: self.get("/healthz")[0] == 200, "healthz")

    def write(self, text):
        self.config.write_text(text.replace("PORT", str(self.port)))

    def get(self, path, token=None, method="GET"):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}",
                                     method=method)
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
        except (urllib.error.URLError, ConnectionError):
            return None, ""

    def json(self, path, token=None):
        status, body = self.get(path, token)
        assert status == 200, (path, status, body)
        return json.loads(body)

    def wait_for(self, cond, what, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                pytest.fail(f"daemon exited ({self.proc.returncode}) "
                            f"waiting for {what}:\n{self.logtext()}")
            if cond():
                return
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}:\n{self.logtext()}")

    def logtext(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """SIGTERM; the exit status (a sanitizer's report makes it 1)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        text = self.logtext()
        self.log.close()
        return self.proc.returncode, text


@pytest.fixture
def daemon(bgpsentry, tmp_path):
    started = []

    def start(text, args=()):
        d = Daemon(bgpsentry, tmp_path, text, args)
        started.append(d)
        return d
    yield start
    for d in started:
        rc, text = d.stop()
        assert rc == 0, f"daemon exited {rc}:\n{text[-3000:]}"


def source(d, name, token=None):
    for s in d.json("/api/v1/sources", token):
        if s["name"] == name:
            return s
    return None


def mrt_config(data_dir, extra=""):
    return f"""
api:
  listen: 127.0.0.1:PORT
sources:
  - name: rv
    type: mrt
    files: [{data_dir / RV}]
    tags: [collector]
{extra}"""


@pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")
def test_lg_matches_bgpdump(daemon, data_dir):
    d = daemon(mrt_config(data_dir))
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")
    want = dump_routes(bgpdump_lines(data_dir / RV))
    for prefix in ("1.0.4.0/24", "1.0.0.0/24", "1.1.1.0/24", "1.0.128.0/17"):
        ans = d.json(f"/api/v1/prefix/{prefix}")
        assert our_routes(ans) == {prefix: want[prefix]}, prefix
        assert ans["prefixes"][0]["summary"]["routes"] == len(want[prefix])
    # more-specifics: every prefix bgpdump shows inside 1.0.0.0/16
    inside = dump_routes(bgpdump_lines(data_dir / RV),
                         ipaddress.ip_network("1.0.0.0/16"))
    ans = d.json("/api/v1/prefix/1.0.0.0/16?more_specifics=1")
    assert our_routes(ans) == inside
    # an AS's originated prefixes: those bgpdump shows with it last
    origin = {}
    for f in bgpdump_lines(data_dir / RV):
        if f[2] == "B" and f[6].split()[-1] == "56203":
            origin[f[5]] = origin.get(f[5], 0) + 1
    ans = d.json("/api/v1/asn/56203")
    assert {p["prefix"]: p["routes"] for p in ans["originated"]} == origin
    # every peer of the dump's peer index is a VP; those with routes
    # are the peers bgpdump shows
    peers = {(f[3], int(f[4])) for f in bgpdump_lines(data_dir / RV)
             if f[2] == "B"}
    vps = [v for v in d.json("/api/v1/vps") if v["source"] == "rv"]
    assert {(v["address"], v["asn"]) for v in vps
            if v["routes_v4"] + v["routes_v6"] > 0} == peers
    s = source(d, "rv")
    assert s["vps"] == len(vps) and s["vps_up"] == len(vps)
    assert s["routes"] == sum(len(v) for v in want.values())


def test_bad_requests_get_400_naming_the_parameter(daemon, data_dir):
    d = daemon(mrt_config(data_dir))
    for path, status, msg in (
            ("/api/v1/prefix/1.0.4.0/33", 400, "is not a prefix"),
            ("/api/v1/prefix/banana", 400, "is not a prefix"),
            ("/api/v1/prefix/1.0.4.0/24?bogus=1", 400, "unknown parameter 'bogus'"),
            ("/api/v1/prefix/1.0.4.0/24?more_specifics=yes", 400,
             "parameter 'more_specifics'"),
            ("/api/v1/prefix/1.0.0.0/8?more_specifics=1&less_specifics=1", 400,
             "exclude each other"),
            ("/api/v1/asn/4294967296", 400, "is not an AS number"),
            ("/api/v1/asn/99999999999999999999999", 400, "is not an AS number"),
            ("/api/v1/asn/-1", 400, "is not an AS number"),
            ("/api/v1/nothing", 404, "no such path"),
            ("/elsewhere", 404, "no such path")):
        got, body = d.get(path)
        assert got == status, (path, got, body)
        assert json.loads(body)["error"].find(msg) >= 0, (path, body)
    # an answer of the whole RIB (270,005 routes) is refused, and
    # narrower ones go on
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")
    got, body = d.get("/api/v1/prefix/0.0.0.0/0?more_specifics=1")
    assert got == 413, body
    assert json.loads(body) == {
        "error": "0.0.0.0/0 (more-specifics): more than 250000 routes; "
                 "narrow the query (a longer prefix, source= or tag=)",
        "status": 413}
    got, body = d.get("/api/v1/prefix/0.0.0.0/0?more_specifics=1&format=text")
    assert got == 413 and "more than 250000 routes" in body
    got, body = d.get("/api/v1/prefix/1.0.0.0/8?more_specifics=1")
    assert got == 200 and len(json.loads(body)["prefixes"]) > 100
    # an over-long request is refused, and the daemon lives on
    got, _ = d.get("/api/v1/prefix/" + "1" * 20000)
    assert got is None or got >= 400
    assert d.get("/healthz")[0] == 200


def test_broken_source_retries_others_run(daemon, data_dir, tmp_path):
    d = daemon(mrt_config(data_dir, f"""  - name: broken
    type: mrt
    files: [{tmp_path / "missing.mrt"}]
"""))
    d.wait_for(lambda: source(d, "broken")["failures"] >= 2, "retries")
    b = source(d, "broken")
    assert b["state"] == "down"
    assert "No such file" in b["last_error"]
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the other source's replay")
    assert source(d, "rv")["routes"] > 0
    # the file appears: the next retry picks it up
    shutil.copy(data_dir / UPDATES, tmp_path / "missing.mrt")
    d.wait_for(lambda: source(d, "broken")["state"] == "done",
               "the retry that succeeds", timeout=40)
    assert source(d, "broken")["failures"] == 0
    m = d.get("/metrics")[1]
    assert 'bgpsentry_source_up{source="broken",kind="mrt",state="done"} 1' in m


def test_reload_adds_and_removes_without_touching_others(daemon, data_dir):
    d = daemon(mrt_config(data_dir))
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")
    rv_started = source(d, "rv")["started_us"]
    d.write(mrt_config(data_dir, f"""  - name: upd
    type: mrt
    files: [{data_dir / UPDATES}]
"""))
    d.proc.send_signal(signal.SIGHUP)
    d.wait_for(lambda: source(d, "upd") is not None
               and source(d, "upd")["state"] == "done", "the added source")
    assert source(d, "rv")["started_us"] == rv_started   # not restarted
    # removed over the API this time; its routes go with it
    d.write(mrt_config(data_dir))
    status, body = d.get("/api/v1/reload", method="POST")
    assert status == 200, body
    assert source(d, "upd") is None
    assert source(d, "rv")["started_us"] == rv_started
    assert all(v["source"] != "upd" or v["routes_v4"] + v["routes_v6"] == 0
               for v in d.json("/api/v1/vps"))
    # a broken file is refused and changes nothing
    d.write("sources:\n  - name: x\n    type: carrier-pigeon\n")
    status, body = d.get("/api/v1/reload", method="POST")
    assert status == 422
    assert "sources[0].type: expected mrt" in json.loads(body)["error"]
    assert source(d, "rv")["started_us"] == rv_started
    assert "reload failed" in d.logtext()
    assert 'bgpsentry_config_reloads_total{outcome="failed"} 1' in \
        d.get("/metrics")[1]
    # the only source changes: it restarts and stays listed (and is
    # stopped with the daemon: the fixture checks the exit)
    d.write(mrt_config(data_dir).replace("[collector]", "[upstream]"))
    status, body = d.get("/api/v1/reload", method="POST")
    assert status == 200, body
    d.wait_for(lambda: source(d, "rv") is not None and
               source(d, "rv")["started_us"] != rv_started, "the restart")


def test_tokens_and_roles(daemon, data_dir):
    d = daemon(mrt_config(data_dir).replace(
        "api:\n", f"""api:
  tokens:
    - {{name: viewer, token: {READ_TOKEN}, role: read}}
    - {{name: ops, token: {ADMIN_TOKEN}, role: admin}}
"""))
    assert d.get("/healthz")[0] == 200           # open to all
    status, body = d.get("/api/v1/sources")
    assert status == 401 and "bearer token is required" in body
    status, body = d.get("/api/v1/sources", token="wrong-token-0123456789")
    assert status == 401 and "not accepted" in body
    assert d.get("/metrics")[0] == 401
    assert d.get("/api/v1/sources", token=READ_TOKEN)[0] == 200
    assert d.get("/metrics", token=READ_TOKEN)[0] == 200
    status, body = d.get("/api/v1/reload", token=READ_TOKEN, method="POST")
    assert status == 403 and "admin" in body
    assert d.get("/api/v1/reload", token=ADMIN_TOKEN, method="POST")[0] == 200


def test_sigterm_stops_cleanly_and_offline_default_stays_up(bgpsentry,
                                                             tmp_path):
    d = Daemon(bgpsentry, tmp_path, "api:\n  listen: 127.0.0.1:PORT\n")
    assert d.json("/api/v1/sources") == []
    assert "no source is configured" in d.logtext()
    time.sleep(1)
    assert d.proc.poll() is None                 # stays up with nothing
    t0 = time.time()
    d.proc.send_signal(signal.SIGTERM)
    assert d.proc.wait(timeout=10) == 0
    assert time.time() - t0 < 5
    assert "stopped" in d.logtext()
    d.log.close()


def test_config_errors_stop_the_start(bgpsentry, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("api:\n  listen: 127.0.0.1:8179\n  tokens: yes\n")
    r = run(bgpsentry, "run", "-c", str(bad))
    assert r.returncode == 1
    assert r.stderr.strip() == (f"bgpsentry run: {bad}:3: api.tokens: "
                                "expected a list of tokens, got a value")
    r = run(bgpsentry, "config", "check", str(bad))
    assert r.returncode == 1 and f"{bad}:3: api.tokens" in r.stderr
    good = tmp_path / "good.yaml"
    good.write_text("sources:\n  - {name: a, type: mrt, files: [x.mrt]}\n")
    r = run(bgpsentry, "config", "check", str(good))
    assert r.returncode == 0 and "ok: 1 source (1 enabled)" in r.stdout


def test_port_in_use_is_said(bgpsentry, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        cfg = tmp_path / "c.yaml"
        cfg.write_text(f"api:\n  listen: 127.0.0.1:{port}\n")
        r = subprocess.run([bgpsentry, "run", "-c", str(cfg)],
                           capture_output=True, text=True, timeout=20)
    assert r.returncode == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in r.stderr


def test_embedded_default_starts_offline(bgpsentry, tmp_path):
    """No -c: no source (said), the API on 127.0.0.1:8179, up until
    SIGTERM, with no network needed."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", 8179))
        except OSError:
            pytest.skip("127.0.0.1:8179 is in use here")
    log = open(tmp_path / "log", "w+")
    p = subprocess.Popen([bgpsentry, "run"], stdout=log,
                         stderr=subprocess.STDOUT, cwd=tmp_path)
    try:
        end = time.time() + 20
        status = None
        while time.time() < end and status != 200:
            assert p.poll() is None, "exited"
            try:
                with urllib.request.urlopen("http://127.0.0.1:8179/healthz",
                                            timeout=2) as r:
                    status = r.status
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        assert status == 200
        with urllib.request.urlopen("http://127.0.0.1:8179/api/v1/sources",
                                    timeout=5) as r:
            assert json.loads(r.read()) == []
        # the web UI built beside this binary's sources (make ui), at /
        index = pathlib.Path(__file__).resolve().parents[2] / "ui" / \
            "dist" / "index.html"
        try:
            with urllib.request.urlopen("http://127.0.0.1:8179/",
                                        timeout=5) as r:
                status, body = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        if index.exists():
            assert (status, body) == (200, index.read_bytes())
        else:
            assert status == 404 and b"make ui" in body
    finally:
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=10)
    log.seek(0)
    text = log.read()
    assert rc == 0
    assert "config=(embedded default)" in text
    assert "no source is configured" in text


def test_answers_follow_the_openapi_document(daemon, data_dir):
    jsonschema = pytest.importorskip("jsonschema")
    doc_path = os.path.join(os.path.dirname(__file__), "..", "..", "docs",
                            "openapi.json")
    with open(doc_path) as f:
        doc = json.load(f)
    d = daemon(mrt_config(data_dir))
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")
    assert d.json("/api/v1/openapi.json") == doc    # served as written
    resolver = jsonschema.RefResolver.from_schema(doc)

    def check(path, schema, status=200):
        got, body = d.get(path)
        assert got == status, (path, got, body)
        jsonschema.Draft7Validator({"$ref": schema},
                                   resolver=resolver).validate(json.loads(body))

    s = "#/components/schemas/"
    check("/api/v1/prefix/1.0.4.0/24", s + "PrefixAnswer")
    check("/api/v1/prefix/1.0.0.0/16?more_specifics=1", s + "PrefixAnswer")
    check("/api/v1/prefix/1.0.4.0/24?less_specifics=true", s + "PrefixAnswer")
    check("/api/v1/prefix/2001:db8::/32", s + "PrefixAnswer")
    check("/api/v1/asn/56203", s + "AsnAnswer")
    check("/api/v1/asn/AS7545", s + "AsnAnswer")
    got, body = d.get("/api/v1/sources")
    for item in json.loads(body):
        jsonschema.Draft7Validator({"$ref": s + "Source"},
                                   resolver=resolver).validate(item)
    got, body = d.get("/api/v1/vps")
    assert json.loads(body)
    for item in json.loads(body):
        jsonschema.Draft7Validator({"$ref": s + "Vp"},
                                   resolver=resolver).validate(item)
    big = max(json.loads(body), key=lambda v: v["routes_v4"])["id"]
    check(f"/api/v1/vps/{big}/routes?limit=50", s + "VpRoutes")
    page = d.json(f"/api/v1/vps/{big}/routes?limit=50")
    assert len(page["routes"]) == 50 and page["next"] is not None
    assert page["next"] == page["routes"][-1]["prefix"]
    check(f"/api/v1/vps/{big}/routes?after=" + page["next"], s + "VpRoutes")
    rest = d.json(f"/api/v1/vps/{big}/routes?limit=1000000&after=" +
                  page["next"])
    assert rest["next"] is None
    assert len(page["routes"]) + len(rest["routes"]) == \
        page["vp"]["routes_v4"] + page["vp"]["routes_v6"]
    check("/api/v1/vps/99999/routes", s + "Error", 404)
    check("/api/v1/vps/0/routes?limit=0", s + "Error", 400)
    check("/api/v1/vps/0/routes?after=nope", s + "Error", 400)
    check("/api/v1/prefix/nope", s + "Error", 400)
    check("/api/v1/asn/x", s + "Error", 400)
    # every documented path answers (none is a 404)
    for path, ops in doc["paths"].items():
        url = path.replace("{prefix}", "1.0.4.0/24").replace(
            "{asn}", "1").replace("{id}", "0")
        for method in ops:
            got, _ = d.get(url, method=method.upper())
            assert got is not None and got != 404, (method, path, got)


@pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")
def test_cli_over_the_api(daemon, bgpsentry, data_dir, tmp_path):
    d = daemon(mrt_config(data_dir).replace(
        "api:\n", f"""api:
  tokens:
    - {{name: ops, token: {ADMIN_TOKEN}, role: admin}}
"""))
    d.wait_for(lambda: source(d, "rv", ADMIN_TOKEN)["state"]
               in ("done", "degraded"), "the replay")
    conn = ["-c", str(d.config)]          # address and token from it
    want = dump_routes(bgpdump_lines(data_dir / RV))["1.0.4.0/24"]
    r = run(bgpsentry, "lg", "1.0.4.0/24", *conn)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"1.0.4.0/24: seen by {len(want)} of ")
    assert lines[1].startswith(f" rv (mrt): seen by {len(want)} of ")
    assert f", {len(want)} routes; origin AS56203" in lines[1]
    rows = [l for l in lines[2:] if l.startswith("  ")]
    assert sorted(l.split()[0] for l in rows) == sorted(w[0] for w in want)
    for peer_ip, _, path, *_ in want:
        assert any(l.split()[0] == peer_ip and f" path {path} " in l
                   for l in rows), peer_ip
    r = run(bgpsentry, "lg", "1.0.4.0/24", "--json", *conn)
    assert our_routes(json.loads(r.stdout)) == {"1.0.4.0/24": want}
    r = run(bgpsentry, "lg", "1.0.0.0/16", "--more-specifics", *conn)
    assert r.returncode == 0 and "1.0.4.0/24: seen by" in r.stdout
    r = run(bgpsentry, "asn", "AS56203", *conn)
    assert r.returncode == 0
    assert r.stdout.startswith("AS56203 originates 4 prefixes")
    r = run(bgpsentry, "sources", *conn)
    assert r.returncode == 0 and r.stdout.startswith("rv ")
    r = run(bgpsentry, "vps", "--json", *conn)
    assert len(json.loads(r.stdout)) == source(d, "rv", ADMIN_TOKEN)["vps"]
    s_routes = source(d, "rv", ADMIN_TOKEN)["routes"]
    r = run(bgpsentry, "stats", "--json", *conn)
    st = json.loads(r.stdout)
    assert st["routes"] == s_routes == st["memory"]["routes"]["count"]
    assert st["prefixes"]["ipv4"] == st["memory"]["prefixes"]["count"]
    r = run(bgpsentry, "stats", *conn)
    assert r.returncode == 0 and r.stdout.startswith(
        f"{s_routes} routes, {st['prefixes']['ipv4']} IPv4 and 0 IPv6 "
        f"prefixes, from {st['vps']} VPs")
    r = run(bgpsentry, "reload", *conn)
    assert r.returncode == 0 and "reloaded" in r.stdout
    # errors: the daemon's, with exit status 1; no daemon: 2
    r = run(bgpsentry, "lg", "1.0.4.0/33", *conn)
    assert r.returncode == 1 and "is not a prefix" in r.stderr
    r = run(bgpsentry, "sources", "--api", f"http://127.0.0.1:{d.port}")
    assert r.returncode == 1 and "401" in r.stderr
    r = run(bgpsentry, "sources", "--api", f"http://127.0.0.1:{d.port}",
            "--token", ADMIN_TOKEN)
    assert r.returncode == 0
    r = run(bgpsentry, "sources", "--api", f"http://127.0.0.1:{free_port()}")
    assert r.returncode == 2 and "cannot reach the daemon" in r.stderr


def table_dump_v2(path, peers, routes, ts=1700000000):
    """A TABLE_DUMP_V2 file (RFC 6396 4.3): peers are (ip, asn); routes
    are (prefix, [(peer index, [asn, ...])])."""
    import struct

    def rec(subtype, body):
        return struct.pack("!IHHI", ts, 13, subtype, len(body)) + body
    body = struct.pack("!IH", 0x0a000001, 0) + struct.pack("!H", len(peers))
    for ip, asn in peers:
        body += struct.pack("!BI", 2, 0x0a000000 + asn % 65536)
        body += socket.inet_aton(ip) + struct.pack("!I", asn)
    out = rec(1, body)
    for seq, (prefix, entries) in enumerate(routes):
        net = ipaddress.ip_network(prefix)
        plen = net.prefixlen
        body = struct.pack("!IB", seq, plen)
        body += net.network_address.packed[:(plen + 7) // 8]
        body += struct.pack("!H", len(entries))
        for idx, aspath in entries:
            seg = struct.pack("!BB", 2, len(aspath)) + b"".join(
                struct.pack("!I", a) for a in aspath)
            attrs = (struct.pack("!BBBB", 0x40, 1, 1, 0)
                     + struct.pack("!BBB", 0x40, 2, len(seg)) + seg
                     + struct.pack("!BBB", 0x40, 3, 4)
                     + socket.inet_aton(peers[idx][0]))
            body += struct.pack("!HIH", idx, ts, len(attrs)) + attrs
        out += rec(2, body)
    path.write_bytes(out)


def test_compare_and_filters(daemon, bgpsentry, tmp_path):
    """Two sources built to differ in known ways: the compare answer
    names exactly those differences; source= and tag= select views."""
    table_dump_v2(tmp_path / "a.mrt", [("192.0.2.1", 65001)], [
        ("10.1.0.0/16", [(0, [65001, 64500])]),
        ("10.1.1.0/24", [(0, [65001, 64510])]),
        ("10.2.0.0/16", [(0, [65001, 64520])])])
    table_dump_v2(tmp_path / "b.mrt", [("192.0.2.2", 65002),
                                       ("192.0.2.3", 65003)], [
        ("10.1.0.0/16", [(0, [65002, 65001, 64500]),
                         (1, [65003, 65001, 64500])]),
        ("10.1.1.0/24", [(0, [65002, 64666])]),
        ("10.3.0.0/16", [(1, [65003, 64530])])])
    d = daemon(f"""api:
  listen: 127.0.0.1:PORT
sources:
  - {{name: ris, type: mrt, files: [{tmp_path / "a.mrt"}], tags: [upstream]}}
  - {{name: mine, type: mrt, files: [{tmp_path / "b.mrt"}], tags: [own-router]}}
""")
    d.wait_for(lambda: all(s["state"] == "done"
                           for s in d.json("/api/v1/sources")), "replays")
    c = d.json("/api/v1/compare?prefix=10.0.0.0/8&more_specifics=1"
               "&a=ris&b=mine")
    by = {p["prefix"]: p for p in c["prefixes"]}
    assert set(by) == {"10.1.0.0/16", "10.1.1.0/24", "10.2.0.0/16",
                       "10.3.0.0/16"}
    same = by["10.1.0.0/16"]      # same origin and upstream, other paths
    assert not same["differ"]
    assert same["in_a"]["origins"] == same["in_b"]["origins"] == [64500]
    assert same["in_a"]["upstreams"] == same["in_b"]["upstreams"] == [65001]
    assert same["paths_only_in_a"] == ["65001 64500"]
    assert same["paths_only_in_b"] == ["65002 65001 64500",
                                       "65003 65001 64500"]
    assert same["upstreams_only_in_a"] == same["upstreams_only_in_b"] == []
    hij = by["10.1.1.0/24"]              # the origins differ
    assert hij["differ"] and hij["origins_only_in_a"] == [64510]
    assert hij["origins_only_in_b"] == [64666]
    assert by["10.2.0.0/16"]["in_b"]["routes"] == 0
    assert by["10.2.0.0/16"]["differ"]
    assert by["10.3.0.0/16"]["in_a"]["routes"] == 0
    assert c["prefixes_differing"] == 3
    # tags name views too; the text form says the same
    t = d.get("/api/v1/compare?prefix=10.1.1.0/24&a=upstream&b=own-router"
              "&format=text")[1]
    # as docs/api.md shows it
    page = open(os.path.join(os.path.dirname(__file__), "..", "..", "docs",
                             "api.md")).read()
    shown = page.split("$ bgpsentry compare 10.1.1.0/24 upstream "
                       "own-router\n", 1)[1].split("```", 1)[0]
    assert t == shown
    r = run(bgpsentry, "compare", "10.2.0.0/16", "ris", "mine", "--api",
            f"http://127.0.0.1:{d.port}")
    assert r.returncode == 0 and "seen only in ris" in r.stdout
    # filters on the looking glass, with a summary per source
    p = d.json("/api/v1/prefix/10.1.0.0/16")["prefixes"][0]
    assert p["summary"]["routes"] == 3
    assert {s["source"]: s["routes"] for s in p["sources"]} == \
        {"ris": 1, "mine": 2}
    p = d.json("/api/v1/prefix/10.1.0.0/16?source=mine")["prefixes"][0]
    assert p["summary"]["routes"] == 2
    assert {r["source"] for r in p["routes"]} == {"mine"}
    p = d.json("/api/v1/prefix/10.1.0.0/16?tag=upstream")["prefixes"][0]
    assert [r["vp"]["asn"] for r in p["routes"]] == [65001]
    assert d.json("/api/v1/prefix/10.3.0.0/16?source=ris")["prefixes"] == []
    for q, msg in (("/api/v1/prefix/10.1.0.0/16?source=nope", "no source"),
                   ("/api/v1/prefix/10.1.0.0/16?tag=nope", "parameter 'tag'"),
                   ("/api/v1/compare?prefix=10.0.0.0/8&a=ris", "required"),
                   ("/api/v1/compare?prefix=10.0.0.0/8&a=ris&b=x",
                    "neither a source nor a tag")):
        status, body = d.get(q)
        assert status == 400 and msg in body, (q, body)


def test_api_answers_during_a_long_replay(daemon, tmp_path):
    """The loop serves requests between a source's polls: while a large
    RIB dump loads, answers come (mostly in milliseconds) and show it
    growing."""
    gen = os.path.join(os.path.dirname(os.environ.get(
        "BGPSENTRY", str(pathlib.Path(__file__).resolve().parents[2] /
                         "build" / "bgpsentry"))), "bench", "gen-rib")
    data = pathlib.Path(os.environ.get(
        "BGPS_SHARED_DATA",
        pathlib.Path(__file__).resolve().parents[3] / "shared" / "data"))
    if not os.access(gen, os.X_OK) or not (data / RV).exists():
        pytest.skip("needs bench/gen-rib and the shared data")
    big = tmp_path / "big.mrt"
    subprocess.run([gen, "--peers", "6", str(big), str(data / RV)],
                   check=True, capture_output=True, timeout=300)
    d = daemon(f"""api:
  listen: 127.0.0.1:PORT
sources:
  - {{name: big, type: mrt, files: [{big}]}}
""")
    seen = []
    while True:
        t0 = time.monotonic()
        s = source(d, "big")
        took = time.monotonic() - t0
        if s["state"] != "up":
            break
        seen.append((s["routes"], took))
    assert s["state"] == "done"
    assert len(seen) >= 3, seen              # asked during the load
    assert len({r for r, _ in seen}) >= 3    # and it grew meanwhile
    # between two polls, answers take milliseconds; a big table's
    # growth holds them once in a while (bench/RESULTS.md: "The looking
    # glass under load")
    took = sorted(t for _, t in seen)
    assert took[len(took) // 2] < 0.05, took
    assert took[-1] < 5, took


def test_tls_with_tokens(bgpsentry, tmp_path):
    """The API over TLS (as an address other than loopback requires):
    HTTPS with the configured certificate, the token still needed, and
    the CLI talks to it too."""
    import ssl
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "api.crt", tmp_path / "api.key"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", str(key), "-out", str(cert), "-days", "2",
                    "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    cfg = tmp_path / "tls.yaml"
    cfg.write_text(f"""api:
  listen: 127.0.0.1:{port}
  tls: {{cert: {cert}, key: {key}}}
  tokens: [{{name: ops, token: {ADMIN_TOKEN}, role: admin}}]
""")
    log = open(tmp_path / "log", "w+")
    p = subprocess.Popen([bgpsentry, "run", "-c", str(cfg)], stdout=log,
                         stderr=subprocess.STDOUT)
    ctx = ssl.create_default_context(cafile=str(cert))

    def get(path, token=None):
        req = urllib.request.Request(f"https://127.0.0.1:{port}{path}")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=5, context=ctx) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
    try:
        end = time.time() + 20
        while True:
            try:
                assert get("/healthz")[0] == 200
                break
            except (urllib.error.URLError, ConnectionError, AssertionError):
                assert time.time() < end and p.poll() is None
                time.sleep(0.1)
        assert get("/api/v1/sources")[0] == 401
        assert get("/api/v1/sources", ADMIN_TOKEN) == (200, "[]\n")
        # plain HTTP on the TLS port gets no answer
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz",
                                   timeout=5).read()
        # the CLI checks the certificate: not in the system store, it
        # is refused, and said; -c trusts the daemon's own
        r = run(bgpsentry, "sources", "--api", f"https://127.0.0.1:{port}",
                "--token", ADMIN_TOKEN)
        assert r.returncode == 2 and "cannot reach" in r.stderr
        r = run(bgpsentry, "sources", "-c", str(cfg))
        assert r.returncode == 0 and "no source is configured" in r.stdout
        r = run(bgpsentry, "sources", "--api", f"https://127.0.0.1:{port}",
                "--token", ADMIN_TOKEN, "--cacert", str(cert))
        assert r.returncode == 0
    finally:
        p.send_signal(signal.SIGTERM)
        assert p.wait(timeout=20) == 0
        log.close()


def test_rates_and_a_degraded_source(daemon, data_dir, tmp_path):
    """A source with one of its files missing replays the others,
    degraded, with the error; its rate is measured while it runs. (The
    gap bookkeeping itself is unit-tested: an MRT source cannot go down
    once started.)"""
    d = daemon(f"""api:
  listen: 127.0.0.1:PORT
sources:
  - name: partial
    type: mrt
    speed: 2000
    files: [{data_dir / UPDATES}, {tmp_path / "missing.mrt"}]
""")
    # the first second's sample holds the replay (it lasts ~0.5 s), for
    # the source and for its VPs alike; the next one is 0 again
    seen_source = seen_vp = False
    end = time.time() + 10
    while not (seen_source and seen_vp) and time.time() < end:
        seen_source |= source(d, "partial")["events_per_s"] > 0
        seen_vp |= any(v["updates_per_s"] > 0
                       for v in d.json("/api/v1/vps")
                       if v["source"] == "partial")
        time.sleep(0.05)
    assert seen_source and seen_vp
    s = source(d, "partial")
    assert s["state"] == "degraded" and "No such file" in s["last_error"]
    assert s["gaps_total"] == 0 and s["gaps"] == []
    assert 'bgpsentry_source_events_per_second{source="partial"}' in \
        d.get("/metrics")[1]


def test_command_line_outlives_a_reload(daemon):
    """--log-level beats the file's level, before and after a reload."""
    d = daemon("log: {level: error}\napi: {listen: 127.0.0.1:PORT}\n",
               args=("--log-level", "info"))
    assert "running config=" in d.logtext()          # info, not error
    d.proc.send_signal(signal.SIGHUP)
    d.wait_for(lambda: "reloaded path=" in d.logtext(), "the reload")


def test_demo_is_live_with_no_network(bgpsentry, tmp_path):
    """`run --demo`: the RIS data built into the binary is written under
    the data directory and replayed: a RIB dump loads, two update files
    loop at the speed factor, stamped with the replay's time, so routes
    keep changing; SIGHUP has nothing to re-read."""
    from conftest import ROOT
    port = free_port()
    log = open(tmp_path / "log", "w+")
    p = subprocess.Popen([bgpsentry, "run", "--demo", "--speed", "60",
                          "--listen", f"127.0.0.1:{port}",
                          "--data-dir", str(tmp_path / "var")],
                         stdout=log, stderr=subprocess.STDOUT)
    d = Daemon.__new__(Daemon)
    d.port, d.proc, d.log = port, p, log
    try:
        d.wait_for(lambda: d.get("/healthz")[0] == 200, "healthz")
        shipped = sorted((ROOT / "demo").glob("*.gz"))
        assert len(shipped) == 3
        for f in shipped:
            assert (tmp_path / "var" / "demo" / f.name).read_bytes() == \
                f.read_bytes()
        rib = tmp_path / "var" / "demo" / "rrc00.bview.20020722.2337.gz"
        upd = tmp_path / "var" / "demo" / "ris.updates.20160811.1600.gz"
        rib_lines = run(bgpsentry, "mrt", "dump", "-m", str(rib)).stdout
        upd_lines = run(bgpsentry, "mrt", "dump", "-m", str(upd)).stdout
        n_rib = len(rib_lines.splitlines())
        n_upd = len(upd_lines.splitlines())
        d.wait_for(lambda: source(d, "rrc00-2002")["state"] == "done",
                   "the RIB dump")
        s = source(d, "rrc00-2002")
        assert s["routes"] == n_rib == 115521
        assert s["vps"] == s["vps_up"] == 36
        assert {x["name"] for x in d.json("/api/v1/sources")} == \
            {"rrc00-2002", "ris-2016", "rrc15-2010"}
        # the updates go on past the end of their file: they loop
        d.wait_for(lambda: source(d, "ris-2016")["events"] > n_upd,
                   "a second round of the updates", timeout=60)
        for name in ("ris-2016", "rrc15-2010"):
            assert source(d, name)["state"] == "up"
        # routes change while we look, and are as young as the replay
        e1 = source(d, "ris-2016")["events"]
        time.sleep(1.5)
        assert source(d, "ris-2016")["events"] > e1
        def routes():
            lg = d.json("/api/v1/prefix/195.128.159.0/24")
            return [r for p in lg["prefixes"] for r in p["routes"]]
        assert "rrc00-2002" in {r["source"] for r in routes()}
        d.wait_for(lambda: "ris-2016" in {r["source"] for r in routes()},
                   "a 2016 route for 195.128.159.0/24", timeout=30)
        assert all(r["age"] < 120 for r in routes()), routes()
        p.send_signal(signal.SIGHUP)
        d.wait_for(lambda: "nothing to re-read" in d.logtext(), "SIGHUP")
        assert p.poll() is None
    finally:
        p.send_signal(signal.SIGTERM)
        rc = p.wait(timeout=20)
    text = d.logtext()
    log.close()
    assert rc == 0, text[-3000:]
    assert "demo: real RIS data" in text


def test_api_queue_metrics(daemon, data_dir):
    """Requests go to the daemon's loop and back: counted, and the
    queues are empty when nothing else is asked."""
    d = daemon(mrt_config(data_dir))
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")

    def metric(text, name):
        return int(re.search(r"^" + re.escape(name) + r" (\d+)$", text,
                             re.M).group(1))
    m0 = d.get("/metrics")[1]
    for i in range(25):
        # each its own question (the token is part of the cache's key;
        # none is needed here): every one goes to the daemon's loop
        assert d.get("/api/v1/prefix/1.0.4.0/24", token=f"t{i}")[0] == 200
    m1 = d.get("/metrics")[1]
    assert metric(m1, "bgpsentry_api_requests_total") == \
        metric(m0, "bgpsentry_api_requests_total") + 26
    assert metric(m1, 'bgpsentry_api_queue_depth{queue="to_daemon"}') == 0
    assert metric(m1, 'bgpsentry_api_queue_depth{queue="to_api"}') == 1
    assert metric(m1, "bgpsentry_api_answers_dropped_total") == 0


def cache_counts(d):
    text = d.get("/metrics")[1]
    return tuple(int(re.search(
        r'^bgpsentry_api_cache_requests_total\{result="%s"\} (\d+)$' % r,
        text, re.M).group(1)) for r in ("hit", "miss"))


def without_ages(ans):
    for p in ans["prefixes"]:
        for r in p["routes"]:
            del r["age"]
    return ans


def test_answers_kept_while_true(daemon, data_dir):
    """The same question again is answered from the answer kept, the
    same but for the ages; a change of the RIB that the answer shows
    (here a second source seeing the prefix) is in the next answer; a
    different token, or none, is a different question; cache_mb: 0 keeps
    nothing."""
    d = daemon(mrt_config(data_dir))
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")
    p = "/api/v1/prefix/1.0.4.0/24"
    h0, m0 = cache_counts(d)
    first = d.json(p)
    assert cache_counts(d) == (h0, m0 + 1)
    for i in range(5):
        again = d.json(p)
        assert cache_counts(d) == (h0 + 1 + i, m0 + 1)
        assert without_ages(again) == without_ages(json.loads(
            json.dumps(first)))
    text = d.get(p + "?format=text")[1]
    assert d.get(p + "?format=text")[1].splitlines()[0] == \
        text.splitlines()[0]
    assert d.get(p, token="another")[0] == 200
    h1, m1 = cache_counts(d)
    assert (h1, m1) == (h0 + 6, m0 + 3)
    # a second source with the same routes: twice as many, at once
    n = len(first["prefixes"][0]["routes"])
    d.write(mrt_config(data_dir, f"""  - name: rv2
    type: mrt
    files: [{data_dir / RV}]
"""))
    assert d.get("/api/v1/reload", method="POST")[0] == 200
    d.wait_for(lambda: source(d, "rv2") is not None and
               source(d, "rv2")["state"] in ("done", "degraded"),
               "the second replay")
    after = d.json(p)
    assert len(after["prefixes"][0]["routes"]) == 2 * n
    assert {r["source"] for r in after["prefixes"][0]["routes"]} == \
        {"rv", "rv2"}
    assert cache_counts(d)[0] == h1      # not from the cache
    assert len(d.json(p)["prefixes"][0]["routes"]) == 2 * n
    assert cache_counts(d)[0] == h1 + 1


def test_no_answers_kept(daemon, data_dir):
    d = daemon(mrt_config(data_dir).replace(
        "  listen: 127.0.0.1:PORT", "  listen: 127.0.0.1:PORT\n  cache_mb: 0"))
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")
    for _ in range(3):
        d.json("/api/v1/prefix/1.0.4.0/24")
    assert cache_counts(d) == (0, 0)


def test_stop_and_reload_with_requests_in_flight(bgpsentry, data_dir,
                                                 tmp_path):
    """Clients ask all the time while the updates loop, the configuration
    is reloaded and the daemon is stopped: every answer before the stop
    is whole and right, the same question asked at once is answered once
    by the daemon's loop, and the stop is clean (exit 0; under the
    sanitizers, no leak of the requests still on their way)."""
    import threading
    import http.client
    d = Daemon(bgpsentry, tmp_path, mrt_config(data_dir) + f"""
  - {{name: upd, type: mrt, files: [{data_dir / UPDATES}], loop: true}}
""")
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the RIB dump")
    stop = threading.Event()
    results = {"ok": 0, "bad": [], "refused": 0}

    def client():
        while not stop.is_set():
            c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=10)
            try:
                for _ in range(20):
                    c.request("GET", "/api/v1/prefix/1.0.0.0/16"
                              "?more_specifics=1")
                    r = c.getresponse()
                    body = r.read()
                    if r.status == 200 and json.loads(body)["prefixes"]:
                        results["ok"] += 1
                    else:
                        results["bad"].append((r.status, body[:200]))
            except (OSError, http.client.HTTPException):
                results["refused"] += 1
            finally:
                c.close()
    def daemon_answers():
        return int(re.search(r"^bgpsentry_api_requests_total (\d+)$",
                             d.get("/metrics")[1], re.M).group(1))
    threads = [threading.Thread(target=client) for _ in range(6)]
    m0 = daemon_answers()
    for t in threads:
        t.start()
    try:
        for _ in range(3):
            time.sleep(0.7)
            d.proc.send_signal(signal.SIGHUP)
        time.sleep(0.7)
        # the same question asked on several connections at once goes
        # once to the daemon's loop, and each gets its answer
        m1 = daemon_answers()
        ok_before_stop = results["ok"]
        assert m1 - m0 < ok_before_stop, (m1 - m0, ok_before_stop)
        d.proc.send_signal(signal.SIGTERM)
        assert d.proc.wait(timeout=20) == 0, d.logtext()[-3000:]
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=20)
        d.log.close()
    assert ok_before_stop > 50, results
    assert results["bad"] == [], results["bad"][:3]
