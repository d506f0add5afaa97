"""RIS Live: the client (`type: rislive`) against a local RIS Live server
(python3-websockets, TLS with a self-signed certificate) replaying real
updates, converted from RIS's own MRT files by bgpdump; the recovery from a
dropped connection, a stalled stream and garbage; and the stream server
(/v1/ws) against a Python client and against a second bgpsentry."""
import asyncio
import ipaddress
import json
import shutil
import signal
import socket
import subprocess
import time

import pytest

import rislive_conv
from bgp_peers import free_port, our_table, wait
from rislive_server import RisLiveServer, make_cert
from test_bgp import follows_the_openapi_document
from test_daemon import Daemon, source
from test_rib import RV

websockets = pytest.importorskip("websockets")

RRC15 = "mrt/ris/rrc15.updates.20100227.1600.gz"
SAMPLE = "rislive/libbgpstream.ris-live-stream.json"


@pytest.fixture(scope="module")
def rrc15(data_dir):
    """rrc15's updates as RIS Live messages, with their raw BGP bytes."""
    if shutil.which("bgpdump") is None:
        pytest.skip("bgpdump is not installed")
    return rislive_conv.convert(data_dir / RRC15, host="rrc15", raw=True)


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    return make_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def servers():
    started = []

    def start(*args, **kw):
        s = RisLiveServer(*args, **kw)
        s.start()
        started.append(s)
        return s
    yield start
    for s in started:
        s.stop()


@pytest.fixture
def daemons(bgpsentry, tmp_path):
    started = []

    def start(text, name="d"):
        path = tmp_path / name
        path.mkdir()
        d = Daemon(bgpsentry, path, text)
        started.append(d)
        return d
    yield start
    for d in started:
        if d.log.closed:
            continue            # the test stopped it
        rc, text = d.stop()
        assert rc == 0, f"daemon exited {rc}:\n{text[-3000:]}"


def ris_view(routes):
    """A table as RIS Live can carry it: what a ris_message holds."""
    return {(r["prefix"], r["as_path"], r.get("next_hop"), r.get("origin"),
             tuple(sorted(r["communities"])),
             tuple(sorted(r["large_communities"])), r.get("med"),
             json.dumps(r.get("aggregator"), sort_keys=True)) for r in routes}


def tables(d, src):
    """{(address, asn): table} of the source's VPs that hold routes."""
    out = {(v["address"], v["asn"]): ris_view(our_table(d, v["id"]))
           for v in d.json("/api/v1/vps") if v["source"] == src}
    return {vp: t for vp, t in out.items() if t}


def client(d, name="ris"):
    for c in d.json("/api/v1/rislive"):
        if c["source"] == name:
            return c
    return None


def client_yaml(url, cert=None, *extra):
    lines = ["- name: ris", "  type: rislive", f"  url: {url}",
             *([f"  ca_file: {cert}"] if cert else []),
             *("  " + x for x in extra)]
    return "\n".join("  " + x for x in lines) + "\n"


def mrt_yaml(name, *files):
    return (f"  - name: {name}\n    type: mrt\n"
            f"    files: [{', '.join(map(str, files))}]\n")


def config(sources, extra=""):
    return (f"log: {{level: info}}\napi:\n  listen: 127.0.0.1:PORT\n{extra}"
            f"sources:\n{sources}")


def updates(msgs):
    return [m for m in msgs if m["data"]["type"] == "UPDATE"]


def counts(msgs):
    ann = sum(len(g["prefixes"]) for m in updates(msgs)
              for g in m["data"].get("announcements", []))
    wd = sum(len(m["data"].get("withdrawals", [])) for m in updates(msgs))
    return ann, wd


# --- the client ------------------------------------------------------------

def path_text(path):
    """A RIS Live path as the API writes an AS path: "1 2 {3 4}"."""
    return " ".join("{" + " ".join(map(str, x)) + "}" if isinstance(x, list)
                    else str(x) for x in path)


def json_tables(msgs):
    """What the messages say, applied in order: the table each peer
    should end with, in ris_view's form."""
    out = {}
    for m in msgs:
        d = m["data"]
        t = out.setdefault((d["peer"], int(d["peer_asn"])), {})
        if d["type"] == "RIS_PEER_STATE" and d["state"] != "connected":
            t.clear()
        if d["type"] != "UPDATE":
            continue
        for p in d.get("withdrawals", []):
            t.pop(p, None)
        agg = None
        if "aggregator" in d:
            asn, addr = d["aggregator"].split(":")
            agg = {"asn": int(asn), "address": addr}
        for g in d.get("announcements", []):
            for p in g["prefixes"]:
                t[p] = (p, path_text(d["path"]), g["next_hop"].split(",")[0],
                        d["origin"].upper(),
                        tuple(sorted(f"{a}:{b}" for a, b in
                                     d.get("community", []))),
                        tuple(sorted(":".join(map(str, c)) for c in
                                     d.get("large_community", []))),
                        d.get("med"), json.dumps(agg, sort_keys=True))
    return {vp: set(t.values()) for vp, t in out.items() if t}


def segments(seg, width):
    """AS_PATH segments of width-octet ASNs, or None if they do not fit."""
    asns = []
    while len(seg) >= 2:
        k = seg[1]
        if len(seg) < 2 + width * k:
            return None
        asns += [int.from_bytes(seg[2 + width * i:2 + width * (i + 1)], "big")
                 for i in range(k)]
        seg = seg[2 + width * k:]
    return asns if not seg else None


def raw_as_path(raw):
    """The ASNs of a raw UPDATE's AS_PATH as received (4-octet ones if
    they read so, else 2-octet)."""
    b = bytes.fromhex(raw)
    wlen = int.from_bytes(b[19:21], "big")
    pos = 23 + wlen
    end = pos + int.from_bytes(b[21 + wlen:23 + wlen], "big")
    while pos < end:
        flags, code = b[pos], b[pos + 1]
        n = int.from_bytes(b[pos + 2:pos + 4], "big") if flags & 0x10 \
            else b[pos + 2]
        pos += 4 if flags & 0x10 else 3
        if code == 2:
            return segments(b[pos:pos + n], 4) or segments(b[pos:pos + n], 2)
        pos += n
    return []


def test_client_equals_what_the_messages_say(daemons, servers, tls, rrc15,
                                            data_dir):
    """rrc15's updates through RIS Live JSON over TLS: every RIS peer ends
    with the table the messages give it, and with the MRT source's, but
    for the routes whose AS_PATH holds AS_TRANS next to an AGGREGATOR
    that is not AS_TRANS: bgpdump, which wrote the JSON, merges their
    AS4_PATH, where RFC 6793 4.2.3 says to ignore it (as we do). The raw
    BGP bytes agree with the JSON but for those."""
    srv = servers(rrc15, tls=tls)
    d = daemons(config(mrt_yaml("mrt", data_dir / RRC15) + client_yaml(
        srv.url + "?client=test", tls[0], "include_raw: true")))
    ann, wd = counts(rrc15)
    wait(lambda: srv.done.is_set(), "the server to send everything")
    wait(lambda: source(d, "ris")["announcements"] == ann and
         source(d, "ris")["withdrawals"] == wd, "every route event")
    d.wait_for(lambda: source(d, "mrt")["state"] == "done", "the MRT source")
    want = json_tables(rrc15)
    got = tables(d, "ris")
    assert got.keys() == want.keys() and len(want) >= 5
    for vp in want:
        assert got[vp] == want[vp], vp
    assert sum(map(len, got.values())) > 40000
    mrt = tables(d, "mrt")
    assert mrt.keys() == got.keys()
    differ = set()
    for vp in mrt:
        differ |= {r[0] for r in mrt[vp] ^ got[vp]}
        assert all(" 23456" in r[1] for r in mrt[vp] - got[vp]), vp
    assert differ == {p for m in updates(rrc15) if 23456 in raw_as_path(
        m["data"]["raw"]) and 23456 not in m["data"].get("path", [])
        for g in m["data"]["announcements"] for p in g["prefixes"]}
    c = client(d)
    n = len(updates(rrc15))
    assert c["connection"] == "connected" and c["streaming"]
    assert c["messages"]["UPDATE"] == n
    assert c["messages"]["raw_checked"] == n
    trans = [m for m in updates(rrc15) if 23456 in raw_as_path(
        m["data"]["raw"]) and 23456 not in m["data"].get("path", [])]
    assert c["messages"]["raw_mismatch"] == len(trans) > 0
    assert c["messages"]["malformed"] == 0
    assert c["messages"]["subscribe_ok"] == 1
    assert c["firehose"] and c["gaps_total"] == 0
    # one subscription, everything, raw and acknowledged
    assert len(srv.subscriptions) == 1
    assert srv.subscriptions[0][1]["socketOptions"] == {
        "acknowledge": True, "includeRaw": True}
    assert {v["name"].split()[0] for v in d.json("/api/v1/vps")
            if v["source"] == "ris"} == {"rrc15"}
    follows_the_openapi_document(d, "RisLiveClient", d.json("/api/v1/rislive"))


def test_real_sample_and_raw_disagreement(daemons, servers, tls, data_dir):
    """The real RIS Live sample: each type is counted, the cut-off last
    line is malformed and logged, ris_error is kept, RIS_PEER_STATE takes
    a peer down; a message whose JSON was altered no longer agrees with
    its raw bytes, and that is counted."""
    lines = (data_dir / SAMPLE).read_text().splitlines()
    msgs = []
    for line in lines:
        try:
            msgs.append(json.loads(line))
        except json.JSONDecodeError:
            msgs.append(line)          # sent as it is: not JSON
    update = next(m for m in msgs if isinstance(m, dict) and
                  m["data"].get("type") == "UPDATE")
    altered = json.loads(json.dumps(update))
    altered["data"]["path"][2] = 64512
    altered["data"]["peer"] = "192.0.2.99"
    srv = servers(msgs + [altered], tls=tls)
    d = daemons(config(client_yaml(srv.url, tls[0], "include_raw: true")))
    wait(lambda: srv.done.is_set(), "the sample sent")
    wait(lambda: client(d)["messages"]["total"] == len(msgs) + 2,
         "every message (and the subscription's answer)")
    c = client(d)["messages"]
    assert c["UPDATE"] == 2 and c["OPEN"] >= 1 and c["KEEPALIVE"] >= 1
    assert c["NOTIFICATION"] >= 1 and c["RIS_PEER_STATE"] == 1
    assert c["ris_error"] == 1
    assert client(d)["last_ris_error"] == "this is a test error message"
    assert c["raw_checked"] == 2 and c["raw_mismatch"] == 1
    assert c["malformed"] == 1           # the cut line
    rc, log = d.stop()
    assert rc == 0
    assert "rislive malformed message source=ris" in log
    assert "raw BGP message disagrees with the JSON source=ris host=rrc00 " \
           "peer=192.0.2.99 peer_asn=11708" in log


def test_client_recovers_from_drop_stall_and_garbage(daemons, servers, tls,
                                                     rrc15, data_dir):
    """The server drops the connection, stalls (no message, no pong), then
    sends garbage: each time the client says so, keeps the routes it has
    (stale while the stream is down), reconnects with backoff, subscribes
    again and goes on; at the end every route is there."""
    srv = servers(rrc15, tls=tls, rate=1500)
    d = daemons(config(mrt_yaml("mrt", data_dir / RRC15) + client_yaml(
        srv.url, tls[0], "ping_interval: 1", "silence_timeout: 2",
        "backoff_min: 0.2", "backoff_max: 1")))
    wait(lambda: srv.sent > 1000, "a thousand messages")
    srv.drop_after(0)
    wait(lambda: srv.connections == 2 and len(srv.subscriptions) == 2,
         "a new connection and subscription")
    c = client(d)
    assert c["gaps_total"] == 1 and c["disconnects"] == 1
    assert "connection closed" in c["gaps"][0]["cause"]
    assert c["gaps"][0]["end_us"] is not None
    # a stall: routes kept (stale) while the stream is down. (Paused
    # first, so that no message is in flight when the client gives up on
    # the connection: one would be lost, as with RIS Live itself.)
    wait(lambda: srv.sent > 2500, "more messages")
    srv.pause()
    time.sleep(0.3)
    srv.stall(6)
    routes = source(d, "ris")["routes"]
    wait(lambda: source(d, "ris")["state"] == "down", "the stall noticed",
         timeout=10)
    during = source(d, "ris")
    assert during["routes"] >= routes > 0
    assert during["vps_up"] == 0
    assert {v["state"] for v in d.json("/api/v1/vps")
            if v["source"] == "ris"} == {"stale"}
    assert "no message for" in during["last_error"] or \
           "no pong" in during["last_error"]
    # visibility does not drop to zero because the feed did: the
    # prefix's VPs are stale (unknown now), not "not seeing"
    vp = next(v for v in d.json("/api/v1/vps")
              if v["source"] == "ris" and v["routes_v4"] > 0)
    pfx = our_table(d, vp["id"])[0]["prefix"]
    summary = d.json(f"/api/v1/prefix/{pfx}?source=ris")["prefixes"][0][
        "summary"]
    assert summary["vps_seeing"] == 0 and summary["vps_up"] == 0
    assert summary["vps_stale"] >= 1 and summary["routes"] >= 1
    status, text = d.get(f"/api/v1/prefix/{pfx}?source=ris&format=text")
    assert status == 200 and "stale: feed down)" in text, text
    wait(lambda: len(srv.subscriptions) >= 3 and
         source(d, "ris")["state"] == "up", "back after the stall",
         timeout=20)
    srv.resume_sending()
    # garbage: counted, never fatal
    before = client(d)
    srv.send_garbage(["not json", '{"type":"ris_message","data":',
                      '{"type":"weird_type","data":{}}',
                      '{"type":"ris_message","data":{"type":"UPDATE",'
                      '"host":"rrc15","peer":"not an address"}}',
                      b"\x00\x01binary"])
    wait(lambda: client(d)["messages"]["malformed"] >=
         before["messages"]["malformed"] + 4, "the garbage counted")
    after = client(d)
    assert after["messages"]["unknown_type"] == \
        before["messages"]["unknown_type"] + 1
    assert after["connects"] == before["connects"]
    ann, wd = counts(rrc15)
    wait(lambda: srv.done.is_set(), "everything sent", timeout=60)
    wait(lambda: source(d, "ris")["announcements"] == ann and
         source(d, "ris")["withdrawals"] == wd, "every route event")
    assert tables(d, "ris") == json_tables(rrc15)
    assert {v["state"] for v in d.json("/api/v1/vps")
            if v["source"] == "ris"} == {"up"}
    for p in d.json(f"/api/v1/prefix/{pfx}?source=ris")["prefixes"]:
        assert p["summary"]["vps_stale"] == 0
        assert p["summary"]["vps_seeing"] >= 1
    s = source(d, "ris")
    assert s["state"] == "up" and s["gaps_total"] >= 2
    gaps = client(d)["gaps"]
    assert len(gaps) >= 2 and all(g["end_us"] for g in gaps)
    assert all(g["end_us"] > g["start_us"] for g in gaps)
    # the backoff: at most backoff_max (1 s) plus the stall's own wait
    assert float(gaps[-1]["duration_s"]) < 3.0


def test_collector_silence_degrades(daemons, servers, tls):
    """A collector that was heard and falls silent while another goes on:
    its VPs' routes are kept, stale; the source is degraded; when it is
    heard again, all is current."""
    def msg(host, peer, n, prefix):
        return {"type": "ris_message", "data": {
            "timestamp": 1700000000.0 + n, "peer": peer, "peer_asn": "64500",
            "id": f"{peer}-{n}", "host": host, "type": "UPDATE",
            "path": [64500, 64501], "origin": "IGP",
            "announcements": [{"next_hop": peer, "prefixes": [prefix]}]}}
    msgs = [msg("rrc01", "192.0.2.1", 0, "10.1.0.0/16"),
            msg("rrc02", "192.0.2.2", 0, "10.2.0.0/16")]
    msgs += [msg("rrc01", "192.0.2.1", n, f"10.1.{n % 250}.0/24")
             for n in range(1, 40)]
    msgs += [msg("rrc02", "192.0.2.2", 99, "10.2.1.0/24")]
    srv = servers(msgs, tls=tls, rate=10)
    d = daemons(config(client_yaml(srv.url, tls[0], "collector_silence: 1",
                                   "silence_timeout: 0")))
    wait(lambda: source(d, "ris")["state"] == "degraded",
         "rrc02 silent", timeout=15)
    assert "1 collector silent" in source(d, "ris")["last_error"]
    vps = {v["name"].split()[0]: v for v in d.json("/api/v1/vps")
           if v["source"] == "ris"}
    assert vps["rrc02"]["state"] == "stale" and vps["rrc01"]["state"] == "up"
    assert vps["rrc02"]["routes_v4"] == 1
    silent = [h for h in client(d)["collectors"] if h["silent"]]
    assert [h["host"] for h in silent] == ["rrc02"]
    wait(lambda: srv.done.is_set(), "everything sent", timeout=20)
    wait(lambda: source(d, "ris")["state"] == "up", "rrc02 back")
    vps = {v["name"].split()[0]: v for v in d.json("/api/v1/vps")
           if v["source"] == "ris"}
    assert vps["rrc02"]["state"] == "up" and vps["rrc02"]["routes_v4"] == 2


def ris_update(host, peer, n, prefix, asn="64500"):
    return {"type": "ris_message", "data": {
        "timestamp": 1700000000.0 + n, "peer": peer, "peer_asn": asn,
        "id": f"{peer}-{n}", "host": host, "type": "UPDATE",
        "path": [int(asn), 64501], "origin": "IGP",
        "announcements": [{"next_hop": peer, "prefixes": [prefix]}]}}


def ris_peer_state(host, peer, n, state, asn="64500"):
    return {"type": "ris_message", "data": {
        "timestamp": 1700000000.0 + n, "peer": peer, "peer_asn": asn,
        "id": f"{peer}-s{n}", "host": host, "type": "RIS_PEER_STATE",
        "state": state}}


def test_pongs_do_not_hide_a_stalled_stream(daemons, servers, tls):
    """A server that still answers pings but sends no message (RIS Live's
    front end alive, its stream stopped) is a gap: pongs are no messages;
    the client reconnects, and the routes it had are kept, stale, until
    then."""
    srv = servers([ris_update("rrc01", "192.0.2.1", n, f"10.1.{n}.0/24")
                   for n in range(20)], tls=tls)
    d = daemons(config(client_yaml(srv.url, tls[0], "ping_interval: 1",
                                   "silence_timeout: 3",
                                   "backoff_min: 0.2", "backoff_max: 0.5")))
    wait(lambda: source(d, "ris")["routes"] == 20, "the routes")
    srv.pause()                 # pings and acks still answered
    start = time.time()
    wait(lambda: client(d)["gaps_total"] == 1, "the silence noticed",
         timeout=15)
    took = time.time() - start
    c = client(d)
    assert c["messages"]["pong"] >= 2, c["messages"]
    cause = c["gaps"][0]["cause"]
    assert cause.startswith("no message for "), c["gaps"]
    # silence_timeout after the last message (before the pause), not
    # after the last pong
    assert 3 <= int(cause.split()[3]) < 8 and took < 8, (cause, took)
    # gone to a new connection, subscribed again; the routes kept
    wait(lambda: srv.connections >= 2 and len(srv.subscriptions) >= 2,
         "a new connection")
    assert source(d, "ris")["routes"] == 20


def test_no_pong_drops_the_connection(daemons, servers, tls):
    """A server that streams but never answers a ping: the connection is
    dropped after ping_interval, with that cause, and made again."""
    msgs = [ris_update("rrc01", "192.0.2.1", n, f"10.1.{n % 250}.0/24")
            for n in range(2000)]
    srv = servers(msgs, tls=tls, rate=200)
    srv.answer_pings = False
    d = daemons(config(client_yaml(srv.url, tls[0], "ping_interval: 1",
                                   "silence_timeout: 30",
                                   "backoff_min: 0.2", "backoff_max: 0.5")))
    wait(lambda: client(d)["gaps_total"] >= 1, "the missing pong noticed",
         timeout=10)
    c = client(d)
    assert c["gaps"][0]["cause"] == "no pong in 1 s", c["gaps"]
    assert c["messages"]["pong"] == 0
    assert c["messages"]["UPDATE"] > 0    # it did stream meanwhile
    wait(lambda: srv.connections >= 2, "a new connection")


def test_peer_state_takes_a_vp_down_and_up(daemons, servers, tls):
    """RIS_PEER_STATE down takes that peer's VP down with its routes (the
    other peer's stay); connected takes it up again; both go into the
    /v1/ws-compatible counters and the VP list."""
    srv = servers([ris_update("rrc01", "192.0.2.1", 0, "10.1.0.0/16"),
                   ris_update("rrc01", "192.0.2.1", 1, "10.1.1.0/24"),
                   ris_update("rrc01", "192.0.2.2", 2, "10.2.0.0/16",
                              asn="64502")], tls=tls)
    d = daemons(config(client_yaml(srv.url, tls[0])))

    def vps():
        return {v["address"]: v for v in d.json("/api/v1/vps")
                if v["source"] == "ris"}
    wait(lambda: source(d, "ris")["routes"] == 3, "the routes")
    assert {a: v["state"] for a, v in vps().items()} == \
        {"192.0.2.1": "up", "192.0.2.2": "up"}
    srv.send_garbage([json.dumps(ris_peer_state("rrc01", "192.0.2.1", 3,
                                                "down"))])
    wait(lambda: vps()["192.0.2.1"]["state"] == "down", "the peer down")
    v = vps()
    assert v["192.0.2.1"]["routes_v4"] == 0
    assert v["192.0.2.2"]["state"] == "up" and v["192.0.2.2"]["routes_v4"] == 1
    assert d.json("/api/v1/prefix/10.1.1.0/24")["prefixes"] == []
    assert client(d)["messages"]["RIS_PEER_STATE"] == 1
    srv.send_garbage([json.dumps(ris_peer_state("rrc01", "192.0.2.1", 4,
                                                "connected")),
                      json.dumps(ris_update("rrc01", "192.0.2.1", 5,
                                            "10.1.2.0/24"))])
    wait(lambda: vps()["192.0.2.1"]["state"] == "up" and
         vps()["192.0.2.1"]["routes_v4"] == 1, "the peer up again")
    assert client(d)["messages"]["RIS_PEER_STATE"] == 2
    assert source(d, "ris")["state"] == "up"


def test_subscriptions_and_heartbeat_are_sent(daemons, servers, tls):
    """Monitored prefixes and filters become ris_subscribe messages, with
    the heartbeat's KEEPALIVE subscription; after a drop, all again."""
    srv = servers([], tls=tls)
    d = daemons(config(client_yaml(
        srv.url, tls[0], "prefixes: [192.0.2.0/24, \"2001:db8::/32\"]",
        "less_specific: true", "subscriptions:",
        "  - {host: rrc00, path: \"^174,3356\", require: announcements}",
        "backoff_min: 0.1")))
    wait(lambda: len(srv.subscriptions) == 3, "three subscriptions")
    subs = [s for _, s in srv.subscriptions]
    assert subs[0] == {"prefix": ["192.0.2.0/24", "2001:db8::/32"],
                       "moreSpecific": True, "lessSpecific": True,
                       "socketOptions": {"acknowledge": True,
                                         "includeRaw": False}}
    assert subs[1] == {"host": "rrc00", "require": "announcements",
                       "path": "^174,3356",
                       "socketOptions": {"acknowledge": True,
                                         "includeRaw": False}}
    assert subs[2]["type"] == "KEEPALIVE"
    wait(lambda: client(d)["messages"]["subscribe_ok"] == 3, "the acks")
    srv.drop_after(0)
    wait(lambda: len(srv.subscriptions) == 6, "subscribed again")
    assert [s for _, s in srv.subscriptions[3:]] == subs


def test_monitored_prefixes_are_subscribed(daemons, servers, tls):
    """A rislive source with no prefixes of its own subscribes to the
    monitored ones (the monitor section), with the heartbeat; after a
    reload that changes them, to the new ones."""
    srv = servers([], tls=tls)
    mon = "monitor:\n  prefixes: [192.0.2.0/24, \"2001:db8::/32\"]\n"
    d = daemons(config(client_yaml(srv.url, tls[0], "backoff_min: 0.1"),
                       mon))
    wait(lambda: len(srv.subscriptions) == 2, "two subscriptions")
    subs = [s for _, s in srv.subscriptions]
    assert subs[0] == {"prefix": ["192.0.2.0/24", "2001:db8::/32"],
                       "moreSpecific": True, "lessSpecific": False,
                       "socketOptions": {"acknowledge": True,
                                         "includeRaw": False}}
    assert subs[1]["type"] == "KEEPALIVE"
    c = client(d)
    assert c["firehose"] is False and c["heartbeat"] is True
    reload_with(d, config(client_yaml(srv.url, tls[0], "backoff_min: 0.1"),
                          "monitor:\n  prefixes: [198.51.100.0/24]\n"))
    wait(lambda: len(srv.subscriptions) == 4, "subscribed again")
    assert srv.subscriptions[2][1]["prefix"] == "198.51.100.0/24"


def test_through_a_proxy_and_no_trust_without_the_ca(daemons, servers, tls,
                                                     rrc15, tmp_path):
    """Through an HTTP proxy (tinyproxy, CONNECT), TLS end to end; and a
    client that is not given the server's CA refuses it, says why, and
    keeps trying."""
    proxy = shutil.which("tinyproxy")
    if proxy is None:
        pytest.skip("tinyproxy is not installed")
    port = free_port()
    (tmp_path / "tp.conf").write_text(
        f"Port {port}\nListen 127.0.0.1\nTimeout 60\nLogLevel Connect\n"
        f"LogFile \"{tmp_path}/tp.log\"\nPidFile \"{tmp_path}/tp.pid\"\n"
        "MaxClients 8\nAllow 127.0.0.1\n")
    tp = subprocess.Popen([proxy, "-d", "-c", str(tmp_path / "tp.conf")],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        srv = servers(rrc15, tls=tls)
        d = daemons(config(client_yaml(srv.url, tls[0],
                                       f"proxy: 127.0.0.1:{port}") +
                           "  - name: untrusting\n    type: rislive\n"
                           f"    url: {srv.url}\n    backoff_min: 0.2\n"
                           "    backoff_max: 0.5\n"))
        ann, _ = counts(rrc15)
        wait(lambda: source(d, "ris")["announcements"] == ann,
             "every announcement through the proxy")
        log = (tmp_path / "tp.log").read_text()
        assert f"CONNECT 127.0.0.1:{srv.port}" in log
        wait(lambda: client(d, "untrusting")["failures"] >= 2,
             "the untrusting client to fail twice")
        u = source(d, "untrusting")
        assert u["state"] == "down" and u["announcements"] == 0
        assert "cannot connect" in u["last_error"]
        assert "TLS failed" in u["last_error"]
        assert client(d, "untrusting")["messages"]["total"] == 0
    finally:
        tp.terminate()
        tp.wait()


# --- the stream server (/v1/ws) ----------------------------------------------

def prefix_ok(sub, prefixes):
    want = sub.get("prefix")
    if want is None:
        return True
    want = [want] if isinstance(want, str) else want
    more, less = sub.get("moreSpecific", True), sub.get("lessSpecific", False)
    for p in map(ipaddress.ip_network, prefixes):
        for w in map(ipaddress.ip_network, want):
            if p.version != w.version:
                continue
            if p == w or (more and p.subnet_of(w)) or \
                    (less and w.subnet_of(p)):
                return True
    return False


def path_ok(pattern, path):
    """RIS Live's path patterns, written again for the test."""
    items = [tuple(sorted(x)) if isinstance(x, list) else x for x in path]
    pat = pattern.strip("^$").split(",")
    pat = [int(x) for x in pat]
    k = len(pat)
    hits = [i for i in range(len(items) - k + 1) if items[i:i + k] == pat]
    if pattern.startswith("^"):
        hits = [i for i in hits if i == 0]
    if pattern.endswith("$"):
        hits = [i for i in hits if i + k == len(items)]
    return bool(hits)


def matches(sub, d):
    """Does the data of a ris_message match a subscription? (The test's
    own reading of RIS Live's manual.)"""
    if "type" in sub and d["type"] != sub["type"]:
        return False
    if "host" in sub and d["host"] != sub["host"]:
        return False
    if "peer" in sub and d["peer"] != sub["peer"]:
        return False
    ann = [p for g in d.get("announcements", []) for p in g["prefixes"]]
    wd = d.get("withdrawals", [])
    if {"require", "path", "prefix"} & sub.keys() and d["type"] != "UPDATE":
        return False
    if sub.get("require") == "announcements" and not ann:
        return False
    if sub.get("require") == "withdrawals" and not wd:
        return False
    if "path" in sub and not (ann and path_ok(sub["path"], d["path"])):
        return False
    return prefix_ok(sub, ann + wd)


def key(d):
    """A message, for comparison: what it says, not how it is spelt."""
    return (d["type"], d["peer"], d["peer_asn"], d.get("state"),
            json.dumps(d.get("path")),
            tuple(sorted((g["next_hop"], p) for g in d.get("announcements", [])
                         for p in g["prefixes"])),
            tuple(sorted(d.get("withdrawals", []))),
            tuple(map(tuple, d.get("community", []))), d.get("med"),
            (d.get("origin") or "").upper(), d.get("aggregator"))


async def subscribe_and_collect(port, subs, done, extra=()):
    """One connection per subscription; each collects what it gets until
    done() says the replay has ended and nothing came for a second."""
    url = f"ws://127.0.0.1:{port}/v1/ws/?client=test"
    conns = []
    for sub in subs:
        ws = await websockets.connect(url, compression=None, max_size=None,
                                      close_timeout=1)
        await ws.send(json.dumps({"type": "ris_subscribe", "data": {
            **sub, "socketOptions": {"acknowledge": True,
                                     **sub.get("socketOptions", {})}}}))
        ack = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert ack["type"] == "ris_subscribe_ok", ack
        conns.append(ws)
    for msg in extra:
        await conns[1].send(json.dumps(msg))
    got = [[] for _ in subs]

    async def read(i, ws):
        quiet = 0
        while quiet < 10:
            try:
                m = json.loads(await asyncio.wait_for(ws.recv(), 0.1))
            except asyncio.TimeoutError:
                quiet = quiet + 1 if done() else 0
                continue
            quiet = 0
            got[i].append(m)
    yield_point = asyncio.gather(*(read(i, ws) for i, ws in enumerate(conns)))
    await yield_point
    for ws in conns:
        await ws.close()
    return got


def reload_with(d, text):
    d.write(text)
    d.proc.send_signal(signal.SIGHUP)


def as_we_read_it(d):
    """The converter's message with the AS path RFC 6793 4.2.3 gives
    (AS4_PATH ignored next to a 2-octet AGGREGATOR), where bgpdump
    merged it."""
    raw = raw_as_path(d["raw"])
    if 23456 in raw and 23456 not in d.get("path", []):
        d = dict(d, path=raw)
    return d


def raw_update(hexstr):
    """This test's own reading of a BGP UPDATE (4-octet AS numbers): the
    prefixes announced and withdrawn, and the AS path as RIS Live writes
    it."""
    b = bytes.fromhex(hexstr)
    assert b[:16] == b"\xff" * 16 and int.from_bytes(b[16:18], "big") == \
        len(b) and b[18] == 2, hexstr[:80]

    def prefixes(buf, afi):
        out, i = [], 0
        while i < len(buf):
            n = buf[i]
            size = (n + 7) // 8
            addr = buf[i + 1:i + 1 + size].ljust(4 if afi == 1 else 16,
                                                  b"\0")
            out.append(str(ipaddress.ip_network(
                (ipaddress.ip_address(addr), n))))
            i += 1 + size
        return out
    wlen = int.from_bytes(b[19:21], "big")
    wd = prefixes(b[21:21 + wlen], 1)
    at = 21 + wlen
    alen = int.from_bytes(b[at:at + 2], "big")
    attrs, ann, path = b[at + 2:at + 2 + alen], [], None
    ann += prefixes(b[at + 2 + alen:], 1)
    i = 0
    while i < len(attrs):
        flags, typ = attrs[i], attrs[i + 1]
        if flags & 0x10:
            n, i = int.from_bytes(attrs[i + 2:i + 4], "big"), i + 4
        else:
            n, i = attrs[i + 2], i + 3
        v = attrs[i:i + n]
        i += n
        if typ == 2:
            path, k = [], 0
            while k < len(v):
                t, cnt = v[k], v[k + 1]
                asns = [int.from_bytes(v[k + 2 + 4 * j:k + 6 + 4 * j], "big")
                        for j in range(cnt)]
                path += [asns] if t == 1 else asns
                k += 2 + 4 * cnt
        elif typ == 14:
            afi, nhl = int.from_bytes(v[:2], "big"), v[3]
            ann += prefixes(v[5 + nhl:], afi)
        elif typ == 15:
            wd += prefixes(v[3:], int.from_bytes(v[:2], "big"))
    return sorted(ann), sorted(wd), path


def test_stream_filters(daemons, rrc15, data_dir):
    """Python clients subscribe to bgpsentry's /v1/ws with each filter
    RIS Live has; each receives exactly the messages its filter matches
    among rrc15's UPDATEs (the converter's, matched by the test's own
    reading of the filters), and a peer's state changes; a bad request
    gets ris_error, a ping a pong, an unsubscribed filter nothing."""
    base = config("  []\n")
    d = daemons(base)
    ups = [as_we_read_it(m["data"]) for m in updates(rrc15)]
    peer = ups[10]["peer"]
    mid = next(d_["path"][2] for d_ in ups if len(d_.get("path", [])) > 4)
    first = next(d_["path"][0] for d_ in ups if d_.get("path"))
    origin = next(d_["path"][-1] for d_ in ups
                  if d_.get("path") and isinstance(d_["path"][-1], int))
    pfx = next(g["prefixes"][0] for d_ in ups
               for g in d_.get("announcements", []))
    net = ipaddress.ip_network(pfx)
    wide = str(net.supernet(new_prefix=max(net.prefixlen - 8, 0)))
    subs = [{"type": "UPDATE", "host": "rrc15"},
            {"host": "rrc99"},
            {"type": "UPDATE", "peer": peer},
            {"path": str(mid)},
            {"path": f"^{first}"},
            {"path": f"{origin}$"},
            {"prefix": wide},
            {"prefix": pfx, "moreSpecific": False},
            {"prefix": [pfx], "moreSpecific": False, "lessSpecific": True},
            {"require": "withdrawals"},
            {"require": "announcements", "host": "rrc15"},
            {"type": "RIS_PEER_STATE"},
            {"type": "UPDATE", "socketOptions": {"includeRaw": True}}]
    loop = asyncio.new_event_loop()
    started = []

    def done():
        if not started:
            reload_with(d, config(mrt_yaml("rrc15", data_dir / RRC15)))
            started.append(1)
        s = source(d, "rrc15")
        return s is not None and s["state"] == "done"
    extra = [{"type": "ping"},
             {"type": "ris_subscribe", "data": {"prefix": "nonsense"}},
             {"type": "ris_subscribe", "data": {"colour": "blue"}},
             {"type": "ris_subscribe", "data": {"host": "rrc15"}},
             {"type": "ris_unsubscribe", "data": {"host": "rrc15"}}]
    assert subs[1] == {"host": "rrc99"}     # the one they go to
    got = loop.run_until_complete(subscribe_and_collect(
        d.port, subs, done, extra))
    loop.close()
    # the second connection's answers to the extra requests: a filter
    # added and taken away again left it with none that matches
    assert got[1][0] == {"type": "pong", "data": None}
    assert got[1][1]["type"] == got[1][2]["type"] == "ris_error"
    assert "nonsense" in got[1][1]["data"]["message"]
    assert "colour" in got[1][2]["data"]["message"]
    assert len(got[1]) == 3
    for sub, msgs in zip(subs, got):
        msgs = [m["data"] for m in msgs if m["type"] == "ris_message"]
        if sub.get("type") == "RIS_PEER_STATE":
            vps = {(v["address"], str(v["asn"]))
                   for v in d.json("/api/v1/vps")}
            assert {(m["peer"], m["peer_asn"]) for m in msgs} == vps
            assert {m["state"] for m in msgs} == {"connected"}
            continue
        want = sorted(key(x) for x in ups if matches(sub, x))
        assert sorted(key(x) for x in msgs) == want, sub
        assert all(m["host"] == "rrc15" for m in msgs)
        if sub != {"host": "rrc99"}:
            assert want, sub
        # includeRaw: each UPDATE is also one BGP message saying the same
        assert all(("raw" in m) == ("socketOptions" in sub) for m in msgs)
        for m in msgs if "socketOptions" in sub else []:
            ann, wd, path = raw_update(m["raw"])
            assert ann == sorted(p for g in m.get("announcements", [])
                                 for p in g["prefixes"]), m
            assert wd == sorted(m.get("withdrawals", [])), m
            assert path == (m["path"] if ann else None), m
    assert len(got[0]) == len(ups)
    assert len(got[-1]) == len(ups)


def metric(d, name):
    for line in d.get("/metrics")[1].splitlines():
        if line.startswith(name + " "):
            return int(line.split()[1])
    return None


def test_slow_client_is_closed_and_ingest_goes_on(daemons, data_dir):
    """A client that does not read is sent a last ris_error and closed
    once its queue (1 MB here) is full; meanwhile another client gets
    every message, and the replay goes on at its pace."""
    queue = "  stream_queue_kb: 1024\n"
    d = daemons(config("  []\n", queue))
    looped = mrt_yaml("rrc15", data_dir / RRC15) + \
        "    speed: 300\n    loop: true\n"

    async def drain(slow):
        """The slow client reads at last: what it was sent, the error,
        the close."""
        last = []
        try:
            while True:
                last.append(json.loads(await asyncio.wait_for(slow.recv(),
                                                              10)))
        except websockets.exceptions.ConnectionClosed as e:
            return last, e.rcvd.code if e.rcvd else None

    async def run():
        url = f"ws://127.0.0.1:{d.port}/v1/ws/"
        # no pings of its own: a client that does not read would time
        # them out and close first. Its kernel buffer is kept small: with
        # the machine's autotuning (tcp_rmem's maximum is 32 MB or more on
        # some) the kernel would take in tens of MB "read" for the client
        # before the daemon's queue ever filled.
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        s.connect(("127.0.0.1", d.port))
        s.setblocking(False)
        slow = await websockets.connect(url, sock=s, compression=None,
                                        max_queue=1, close_timeout=1,
                                        ping_interval=None)
        fast = await websockets.connect(url, compression=None, max_size=None,
                                        close_timeout=1)
        for ws in (slow, fast):
            await ws.send(json.dumps({"type": "ris_subscribe", "data": {}}))
        await asyncio.sleep(0.3)
        reload_with(d, config(looped, queue))
        n, events_at_close, stopped, checked = 0, None, False, time.time()
        drained, deadline = None, time.time() + 120
        while time.time() < deadline:
            try:
                m = json.loads(await asyncio.wait_for(fast.recv(), 2))
                assert m["type"] == "ris_message", m
                n += 1
            except asyncio.TimeoutError:
                # quiet: the end once the replay is stopped; before, a
                # busy machine (the deadline says when to give up)
                if stopped:
                    break
            if time.time() - checked < 0.5:
                continue
            checked = time.time()
            if events_at_close is None and metric(
                    d, "bgpsentry_stream_clients_closed_slow_total") == 1:
                events_at_close = source(d, "rrc15")["events"]
                drained = asyncio.ensure_future(drain(slow))
            if events_at_close is not None and not stopped and \
                    source(d, "rrc15")["events"] > events_at_close + 20000:
                reload_with(d, config("  []\n", queue))   # the end
                stopped = True
        if not stopped:
            reload_with(d, config("  []\n", queue))
        last, code = await drained if drained else ([], None)
        await fast.close()
        return n, last, code, stopped, events_at_close
    loop = asyncio.new_event_loop()
    n, last, code, stopped, closed_at = loop.run_until_complete(run())
    loop.close()
    assert closed_at is not None, "the slow client was never closed: " + \
        " ".join(l for l in d.get("/metrics")[1].splitlines()
                 if l.startswith("bgpsentry_stream"))
    assert stopped, "ingest did not go on after the slow client's close"
    assert n == metric(d, "bgpsentry_stream_messages_total{stage=\"published\"}")
    assert n > 10000
    assert last[-1]["type"] == "ris_error"
    assert "too slow" in last[-1]["data"]["message"]
    assert all(m["type"] == "ris_message" for m in last[:-1])
    assert 0 < len(last) - 1 < n
    assert code == 1008
    assert metric(d, "bgpsentry_stream_clients_closed_slow_total") == 1
    assert metric(d, "bgpsentry_stream_clients") == 0


def test_chain_bgpsentry_to_bgpsentry(daemons, data_dir):
    """bgpsentry A replays a RIB dump and updates and serves /v1/ws;
    bgpsentry B consumes it as a RIS Live source, with the raw messages:
    B ends with A's tables, VP by VP, and each raw message agrees with
    its JSON."""
    a = daemons(config("  []\n", "  stream_queue_kb: 1048576\n"), "a")
    b = daemons(config(client_yaml(f"ws://127.0.0.1:{a.port}/v1/ws/",
                                   None, "silence_timeout: 0",
                                   "include_raw: true")), "b")
    wait(lambda: "bgpsentry_stream_clients 1" in a.get("/metrics")[1],
         "B connected to A")
    wait(lambda: client(b, "ris")["streaming"], "B subscribed")
    t = time.time()
    reload_with(a, config(mrt_yaml("rv", data_dir / RV, data_dir / RRC15),
                          "  stream_queue_kb: 1048576\n"))
    a.wait_for(lambda: source(a, "rv") is not None and
               source(a, "rv")["state"] == "done", "A's replay", timeout=120)
    want = source(a, "rv")
    wait(lambda: source(b, "ris")["announcements"] == want["announcements"]
         and source(b, "ris")["withdrawals"] == want["withdrawals"],
         "B to have every event", timeout=120)
    took = time.time() - t
    ta, tb = tables(a, "rv"), tables(b, "ris")
    assert ta.keys() == tb.keys() and len(ta) >= 40
    for vp in ta:
        assert tb[vp] == ta[vp], vp
    assert source(b, "ris")["routes"] == want["routes"] > 200000
    c = client(b, "ris")["messages"]
    assert c["malformed"] == 0
    # every UPDATE came with its raw BGP message too, and they agree
    assert c["raw_checked"] == c["UPDATE"] > 200000
    assert c["raw_mismatch"] == 0
    print(f"chain: {want['announcements']} announcements in {took:.1f} s")
