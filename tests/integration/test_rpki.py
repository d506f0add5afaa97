"""RPKI in the daemon: VRP and ASPA JSON from a file and from an HTTP URL
(conditional refresh), RTR from two StayRTR caches (the VRPs compared with
RTRlib's own rtrclient, failover, expiry), the routes' ROV and ASPA states
checked against this file's own reading of RFC 6811 and of the ASPA
verification draft, revalidation when the VRPs change, and the CLI."""
import bz2
import hashlib
import http.server
import ipaddress
import json
import os
import re
import shutil
import subprocess
import threading
import time

import pytest

from bgp_peers import free_port, our_table, wait
from conftest import run
from test_bgp import follows_the_openapi_document
from test_daemon import daemon, source  # noqa: F401 (a fixture)
from test_rib import RV

VRPS = "rpki/rpki-client.vrps.20250720T093135Z.json.bz2"
# the RouteViews excerpt's prefixes lie in 1.0.0.0/8 to 5.0.0.0/8
NEAR = [ipaddress.ip_network(n) for n in ("0.0.0.0/5", "2001::/16")]


@pytest.fixture(scope="module")
def export(data_dir):
    """The 2025 rpki-client export, cut to the VRPs near the RouteViews
    excerpt's routes, and its ASPAs."""
    with bz2.open(data_dir / VRPS, "rt") as f:
        doc = json.load(f)
    roas = [r for r in doc["roas"]
            if any(ipaddress.ip_network(r["prefix"]).subnet_of(n)
                   for n in NEAR
                   if n.version == ipaddress.ip_network(r["prefix"]).version)]
    assert len(roas) > 5000
    return {"metadata": doc["metadata"], "roas": roas, "aspas": doc["aspas"]}


def write_json(path, doc):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc))
    os.replace(tmp, path)


# --- the reference: RFC 6811 and the ASPA draft, read here -----------------

class Rov:
    def __init__(self, roas):
        self.by = {}
        for r in roas:
            n = ipaddress.ip_network(r["prefix"])
            asn = int(str(r["asn"]).upper().removeprefix("AS"))
            self.by.setdefault(n, []).append((asn, r["maxLength"]))

    def state(self, prefix, origin):
        n = ipaddress.ip_network(prefix)
        covered = valid = length = False
        for plen in range(n.prefixlen + 1):
            for asn, maxlen in self.by.get(n.supernet(new_prefix=plen), ()):
                covered = True
                if origin is None or asn == 0 or asn != origin:
                    continue
                if n.prefixlen <= maxlen:
                    valid = True
                else:
                    length = True
        if not covered:
            return "not-found"
        return "valid" if valid else ("invalid-length" if length
                                      else "invalid-origin")


def aspa_state(aspas, path, downstream):
    """draft-ietf-sidrops-aspa-verification-27, sections 5.3 to 5.5; path
    from the neighbor to the origin, no AS_SET."""
    if not path:
        return "invalid"
    a = [None]
    for asn in reversed(path):          # a[1] is the origin
        if a[-1] != asn:
            a.append(asn)
    n = len(a) - 1

    def auth(x, y):
        if x not in aspas:
            return "none"
        return "p" if y in aspas[x] else "not"
    max_up = min_up = n
    for i in range(1, n):
        h = auth(a[i], a[i + 1])
        if h != "p" and min_up == n:
            min_up = i
        if h == "not":
            max_up = i
            break
    max_down = min_down = n if downstream else 0
    if downstream:
        for j in range(n, 1, -1):
            h = auth(a[j], a[j - 1])
            if h != "p" and min_down == n:
                min_down = n - j + 1
            if h == "not":
                max_down = n - j + 1
                break
    if max_up + max_down < n:
        return "invalid"
    if min_up + min_down < n:
        return "unknown"
    return "valid"


def route_origin(r, vp_asn):
    path = r["as_path"].split()
    if any(x.startswith("{") for x in path):
        return None, None
    path = [int(x) for x in path]
    return (path[-1] if path else vp_asn), (path if path else [vp_asn])


def check_vp(d, vp, rov, aspas, downstream=True):
    """Every route of one VP: its states are ours as the reference says.
    The count of each ROV state."""
    counts = {}
    for r in our_table(d, vp["id"]):
        origin, path = route_origin(r, vp["asn"])
        want = rov.state(r["prefix"], origin)
        assert r["rpki"]["rov"] == want, (vp["name"], r)
        if path is not None:
            assert r["rpki"]["aspa"] == aspa_state(aspas, path,
                                                   downstream), r
        counts[want] = counts.get(want, 0) + 1
    assert counts, f"{vp['name']} has no routes: nothing was checked"
    return counts


def rpki_config(data_dir, rpki, extra=""):
    return f"""
api:
  listen: 127.0.0.1:PORT
{extra}
sources:
  - name: rv
    type: mrt
    files: [{data_dir / RV}]
rpki:
{rpki}"""


def lg_routes(d, prefix):
    """The routes of one prefix in the looking glass."""
    ans = d.json(f"/api/v1/prefix/{prefix}")
    return [r for p in ans["prefixes"] for r in p["routes"]]


def rv_done(d):
    return source(d, "rv")["state"] == "done"


def vps(d):
    return [v for v in d.json("/api/v1/vps") if v["source"] == "rv"]


def big_vp(d):
    """The VP with the most routes (the first has none)."""
    return max(vps(d), key=lambda v: v["routes_v4"])


# --- a JSON file ----------------------------------------------------------------

def test_json_file_states_revalidation_and_bad_refresh(daemon, data_dir,
                                                        export, tmp_path):
    """A file source: every route of three VPs carries the ROV and ASPA
    states of the reference reading; a change of the file revalidates
    the routes under the VRPs that changed, within seconds, and `rpki
    diff` names them for the monitored prefixes; a broken file keeps the
    last good data and says which entry is wrong."""
    f = tmp_path / "vrps.json"
    write_json(f, export)
    d = daemon(rpki_config(data_dir, f"""  sources:
    - name: local
      type: json
      file: {f}
      refresh: 1
""", extra="monitor:\n  prefixes: [1.0.0.0/8]"))
    d.wait_for(lambda: rv_done(d) and
               d.json("/api/v1/rpki/status")["generation"] >= 1,
               "the routes and the VRPs")
    st = d.json("/api/v1/rpki/status")
    follows_the_openapi_document(d, "RpkiStatus", [st])
    want_v4 = len({(r["prefix"], r["maxLength"], r["asn"])
                   for r in export["roas"] if ":" not in r["prefix"]})
    assert st["vrps"]["ipv4"] == want_v4
    assert st["aspas"] == len(export["aspas"]) == 100
    assert st["sources"][0]["state"] == "up"
    rov = Rov(export["roas"])
    aspas = {a["customer_asid"]: set(a["providers"])
             for a in export["aspas"]}
    all_vps = vps(d)
    total = {}
    for vp in sorted(all_vps, key=lambda v: -v["routes_v4"])[:3]:
        for k, n in check_vp(d, vp, rov, aspas).items():
            total[k] = total.get(k, 0) + n
    # real data: every state is there in numbers
    assert all(total.get(s, 0) > 50 for s in
               ("valid", "invalid-origin", "not-found")), total

    # the file changes: the VRP of one valid route's own prefix goes, and
    # a VRP makes a route that was not valid valid
    vp = max(all_vps, key=lambda v: v["routes_v4"])
    routes = our_table(d, vp["id"])
    follows_the_openapi_document(d, "VpRoute", routes[:200])
    follows_the_openapi_document(d, "Route", lg_routes(d, routes[0]["prefix"]))
    follows_the_openapi_document(d, "RpkiTables",
                                 [d.json("/api/v1/rpki/vrps")])
    vrp_prefixes = {x["prefix"] for x in export["roas"]}
    gone = next(r for r in routes if r["rpki"]["rov"] == "valid" and
                r["prefix"] in vrp_prefixes and r["prefix"].startswith("1."))
    made = next(r for r in routes if r["rpki"]["rov"] == "not-found" and
                r["prefix"].startswith("1."))
    p_gone, p_made = gone["prefix"], made["prefix"]
    o_made, _ = route_origin(made, vp["asn"])
    gone_vrps = {(x["prefix"], x["maxLength"], x["asn"])
                 for x in export["roas"] if x["prefix"] == p_gone}
    changed = dict(export)
    changed["roas"] = [r for r in export["roas"] if r["prefix"] != p_gone] \
        + [{"prefix": p_made, "maxLength": int(p_made.split("/")[1]),
            "asn": o_made}]
    gen = st["generation"]
    t0 = time.time()
    write_json(f, changed)
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] > gen,
               "the new VRPs", timeout=10)
    assert time.time() - t0 < 5
    assert {r["rpki"]["rov"] for r in lg_routes(d, p_made)
            if route_origin(r, r["vp"]["asn"])[0] == o_made} == {"valid"}
    diff = d.json("/api/v1/rpki/diff")
    follows_the_openapi_document(d, "RpkiDiff", [diff])
    assert diff["monitored"] == ["1.0.0.0/8"]
    assert diff["vrps"]["removed"] == len(gone_vrps)
    assert diff["vrps"]["added"] == 1
    assert {(c["change"], c["prefix"], c["max_length"], c["asn"])
            for c in diff["vrps"]["changes"]} == \
        {("removed",) + v for v in gone_vrps if v[0].startswith("1.")} | \
        {("added", p_made, int(p_made.split("/")[1]), o_made)}
    # exactly the routes whose reference state changed, nothing else
    rov2 = Rov(changed["roas"])
    want = set()
    want_states = set()
    walked = 0
    for p in (p_gone, p_made):
        ans = d.json(f"/api/v1/prefix/{p}?more_specifics=1")
        for x in ans["prefixes"]:
            for r in x["routes"]:
                walked += 1
                o, _ = route_origin(r, r["vp"]["asn"])
                if rov.state(x["prefix"], o) != rov2.state(x["prefix"], o):
                    want.add((x["prefix"], r["vp"]["id"]))
                    want_states.add((x["prefix"], r["vp"]["id"], o,
                                     rov.state(x["prefix"], o),
                                     rov2.state(x["prefix"], o)))
    want_monitored = {w for w in want if w[0].startswith("1.")}
    got = {(c["prefix"], c["vp"]) for c in diff["routes"]["changes"]}
    assert got == want_monitored and len(want) > 20
    assert diff["routes"]["changed"] == len(want)
    # only the two prefixes' ranges were walked, not the RIB
    assert diff["routes"]["walked"] == walked
    text = run(d_bin(d), "rpki", "diff", "--api", f"http://127.0.0.1:{d.port}"
               ).stdout
    assert f"+ VRP {p_made}-{p_made.split('/')[1]} AS{o_made} (local)" in \
        text, text
    assert "rov not-found -> valid" in text
    last_change = check_route_changes(d, want, want_states, all_vps)

    # a broken refresh: the last good data stays, the entry is named
    gen = d.json("/api/v1/rpki/status")["generation"]
    bad = dict(changed)
    bad["roas"] = changed["roas"][:10] + [{"prefix": "1.0.0.0/33",
                                           "asn": 1, "maxLength": 33}]
    write_json(f, bad)
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]["state"]
               == "degraded", "the failure")
    st = d.json("/api/v1/rpki/status")
    assert st["generation"] == gen
    assert st["sources"][0]["error"].endswith(
        'roas[10]: "1.0.0.0/33" is not a prefix'), st
    # a source alert: the source events say it, with the error
    ev = d.json("/api/v1/events")
    follows_the_openapi_document(d, "SourceEvents", [ev])
    assert rpki_events(d, "local") == [
        ("", "starting", ""), ("starting", "up", ""),
        ("up", "degraded", st["sources"][0]["error"])]
    out = run(d_bin(d), "events", "--api", f"http://127.0.0.1:{d.port}")
    assert "local                rpki     up -> degraded  " + \
        st["sources"][0]["error"] + "\n" in out.stdout, out.stdout
    assert st["vrps"]["ipv4"] == want_v4 - len(gone_vrps) + 1
    assert d.json(f"/api/v1/rpki/validate?prefix={p_made}&asn={o_made}"
                  )["rov"]["state"] == "valid"
    metrics = d.get("/metrics")[1]
    assert 'bgpsentry_rpki_source_up{source="local",type="json",' \
        'state="degraded"} 0' in metrics
    assert "bgpsentry_rpki_source_failures_total{source=\"local\"} " \
        in metrics
    assert "bgpsentry_rpki_vrps{family=\"ipv4\"} %d" % (
        want_v4 - len(gone_vrps) + 1) in metrics
    # mended: up again, and said
    write_json(f, changed)
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]["state"]
               == "up", "the mended file")
    assert rpki_events(d, "local")[3:] == [("degraded", "up", "")]
    # neither the failure nor the same data again changed a route
    assert d.json("/api/v1/rpki/changes")["last_seq"] == last_change


def d_bin(d):
    return d.proc.args[0]


def rpki_events(d, name):
    """The RPKI source's state changes in the source events."""
    return [(e["from"], e["to"], e["detail"])
            for e in d.json("/api/v1/events")["events"]
            if e["kind"] == "rpki" and e["source"] == name]


def check_route_changes(d, want, want_states, all_vps):
    """/api/v1/rpki/changes, the detectors' feed: each route whose state
    changed with the new VRPs, once, numbered from 1, with its origin and
    both states; after= and limit= page through it; bad arguments are
    refused. Returns the last seq."""
    ch = d.json("/api/v1/rpki/changes?limit=65536")
    follows_the_openapi_document(d, "RpkiChanges", [ch])
    n = ch["last_seq"]
    assert (ch["first_seq"], ch["dropped"]) == (1, 0)
    assert [c["seq"] for c in ch["changes"]] == list(range(1, n + 1))
    assert n == len(want)
    assert {(c["prefix"], c["vp"], c["origin_asn"], c["rov"]["old"],
             c["rov"]["new"]) for c in ch["changes"]} == want_states
    # (the ASPAs did not change: neither did an ASPA state)
    assert all(c["aspa"]["old"] == c["aspa"]["new"] for c in ch["changes"])
    names = {v["id"]: v["name"] for v in all_vps}
    assert all(c["vp_name"] == names[c["vp"]] and c["source"] == "rv"
               for c in ch["changes"])
    # the default limit is 1000, the oldest first
    assert d.json("/api/v1/rpki/changes")["changes"] == ch["changes"][:1000]
    page = d.json("/api/v1/rpki/changes?after=2&limit=3")
    assert [c["seq"] for c in page["changes"]] == [3, 4, 5]
    assert page["changes"] == ch["changes"][2:5]
    assert page["last_seq"] == n and page["dropped"] == 0
    assert d.json(f"/api/v1/rpki/changes?after={n}")["changes"] == []
    for q, err in (("after=-1", "parameter 'after': expected 0 to "),
                   ("after=x", "parameter 'after'"),
                   ("limit=0", "parameter 'limit': expected 1 to 65536"),
                   ("limit=65537", "parameter 'limit': expected 1 to 65536"),
                   ("after=1&bogus=1", "unknown parameter 'bogus'"),
                   ("format=xml", "format")):
        status, body = d.get("/api/v1/rpki/changes?" + q)
        assert status == 400 and err in body, (q, body)
    # the CLI: the last one, a line
    c = ch["changes"][-1]
    out = run(d_bin(d), "rpki", "changes", "--after", str(n - 1), "--api",
              f"http://127.0.0.1:{d.port}")
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("\n") == 1, out.stdout
    assert out.stdout.split()[0] == str(n)
    assert f" {c['prefix']} " in out.stdout
    assert f"{c['vp_name']} origin AS{c['origin_asn']}: rov " \
        f"{c['rov']['old']} -> {c['rov']['new']}, aspa " in out.stdout
    out = run(d_bin(d), "rpki", "changes", "--limit", "x", "--api",
              f"http://127.0.0.1:{d.port}")
    assert out.returncode == 1 and "parameter 'limit'" in out.stderr
    return n


def test_validate_endpoint_and_cli(daemon, bgpsentry, data_dir, export,
                                   tmp_path):
    """rpki/validate explains: the covering VRPs and which matches, the
    reason of an invalid; with a path, ASPA per procedure and hop. The
    CLI prints the same."""
    f = tmp_path / "vrps.json"
    doc = dict(export)
    doc["aspas"] = export["aspas"] + [
        {"customer_asid": 64500, "providers": [64501]},
        {"customer_asid": 64501, "providers": [64502]},
        {"customer_asid": 64503, "providers": [0]}]
    write_json(f, doc)
    d = daemon(rpki_config(data_dir, f"""  aspa: upstream
  sources:
    - name: local
      type: json
      file: {f}
"""))
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] >= 1,
               "the VRPs")
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/24&asn=13335")
    follows_the_openapi_document(d, "RpkiValidation", [v])
    assert v["rov"]["state"] == "valid" and v["rov"]["reason"] is None
    assert {"prefix": "1.1.1.0/24", "max_length": 24, "asn": 13335,
            "sources": ["local"], "matches": True} in v["rov"]["vrps"]
    assert "aspa" not in v
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/25&asn=13335")
    assert (v["rov"]["state"], v["rov"]["reason"]) == ("invalid", "length")
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/24&asn=15169")
    assert (v["rov"]["state"], v["rov"]["reason"]) == ("invalid", "origin")
    v = d.json("/api/v1/rpki/validate?prefix=203.0.113.0/24&asn=1")
    assert v["rov"] == {"state": "not-found", "reason": None, "vrps": [],
                        "vrps_not_shown": 0}
    # ASPA: 64500 -> 64501 -> 64502 climbs; 64503 says it has none
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/24&path="
               "64502%2064501%2064500")
    assert v["origin_asn"] == 64500
    assert v["aspa"]["state"] == "valid"
    assert v["aspa"]["direction"] == "upstream"
    # 64501's ASPA says 64502 only: 64500 is no provider of it
    assert v["aspa"]["hops"] == [
        {"from": 64500, "to": 64501, "up": "provider",
         "down": "not-provider"},
        {"from": 64501, "to": 64502, "up": "provider",
         "down": "no-attestation"}]
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/24&path="
               "64501%2064503%2064500")
    assert v["aspa"]["state"] == "invalid"
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/24&path="
               "64509%2064501%2064500&direction=downstream")
    assert v["aspa"]["state"] == "valid"
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/24&asn=13335&path="
               "3356%20%7B64500,64501%7D")
    assert v["aspa"]["state"] == "invalid" and v["aspa"]["as_set"]
    for q, err in (("asn=1", "parameter prefix is required"),
                   ("prefix=1.1.1.0/24", "parameter asn is required"),
                   ("prefix=1.1.1.0/33&asn=1", "is not a prefix"),
                   ("prefix=1.1.1.0/24&asn=x", "is not an AS number"),
                   ("prefix=1.1.1.0/24&path=1%20x", "parameter 'path'"),
                   ("prefix=1.1.1.0/24&asn=1&direction=sideways",
                    "expected upstream or downstream"),
                   ("prefix=1.1.1.0/24&asn=1&bogus=1",
                    "unknown parameter 'bogus'")):
        status, body = d.get("/api/v1/rpki/validate?" + q)
        assert status == 400 and err in body, (q, body)
    api = ["--api", f"http://127.0.0.1:{d.port}"]
    out = run(bgpsentry, "rpki", "validate", "1.1.1.0/25", "AS13335", *api)
    assert out.returncode == 0
    assert "1.1.1.0/25 AS13335: ROV invalid-length" in out.stdout
    assert "VRP 1.1.1.0/24-24 AS13335 (local)" in out.stdout
    out = run(bgpsentry, "rpki", "validate", "1.1.1.0/24", "--path",
              "64502 64501 64500", "--direction", "down", *api)
    assert "ASPA (downstream) valid, path 64502 64501 64500" in out.stdout
    assert "AS64500 -> AS64501: provider" in out.stdout
    out = run(bgpsentry, "rpki", "status", *api)
    assert "local                json up" in out.stdout, out.stdout
    assert "ASPAs 103; ASPA procedure upstream" in out.stdout
    out = run(bgpsentry, "rpki", "validate", *api)
    assert out.returncode == 2 and "usage: bgpsentry rpki" in out.stderr
    # the routes under the upstream procedure
    rov = Rov(doc["roas"])
    aspas = {a["customer_asid"]: set(a["providers"]) for a in doc["aspas"]}
    d.wait_for(lambda: rv_done(d), "the routes")
    check_vp(d, big_vp(d), rov, aspas, downstream=False)
    lg_text_says_the_states(d, bgpsentry, api)


def lg_text_says_the_states(d, bgpsentry, api):
    """`bgpsentry lg PREFIX` prints each route's `rov ... aspa ...`, the
    states the API gives, for prefixes of every ROV state."""
    by_state = {}
    for r in our_table(d, big_vp(d)["id"]):
        by_state.setdefault((r["rpki"]["rov"], r["rpki"]["aspa"]),
                            r["prefix"])
    rovs = {k[0] for k in by_state}
    assert {"valid", "not-found"} <= rovs and \
        rovs & {"invalid-origin", "invalid-length"}, by_state
    seen = set()
    for prefix in by_state.values():
        out = run(bgpsentry, "lg", prefix, *api)
        assert out.returncode == 0, out.stderr
        got = sorted(re.findall(r"^  (\S.*?) +\S+ +path (.*?)  next-hop "
                                r".*?  rov (\S+)  aspa (\S+)", out.stdout,
                                re.M))
        want = sorted((r["vp"]["name"], r["as_path"], r["rpki"]["rov"],
                       r["rpki"]["aspa"]) for r in lg_routes(d, prefix))
        assert got == want and want, (prefix, out.stdout)
        seen |= {(w[2], w[3]) for w in want}
    assert set(by_state) <= seen, seen


# --- an HTTP URL ------------------------------------------------------------------

class Origin(http.server.ThreadingHTTPServer):
    """Serves one JSON body with an ETag and Last-Modified, answers 304 to
    a request that has them, or fails on demand."""

    def __init__(self):
        super().__init__(("127.0.0.1", 0), OriginHandler)
        self.body = b"{}"
        self.status = 200
        self.requests = []
        self.modified = "Sun, 20 Jul 2025 09:31:35 GMT"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def etag(self):
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


class OriginHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        o = self.server
        o.requests.append(dict(self.headers))
        if o.status != 200:
            self.send_error(o.status)
            return
        if self.headers.get("If-None-Match") == o.etag():
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("ETag", o.etag())
        self.send_header("Last-Modified", o.modified)
        self.send_header("Content-Length", str(len(o.body)))
        self.end_headers()
        self.wfile.write(o.body)

    def log_message(self, *args):
        pass


def test_url_refresh_is_conditional_and_failures_keep_data(daemon, export,
                                                           data_dir):
    """A URL source asks again with If-None-Match and If-Modified-Since
    and is answered 304 while nothing changed; new content is loaded;
    an HTTP error and a broken body keep the last good data."""
    o = Origin()
    small = {"roas": export["roas"][:500], "aspas": export["aspas"][:5]}
    o.body = json.dumps(small).encode()
    url = f"http://127.0.0.1:{o.server_address[1]}/vrps.json"
    try:
        d = daemon(rpki_config(data_dir, f"""  sources:
    - name: web
      type: json
      url: {url}
      refresh: 1
      timeout: 5
"""))
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] >= 1,
                   "the VRPs")
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]
                   ["unchanged"] >= 2, "conditional refreshes")
        assert o.requests[0].get("If-None-Match") is None
        later = o.requests[-1]
        assert later["If-None-Match"] == o.etag()
        assert later["If-Modified-Since"] == o.modified
        st = d.json("/api/v1/rpki/status")
        n = st["vrps"]["ipv4"] + st["vrps"]["ipv6"]
        assert n == len({(r["prefix"], r["maxLength"], r["asn"])
                         for r in small["roas"]})
        assert st["aspas"] == 5
        assert st["sources"][0]["url"] == url
        # new content
        small["roas"] = small["roas"][:100]
        o.body = json.dumps(small).encode()
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] >= 2,
                   "the new content")
        gen = d.json("/api/v1/rpki/status")["generation"]
        # a server error, then garbage: kept, said
        o.status = 500
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]
                   ["state"] == "degraded", "the HTTP error")
        assert "500" in d.json("/api/v1/rpki/status")["sources"][0]["error"]
        o.body = b'{"roas": [{"prefix": "1.0.0.0/8", "asn": 1,'
        o.status = 200
        d.wait_for(lambda: "not JSON" in (d.json("/api/v1/rpki/status")
                   ["sources"][0]["error"] or ""), "the broken body")
        st = d.json("/api/v1/rpki/status")
        assert st["generation"] == gen and st["sources"][0]["vrps"] == \
            len({(r["prefix"], r["maxLength"], r["asn"])
                 for r in small["roas"]})
        assert "roas are kept" not in d.logtext()
        assert "the last good data is kept source=web" in d.logtext()
    finally:
        o.shutdown()


# --- RTR ---------------------------------------------------------------------------

class StayRTR:
    def __init__(self, tmp, cache, port=None, protocol=None):
        self.bin = shutil.which("stayrtr")
        if self.bin is None:
            pytest.skip("stayrtr is not installed")
        self.port = port or free_port()
        self.log = open(tmp / f"stayrtr-{self.port}.log", "a")
        # the refresh and retry it sends (End of Data) are short, so that
        # a cache that comes back is found again at once
        self.proc = subprocess.Popen(
            [self.bin, "-bind", f"127.0.0.1:{self.port}", "-cache",
             str(cache), "-checktime=false", "-metrics.addr",
             f"127.0.0.1:{free_port()}", "-refresh", "1", "-rtr.refresh",
             "1", "-rtr.retry", "1",
             *(["-protocol", str(protocol)] if protocol is not None else [])],
            stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.log.close()


def unexpiring(roas):
    """StayRTR leaves out ROAs past their "expires" (the export's are of
    2025): the same VRPs without it."""
    return [{k: v for k, v in r.items() if k != "expires"} for r in roas]


def rtrclient_vrps(port):
    """What RTRlib's rtrclient gets from the cache."""
    try:
        r = subprocess.run(["rtrclient", "-e", "tcp", "127.0.0.1",
                            str(port)], capture_output=True, text=True,
                           timeout=20)
    except subprocess.TimeoutExpired:
        return set()            # it waits while the cache has no data
    out = set()
    for line in r.stdout.splitlines():
        if "-" in line and " AS " in line:
            pfx, asn = line.split(" AS ")
            prefix, maxlen = pfx.rsplit("-", 1)
            out.add((prefix, int(maxlen), int(asn)))
    return out


def our_vrps(d):
    return {(v["prefix"], v["max_length"], v["asn"])
            for v in d.json("/api/v1/rpki/vrps")["vrps"]}


def cache_of(st, port):
    for c in st["sources"][0]["caches"]:
        if c["port"] == str(port):
            return c
    raise AssertionError(port)


def test_rtr_failover_and_expiry(daemon, data_dir, export, tmp_path):
    """Two StayRTR caches serving a file: the VRPs equal rtrclient's; the
    file changes, StayRTR serves a new serial and the routes' states
    change within seconds; the preferred cache stops: the other takes
    over with the same data; the preferred one back (with a new session)
    takes over again; both stop: the data expires after `expire` and the
    source says so."""
    if shutil.which("rtrclient") is None:
        pytest.skip("rtrclient (rtr-tools) is not installed")
    f = tmp_path / "vrps.json"
    write_json(f, {"roas": unexpiring(export["roas"])})
    a, b = StayRTR(tmp_path, f), StayRTR(tmp_path, f)
    try:
        wait(lambda: rtrclient_vrps(a.port), "stayrtr A", timeout=30)
        d = daemon(rpki_config(data_dir, f"""  sources:
    - name: caches
      type: rtr
      caches:
        - {{host: 127.0.0.1, port: {a.port}, preference: 1}}
        - {{host: 127.0.0.1, port: {b.port}, preference: 2}}
      refresh: 1
      retry: 1
      expire: 6
"""))
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] >= 1
                   and rv_done(d), "the VRPs over RTR")
        ref = rtrclient_vrps(a.port)
        assert len(ref) > 5000 and our_vrps(d) == ref
        st = d.json("/api/v1/rpki/status")
        assert st["sources"][0]["state"] == "up"
        assert cache_of(st, a.port)["group"] == "in sync"
        assert cache_of(st, a.port)["last_update"] is not None
        rtr_status_text(d, st, (a.port, 1), (b.port, 2))
        # no VRP covers it in the export
        assert {r["rpki"]["rov"] for r in lg_routes(d, "1.0.4.0/24")} == \
            {"not-found"}

        # a new serial
        write_json(f, {"roas": unexpiring(export["roas"]) + [
            {"prefix": "1.0.4.0/24", "maxLength": 24, "asn": 56203}]})
        t0 = time.time()
        d.wait_for(lambda: {r["rpki"]["rov"] for r in lg_routes(
            d, "1.0.4.0/24")} == {"valid"}, "the routes valid", timeout=15)
        took = time.time() - t0
        assert took < 10, took
        ref = rtrclient_vrps(a.port)
        assert ("1.0.4.0/24", 24, 56203) in ref and our_vrps(d) == ref

        # failover
        a.stop()
        d.wait_for(lambda: cache_of(d.json("/api/v1/rpki/status"), b.port)
                   ["group"] == "in sync", "the second cache", timeout=30)
        st = d.json("/api/v1/rpki/status")
        assert st["sources"][0]["state"] == "up"
        assert our_vrps(d) == ref
        # the preferred cache back (a new StayRTR: a new session) takes
        # over again
        old_session = cache_of(st, a.port)["session_id"]
        a = StayRTR(tmp_path, f, a.port)
        d.wait_for(lambda: cache_of(d.json("/api/v1/rpki/status"), a.port)
                   ["group"] == "in sync", "the preferred cache again",
                   timeout=30)
        st = d.json("/api/v1/rpki/status")
        assert cache_of(st, a.port)["session_id"] != old_session
        assert cache_of(st, b.port)["group"] == "closed"
        assert our_vrps(d) == ref
        a.stop()
        d.wait_for(lambda: cache_of(d.json("/api/v1/rpki/status"), b.port)
                   ["group"] == "in sync", "the second cache again",
                   timeout=30)
        # the data was there all along
        assert "rpki source expired" not in d.logtext()
        assert our_vrps(d) == ref

        # both gone: the data expires after 6 s, not before
        b.stop()
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]
                   ["state"] == "degraded", "no cache in sync")
        t0 = time.time()
        assert our_vrps(d) == ref
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]
                   ["state"] == "expired", "the expiry", timeout=15)
        took = time.time() - t0
        assert 4.5 < took < 10, took
        st = d.json("/api/v1/rpki/status")
        assert st["vrps"] == {"ipv4": 0, "ipv6": 0}
        assert "expired" in st["sources"][0]["error"]
        # the source events: up; degraded a moment at each failover (no
        # cache in sync meanwhile); at last degraded, then expired once
        ev = rpki_events(d, "caches")
        moves = [e[:2] for e in ev]
        assert moves[:2] == [("", "starting"), ("starting", "up")], ev
        assert moves[-2:] == [("up", "degraded"), ("degraded", "expired")]
        assert moves.count(("degraded", "expired")) == 1, ev
        assert ev[-2][2] == "no cache in sync: the data is kept until it " \
            "expires"
        assert ev[-1][2] == st["sources"][0]["error"]
        assert {r["rpki"]["rov"] for r in lg_routes(d, "1.0.4.0/24")} == \
            {"not-found"}
        assert 'state="expired"} 0' in d.get("/metrics")[1]
    finally:
        a.stop()
        b.stop()


def rtr_status_text(d, st, *caches):
    """`bgpsentry rpki status` for an RTR source: its line, then a line
    per cache with its preference, state, group, serial and session, as
    the JSON status has them."""
    out = run(d_bin(d), "rpki", "status", "--api",
              f"http://127.0.0.1:{d.port}")
    assert out.returncode == 0, out.stderr
    src = st["sources"][0]
    lines = out.stdout.splitlines()
    assert lines[0].startswith(f"VRPs {st['vrps']['ipv4']} IPv4, "
                               f"{st['vrps']['ipv6']} IPv6; ASPAs 0;")
    assert lines[1].startswith(f"caches               rtr  up        vrps "
                               f"{src['vrps']} aspa-pairs 0  last good ")
    for (port, pref), line in zip(caches, lines[2:]):
        c = cache_of(st, port)
        assert line == f"    cache 127.0.0.1:{port} preference {pref}: " \
            f"{c['state']}, group {c['group']}, serial {c['serial']}, " \
            f"session {c['session_id']}", (line, c)
    assert len(lines) == 2 + len(caches), out.stdout


def test_rtr_cache_back_after_expiry(daemon, data_dir, export, tmp_path):
    """An RTR source whose only cache comes back (with a new session)
    after its data expired is current again."""
    f = tmp_path / "vrps.json"
    write_json(f, {"roas": unexpiring(export["roas"][:300])})
    c = StayRTR(tmp_path, f)
    port = c.port
    try:
        d = daemon(rpki_config(data_dir, f"""  sources:
    - name: caches
      type: rtr
      caches: [{{host: 127.0.0.1, port: {port}}}]
      retry: 1
      expire: 2
"""))
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]
                   ["state"] == "up" and our_vrps(d), "the VRPs")
        n = len(our_vrps(d))
        c.stop()
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]
                   ["state"] == "expired", "the expiry", timeout=15)
        assert our_vrps(d) == set()
        c = StayRTR(tmp_path, f, port)
        d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]
                   ["state"] == "up" and len(our_vrps(d)) == n,
                   "the cache back", timeout=30)
    finally:
        c.stop()


def test_rtr_versions_1_and_0(daemon, data_dir, export, tmp_path):
    """RFC 8210 (version 1) and RFC 6810 (version 0): a cache that speaks
    only version 0 is talked to in it, and gives every VRP rtrclient gets,
    as does one that speaks 1 (each VRP names both sources)."""
    if shutil.which("rtrclient") is None:
        pytest.skip("rtrclient (rtr-tools) is not installed")
    f = tmp_path / "vrps.json"
    write_json(f, {"roas": unexpiring(export["roas"][:2000])})
    v1, v0 = StayRTR(tmp_path, f), StayRTR(tmp_path, f, protocol=0)
    try:
        wait(lambda: rtrclient_vrps(v0.port), "stayrtr v0", timeout=30)
        ref = rtrclient_vrps(v0.port)
        assert len(ref) > 1000
        d = daemon(rpki_config(data_dir, f"""  sources:
    - name: v1
      type: rtr
      caches: [{{host: 127.0.0.1, port: {v1.port}}}]
    - name: v0
      type: rtr
      caches: [{{host: 127.0.0.1, port: {v0.port}}}]
"""))
        d.wait_for(lambda: {s["state"] for s in d.json(
            "/api/v1/rpki/status")["sources"]} == {"up"} and
            len(our_vrps(d)) == len(ref), "the VRPs of both")
        dump = d.json("/api/v1/rpki/vrps")["vrps"]
        assert {(v["prefix"], v["max_length"], v["asn"]) for v in dump} \
            == ref
        assert all(v["sources"] == ["v0", "v1"] or
                   v["sources"] == ["v1", "v0"] for v in dump)
        st = {s["name"]: s for s in d.json("/api/v1/rpki/status")["sources"]}
        assert st["v1"]["caches"][0]["version"] == 1
        assert st["v0"]["caches"][0]["version"] == 0
    finally:
        v1.stop()
        v0.stop()


def test_reload_changes_sources_and_compares_with_the_old_tables(
        daemon, data_dir, export, tmp_path):
    """A reload that adds an RPKI source: the new sources' tables are
    compared with the old ones, so the diff is the second source's VRPs
    alone; the direction changed too: every route is checked."""
    f, g = tmp_path / "a.json", tmp_path / "b.json"
    write_json(f, {"roas": export["roas"]})
    write_json(g, {"roas": [{"prefix": "1.0.4.0/24", "maxLength": 24,
                             "asn": 56203}]})
    one = f"""  sources:
    - {{name: a, type: json, file: {f}}}
"""
    d = daemon(rpki_config(data_dir, one))
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] == 1 and
               rv_done(d), "the VRPs")
    assert {r["rpki"]["rov"] for r in lg_routes(d, "1.0.4.0/24")} == \
        {"not-found"}
    d.write(rpki_config(data_dir, "  aspa: upstream\n" + one + f"""\
    - {{name: b, type: json, file: {g}}}
"""))
    assert d.get("/api/v1/reload", method="POST")[0] == 200
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] == 2,
               "the new tables")
    st = d.json("/api/v1/rpki/status")
    assert [s["name"] for s in st["sources"]] == ["a", "b"]
    assert st["aspa_direction"] == "upstream"
    diff = d.json("/api/v1/rpki/diff")
    assert (diff["vrps"]["added"], diff["vrps"]["removed"]) == (1, 0)
    assert diff["routes"]["walked"] == diff["routes"]["checked"]
    # another procedure: every route checked
    assert diff["routes"]["walked"] == d.json("/api/v1/stats")["routes"]
    assert {r["rpki"]["rov"] for r in lg_routes(d, "1.0.4.0/24")} == \
        {"valid"}
    v = d.json("/api/v1/rpki/validate?prefix=1.0.4.0/24&asn=56203")
    assert v["rov"]["vrps"][0]["sources"] == ["b"]
    assert "RPKI sources restarted" in d.logtext()
    # the source events: the old sources removed, then the new ones
    d.wait_for(lambda: len(rpki_events(d, "a")) == 5 and
               len(rpki_events(d, "b")) == 2, "a and b up again")
    assert rpki_events(d, "a") == [
        ("", "starting", ""), ("starting", "up", ""),
        ("up", "removed", "the rpki configuration changed"),
        ("", "starting", ""), ("starting", "up", "")]
    assert rpki_events(d, "b") == [("", "starting", ""),
                                   ("starting", "up", "")]
    # the procedure alone changes back: the same VRPs, and yet a change
    d.write(rpki_config(data_dir, "  aspa: downstream\n" + one + f"""\
    - {{name: b, type: json, file: {g}}}
"""))
    assert d.get("/api/v1/reload", method="POST")[0] == 200
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] == 3,
               "the tables under the downstream procedure")
    diff = d.json("/api/v1/rpki/diff")
    assert (diff["vrps"]["added"], diff["vrps"]["removed"]) == (0, 0)
    assert diff["routes"]["checked"] == d.json("/api/v1/stats")["routes"]
    doc = {"roas": export["roas"] + [{"prefix": "1.0.4.0/24",
                                      "maxLength": 24, "asn": 56203}]}
    # (the files carry no ASPAs)
    check_vp(d, big_vp(d), Rov(doc["roas"]), {}, downstream=True)


def test_json_source_expires(daemon, data_dir, export, tmp_path):
    """A JSON source whose file goes bad keeps its data (degraded) until
    `expire` seconds with no good refresh, then drops it (expired): every
    route is not-found, its ASPA state that of no ASPAs, the routes that
    changed say so, and the source events too."""
    f = tmp_path / "vrps.json"
    write_json(f, export)
    d = daemon(rpki_config(data_dir, f"""  sources:
    - name: local
      type: json
      file: {f}
      refresh: 1
      expire: 4
"""))
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] >= 1 and
               rv_done(d), "the routes and the VRPs")
    vp = big_vp(d)
    rov = Rov(export["roas"])
    aspas = {a["customer_asid"]: set(a["providers"])
             for a in export["aspas"]}
    before = check_vp(d, vp, rov, aspas)
    assert before.get("valid", 0) > 50, before
    old = {r["prefix"]: r["rpki"] for r in our_table(d, vp["id"])}
    f.write_text('{"roas": [')
    t0 = time.time()
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]["state"]
               == "degraded", "the failure")
    st = d.json("/api/v1/rpki/status")
    assert st["vrps"]["ipv4"] > 5000 and st["aspas"] == 100
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["sources"][0]["state"]
               == "expired", "the expiry", timeout=15)
    took = time.time() - t0
    # the last good refresh was at most a second before the file broke
    assert 2.5 < took < 8, took
    st = d.json("/api/v1/rpki/status")
    assert st["vrps"] == {"ipv4": 0, "ipv6": 0} and st["aspas"] == 0
    # the refreshes still fail: it stays expired, with their error
    time.sleep(2)
    st = d.json("/api/v1/rpki/status")
    assert st["sources"][0]["state"] == "expired", st
    assert "not JSON" in st["sources"][0]["error"], st
    after = check_vp(d, vp, Rov([]), {})
    assert after == {"not-found": sum(before.values())}, after
    v = d.json("/api/v1/rpki/validate?prefix=1.1.1.0/24&asn=13335")
    assert v["rov"] == {"state": "not-found", "reason": None, "vrps": [],
                        "vrps_not_shown": 0}
    # the routes that changed: more than the ring keeps (the oldest
    # dropped, and said), each from its state before to not-found
    ch = d.json("/api/v1/rpki/changes?limit=65536")
    n = ch["last_seq"]
    assert n == d.json("/api/v1/rpki/status")["route_changes"]
    assert n > 65536 and (ch["first_seq"], ch["dropped"]) == \
        (n - 65535, n - 65536)
    assert len(ch["changes"]) == 65536
    assert all(c["rov"]["new"] == "not-found" for c in ch["changes"])
    now = {r["prefix"]: r["rpki"] for r in our_table(d, vp["id"])}
    mine = [c for c in ch["changes"] if c["vp"] == vp["id"]]
    assert len(mine) > 100
    for c in mine:
        assert (c["rov"]["old"], c["aspa"]["old"]) == \
            (old[c["prefix"]]["rov"], old[c["prefix"]]["aspa"]), c
        assert c["aspa"]["new"] == now[c["prefix"]]["aspa"], c
    assert rpki_events(d, "local") == [
        ("", "starting", ""), ("starting", "up", ""),
        ("up", "degraded", st["sources"][0]["error"]),
        ("degraded", "expired", "no good refresh for 4 s: the data expired")]


def test_same_vrp_from_two_sources(daemon, data_dir, tmp_path):
    """Provenance: a VRP two JSON sources give is one VRP naming both, in
    rpki/validate and rpki/vrps; when one source stops giving it, it
    names the other alone, and no route changed state."""
    f, g = tmp_path / "a.json", tmp_path / "b.json"
    shared = {"prefix": "1.0.4.0/24", "maxLength": 24, "asn": 56203}
    write_json(f, {"roas": [shared, {"prefix": "1.1.1.0/24",
                                     "maxLength": 24, "asn": 13335}]})
    write_json(g, {"roas": [shared, {"prefix": "1.0.4.0/22",
                                     "maxLength": 24, "asn": 38803}]})
    d = daemon(rpki_config(data_dir, f"""  sources:
    - {{name: a, type: json, file: {f}, refresh: 1}}
    - {{name: b, type: json, file: {g}, refresh: 1}}
"""))
    d.wait_for(lambda: d.json("/api/v1/rpki/status")["generation"] >= 1 and
               rv_done(d), "the VRPs and the routes")

    def vrps_of(prefix, asn):
        v = d.json(f"/api/v1/rpki/validate?prefix={prefix}&asn={asn}")
        return [(x["prefix"], x["asn"], x["sources"], x["matches"])
                for x in v["rov"]["vrps"]]
    assert vrps_of("1.0.4.0/24", 56203) == [
        ("1.0.4.0/24", 56203, ["a", "b"], True),
        ("1.0.4.0/22", 38803, ["b"], False)]
    assert vrps_of("1.1.1.0/24", 13335) == [("1.1.1.0/24", 13335, ["a"],
                                              True)]
    dump = d.json("/api/v1/rpki/vrps")["vrps"]
    assert {"prefix": "1.0.4.0/24", "max_length": 24, "asn": 56203,
            "sources": ["a", "b"]} in dump and len(dump) == 3
    text = d.get("/api/v1/rpki/vrps?format=text")[1]
    assert "1.0.4.0/24-24 AS56203 a,b\n" in text, text
    states = {r["vp"]["id"]: r["rpki"] for r in lg_routes(d, "1.0.4.0/24")}
    assert {s["rov"] for s in states.values()} == {"valid"}
    changes = d.json("/api/v1/rpki/changes")["last_seq"]
    # b gives it no more: a alone does
    write_json(g, {"roas": [{"prefix": "1.0.4.0/22", "maxLength": 24,
                             "asn": 38803}]})
    d.wait_for(lambda: vrps_of("1.0.4.0/24", 56203)[0][2] == ["a"],
               "the VRP named by a alone")
    assert vrps_of("1.0.4.0/24", 56203) == [
        ("1.0.4.0/24", 56203, ["a"], True),
        ("1.0.4.0/22", 38803, ["b"], False)]
    assert "1.0.4.0/24-24 AS56203 a\n" in \
        d.get("/api/v1/rpki/vrps?format=text")[1]
    assert {r["vp"]["id"]: r["rpki"] for r in lg_routes(d, "1.0.4.0/24")} \
        == states
    assert d.json("/api/v1/rpki/changes")["last_seq"] == changes
