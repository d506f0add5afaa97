"""The BMP decoder (`bgpsentry bmp dump`) against tshark's BMP dissector
on real captures (lab routers: Huawei Loc-RIB, Cisco RD instances and
peer downs, the traffic-reproducer samples), and on hostile streams."""
import json
import shutil
import signal
import subprocess
import time

import pytest

from bgp_peers import GoBGP, free_port, wait
from conftest import run
from test_bgp import Replay, follows_the_openapi_document, vp_table
from test_daemon import Daemon, source
from test_rib import RV

TSHARK = shutil.which("tshark")
PCAPS = ["bmp/pmacct/200-BMP-HUAWEI-locrib_instance.traffic-00.pcap",
         "bmp/pmacct/201-BMP-CISCO-rd_instance.traffic-00.pcap",
         "bmp/pmacct/204-BMP-CISCO-peer_down.traffic-00.pcap",
         "bmp/traffic-reproducer/bmp-traffic.pcap",
         "bmp/traffic-reproducer/bmp.pcap"]
TYPES = {"route-monitoring": 0, "statistics": 1, "peer-down": 2,
         "peer-up": 3, "initiation": 4, "termination": 5,
         "route-mirroring": 6}
PEER_TYPES = {"global": 0, "rd": 1, "local": 2, "loc-rib": 3}
FIELDS = ["bmp.type", "bmp.peer.type", "bmp.peer.flags", "bmp.peer.asn",
          "bmp.peer.id", "bmp.peer.ip.addr", "bmp.peer.ipv6.addr",
          "bmp.stats.count", "bmp.peer.down.reason",
          "bmp.stats.data.routes_adj_rib_in", "bmp.peer.up.port.local"]


def tshark(*args):
    r = subprocess.run([TSHARK, *args], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout


def streams(pcap, port=1790):
    """The bytes each router sent to its station (port 1790), by TCP
    stream."""
    out = {}
    for line in tshark("-r", str(pcap), "-Y", f"tcp.dstport=={port} && "
                       "tcp.len>0", "-T", "fields", "-e", "tcp.stream",
                       "-e", "tcp.payload").splitlines():
        s, payload = line.split("\t")
        out[int(s)] = out.get(int(s), b"") + bytes.fromhex(payload)
    return out


def dissected(pcap, stream, port=1790):
    """tshark's fields of every BMP message of the stream, in order: a
    list per field."""
    cols = {f: [] for f in FIELDS}
    for line in tshark("-r", str(pcap), "-d", f"tcp.port=={port},bmp", "-Y",
                       f"tcp.stream=={stream}", "-T", "fields", "-E",
                       "separator=/t", *sum([["-e", f] for f in FIELDS],
                                            [])).splitlines():
        for f, v in zip(FIELDS, line.split("\t")):
            cols[f] += [x for x in v.split(",") if x]
    return cols


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")
@pytest.mark.parametrize("pcap", PCAPS)
def test_bmp_dump_agrees_with_tshark(bgpsentry, data_dir, tmp_path, pcap):
    total = 0
    for n, data in streams(data_dir / pcap).items():
        f = tmp_path / f"stream{n}.bmp"
        f.write_bytes(data)
        r = run(bgpsentry, "bmp", "dump", str(f))
        ours = [json.loads(x) for x in r.stdout.splitlines()]
        assert not any("error" in m for m in ours)
        if pcap.endswith("bmp-traffic.pcap"):
            # the capture ends inside a message: said, and the rest read
            assert r.returncode == 1
            assert "ends inside a message" in r.stderr
        else:
            assert r.returncode == 0, r.stderr
        t = dissected(data_dir / pcap, n)
        peers = [m["peer"] for m in ours if "peer" in m]
        assert [TYPES.get(m["type"], m["type"]) for m in ours] == \
            [int(x) for x in t["bmp.type"]]
        assert [PEER_TYPES[p["type"]] for p in peers] == \
            [int(x) for x in t["bmp.peer.type"]]
        assert [p["flags"] for p in peers] == \
            [int(x, 16) for x in t["bmp.peer.flags"]]
        assert [p["asn"] for p in peers] == \
            [int(x) for x in t["bmp.peer.asn"]]
        assert [p["bgp_id"] for p in peers] == t["bmp.peer.id"]
        # a Loc-RIB peer has no address (RFC 9069 4.1, zero-filled; its
        # 0x80 flag is F, not V): tshark still reads 0x80 as V and shows
        # "::" then, else 0.0.0.0
        v4, v6 = [], []
        for p in peers:
            if p["type"] == "loc-rib":
                assert p["address"] == "0.0.0.0"
                (v6 if p["flags"] & 0x80 else v4).append(
                    "::" if p["flags"] & 0x80 else "0.0.0.0")
            else:
                (v6 if ":" in p["address"] else v4).append(p["address"])
        assert v4 == t["bmp.peer.ip.addr"]
        assert v6 == t["bmp.peer.ipv6.addr"]
        stats = [m["stats"] for m in ours if m["type"] == "statistics"]
        assert [len(s) for s in stats] == \
            [int(x) for x in t["bmp.stats.count"]]
        assert [x["value"] for s in stats for x in s if x["type"] == 7] == \
            [int(x) for x in t["bmp.stats.data.routes_adj_rib_in"]]
        assert [m["reason"] for m in ours if m["type"] == "peer-down"] == \
            [int(x) for x in t["bmp.peer.down.reason"]]
        assert [m["local_port"] for m in ours if m["type"] == "peer-up"] == \
            [int(x) for x in t["bmp.peer.up.port.local"]]
        total += len(ours)
    want = {"200-": 103, "201-": 336, "204-": 343, "bmp-traffic": 107,
            "bmp.pcap": 336}
    assert total == [v for k, v in want.items() if k in pcap][0]


def test_hostile_bmp_streams(bgpsentry, tmp_path):
    init = bytes.fromhex("030000000e04" "00020004") + b"rtr1"
    # a peer up with one OPEN only; a route monitoring whose UPDATE runs
    # past the message; a statistics report that claims 1000 entries
    hdr = bytes(42)
    bad_up = bytes([3]) + (6 + 42 + 20 + 19).to_bytes(4, "big") + b"\x03" + \
        hdr + bytes(20) + b"\xff" * 16 + (29).to_bytes(2, "big") + b"\x01"
    upd = b"\xff" * 16 + (40).to_bytes(2, "big") + b"\x02" + bytes(4)
    bad_rm = bytes([3]) + (6 + 42 + len(upd)).to_bytes(4, "big") + \
        b"\x00" + hdr + upd
    bad_st = bytes([3]) + (6 + 42 + 4).to_bytes(4, "big") + b"\x01" + \
        hdr + (1000).to_bytes(4, "big")
    f = tmp_path / "bad.bmp"
    f.write_bytes(init + bad_up + bad_rm + bad_st + init +
                  b"\x02\x00\x00\x00\x06\x04")    # version 2: stop
    r = run(bgpsentry, "bmp", "dump", str(f))
    assert r.returncode == 1
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [m.get("type") for m in lines] == ["initiation", 3, 0, 1,
                                              "initiation"]
    assert "two OPENs" in lines[1]["error"]
    assert "exactly one BGP UPDATE" in lines[2]["error"]
    assert "statistics report" in lines[3]["error"]
    assert lines[4]["tlvs"] == [{"type": 2, "text": "rtr1"}]
    assert "not BMP version 3" in r.stderr
    assert f"byte offset {len(init) * 2 + len(bad_up + bad_rm + bad_st)}" \
        in r.stderr


def station_config(station, routers, *extra, level="info", before=""):
    """A daemon's configuration with one bmp source named station (and
    the sources in before ahead of it)."""
    lines = [f"listen: 127.0.0.1:{station}", f"routers: [{routers}]", *extra]
    return (f"log: {{level: {level}}}\napi:\n  listen: 127.0.0.1:PORT\n"
            f"sources:\n{before}  - name: station\n    type: bmp\n" +
            "".join(f"    {x}\n" for x in lines))


GOBGP_BMP = """
[global.config]
  as = 65001
  router-id = "10.0.0.1"
  port = {port}
  local-address-list = ["127.0.0.1"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.10"
    peer-as = 65010
  [neighbors.timers.config]
    idle-hold-time-after-reset = 1
  [neighbors.transport.config]
    passive-mode = true
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.11"
    peer-as = 65010
  [neighbors.timers.config]
    idle-hold-time-after-reset = 1
  [neighbors.transport.config]
    passive-mode = true
[[bmp-servers]]
  [bmp-servers.config]
    address = "127.0.0.1"
    port = {station}
    route-monitoring-policy = "all"
[global.apply-policy.config]
  import-policy-list = ["drop1"]
  default-import-policy = "accept-route"
[[defined-sets.prefix-sets]]
  prefix-set-name = "one"
  [[defined-sets.prefix-sets.prefix-list]]
    ip-prefix = "1.0.0.0/8"
    masklength-range = "8..32"
[[policy-definitions]]
  name = "drop1"
  [[policy-definitions.statements]]
    name = "s1"
    [policy-definitions.statements.conditions.match-prefix-set]
      prefix-set = "one"
    [policy-definitions.statements.actions]
      route-disposition = "reject-route"
"""


def gobgp_prefixes(g, *args):
    r = g.run(*args, "-a", "ipv4", "-j")
    text = r.stdout.strip()
    return set(json.loads(text)) if text and text != "null" else set()


def replay_into(bgpsentry, g, files, port):
    """The injector into gobgpd, once gobgpd takes the sessions. gobgpd
    refuses a connection while the neighbor is idle (as it starts, and
    for its idle hold time after a Cease); if one of the two sessions is
    refused, the replay ends and its Cease idles the other, so each try
    waits for both neighbors to be active (waiting to be connected)."""
    def active():
        r = g.run("neighbor", "-j", check=False)
        return r.returncode == 0 and all(
            n.get("state", {}).get("session_state") == 3  # ACTIVE
            for n in json.loads(r.stdout))
    tries = []
    for _ in range(10):
        wait(active, "gobgpd's neighbors to be active")
        r = Replay(bgpsentry, files, port, "--peers", "2", "--local-as",
                   "65010")
        wait(lambda: any(x.startswith(("sent:", "bgpsentry replay: "
                                        "session"))
                         for x in r.lines) or r.proc.poll() is not None,
             "the replay")
        if any(x.startswith("sent:") for x in r.lines):
            return r
        r.stop()
        tries.append(r.lines)
        time.sleep(1)
    g.log.flush()
    pytest.fail("gobgpd never took the injector's sessions: %s\n%s" % (
        tries[-3:], open(g.log.name).read()[-4000:]))


def test_station_with_gobgp(bgpsentry, tmp_path, data_dir):
    """gobgpd reports over BMP the routes `bgpsentry replay` sends it:
    our pre-policy table equals its Adj-RIB-In, post-policy lacks what
    its import policy rejects, Loc-RIB equals its RIB; a peer that goes
    is a peer down, a router that dies leaves its routes stale for
    stale_time."""
    station, port = free_port(), free_port()
    d = Daemon(bgpsentry, tmp_path, station_config(
        station, "127.0.0.0/8", "stale_time: 3"))
    g = r = None
    try:
        g = GoBGP.with_config(tmp_path, GOBGP_BMP.format(port=port,
                                                          station=station))
        r = replay_into(bgpsentry, g, [data_dir / RV], port)
        adj_in = wait(lambda: len(gobgp_prefixes(
            g, "neighbor", "127.0.0.11", "adj-in")) > 8000 and
            gobgp_prefixes(g, "neighbor", "127.0.0.11", "adj-in"),
            "gobgpd's Adj-RIB-In")
        kept = {p for p in adj_in if not p.startswith("1.")}
        assert 0 < len(kept) < len(adj_in)

        def tables():
            out = {}
            for v in d.json("/api/v1/vps"):
                if v["source"] == "station":
                    out[(v["address"], v["table"])] = v
            return out

        def prefixes(v):
            return {x[0] for x in vp_table(d, v["id"])}
        wait(lambda: ("127.0.0.11", "adj-rib-in-pre") in tables() and
             prefixes(tables()[("127.0.0.11", "adj-rib-in-pre")]) == adj_in,
             "pre-policy to equal gobgpd's Adj-RIB-In")
        t = tables()
        wait(lambda: prefixes(t[("127.0.0.11", "adj-rib-in-post")]) == kept,
             "post-policy without the rejected routes")
        loc = [v for (a, k), v in t.items() if k == "loc-rib"]
        assert len(loc) == 1
        wait(lambda: prefixes(loc[0]) == gobgp_prefixes(g, "global", "rib"),
             "Loc-RIB to equal gobgpd's RIB")
        routers = d.json("/api/v1/bmp")
        follows_the_openapi_document(d, "BmpRouter", routers)
        assert routers[0]["sys_name"] == "GoBGP"
        assert routers[0]["state"] == "up"
        text = run(bgpsentry, "bmp", "--api",
                   f"http://127.0.0.1:{d.port}").stdout
        assert "adj-rib-in-pre 8348" in text, text
        # the peer goes (Cease from the injector): peer down, no routes
        assert r.stop() == 0
        wait(lambda: all(v["routes_v4"] == 0 and v["state"] == "down"
                         for (a, k), v in tables().items()
                         if a == "127.0.0.11"), "the peer down")
        # the routes come back; then the router dies: stale, then gone
        r = replay_into(bgpsentry, g, [data_dir / RV], port)
        wait(lambda: tables()[("127.0.0.11", "adj-rib-in-pre")]
             ["routes_v4"] == len(adj_in), "the routes again")
        g.proc.kill()
        g.proc.wait()
        g.log.close()
        g = None
        wait(lambda: tables()[("127.0.0.11", "adj-rib-in-pre")]["state"] ==
             "stale", "stale routes")
        assert tables()[("127.0.0.11", "adj-rib-in-pre")]["routes_v4"] == \
            len(adj_in)
        wait(lambda: tables()[("127.0.0.11", "adj-rib-in-pre")]
             ["routes_v4"] == 0, "the stale time to end", timeout=15)
    finally:
        if r is not None:
            r.stop()
        if g is not None:
            g.stop()
        rc, text = d.stop()
        assert rc == 0, text[-3000:]


def test_replay_bmp_equals_the_mrt_source(bgpsentry, tmp_path, data_dir):
    """The same RIB dump through an MRT source and through `bgpsentry
    replay --bmp` as a router's pre-policy tables: every peer's table is
    the same; the station's capture, replayed as it is, gives the same
    routes again."""
    station = free_port()
    cap = tmp_path / "capture"
    cap.mkdir()
    d = Daemon(bgpsentry, tmp_path, station_config(
        station, "127.0.0.10", f"capture: {cap}", level="warn",
        before=f"  - name: mrt\n    type: mrt\n"
               f"    files: [{data_dir / RV}]\n"))
    d.wait_for(lambda: source(d, "mrt")["state"] in ("done", "degraded"),
               "the MRT source")
    want = source(d, "mrt")["routes"]
    rep = subprocess.Popen([bgpsentry, "replay", str(data_dir / RV),
                            "--bmp", f"127.0.0.1:{station}"],
                           stdout=subprocess.PIPE, text=True)
    try:
        peers, said = [], ""
        for line in rep.stdout:
            said += line
            if line.startswith("monitored peer:"):
                f = line.split()
                peers.append((f[4], int(f[5][2:])))
            if line.startswith("sent:"):
                break
        assert "station: from 127.0.0.10" in said
        assert "skipped: MRT peer 134.222.87.1 has AS 0" in said
        assert len(peers) == 46
        wait(lambda: source(d, "station")["routes"] == want,
             "every route through BMP")
        vps = {(v["source"], v["address"], v["asn"]): v
               for v in d.json("/api/v1/vps")}
        compared = 0
        for addr, asn in peers:
            mine = vps[("station", addr, asn)]
            assert mine["table"] == "adj-rib-in-pre"
            a = vp_table(d, mine["id"])
            assert a == vp_table(d, vps[("mrt", addr, asn)]["id"]), addr
            compared += len(a)
        assert compared == want
    finally:
        rep.kill()
        rep.wait()
    # the router went: its routes too; the capture gives them back
    wait(lambda: source(d, "station")["routes"] == 0, "the routes to go")
    files = list(cap.glob("127.0.0.10-*.bmp"))
    assert files
    back = subprocess.Popen([bgpsentry, "replay", *map(str, files), "--bmp",
                             f"127.0.0.1:{station}"],
                            stdout=subprocess.PIPE, text=True)
    try:
        wait(lambda: source(d, "station")["routes"] == want,
             "the capture replayed")
        assert source(d, "station")["malformed"] == 0
    finally:
        back.kill()
        back.wait()
        rc, text = d.stop()
        assert rc == 0, text[-3000:]


def bmp(t, body):
    return bytes([3]) + (6 + len(body)).to_bytes(4, "big") + bytes([t]) + body


def peer_hdr(addr, asn, flags=0):
    import ipaddress
    return bytes([0, flags]) + bytes(8) + bytes(12) + \
        ipaddress.IPv4Address(addr).packed + asn.to_bytes(4, "big") + \
        ipaddress.IPv4Address(addr).packed + bytes(8)


def test_station_hostile_routers(bgpsentry, tmp_path):
    """Route monitoring before a peer up is taken and counted; a message
    that does not parse is counted and the next one read; a stream that
    cannot be framed closes that router's connection; other routers are
    untouched; a router not allowed is refused."""
    import socket
    from bgp_peers import nlri, open_msg, path_attrs, update
    station = free_port()
    d = Daemon(bgpsentry, tmp_path, station_config(
        station, "127.0.0.20, 127.0.0.21"))
    socks = []
    try:
        def router(addr):
            s = socket.create_connection(("127.0.0.1", station), timeout=5,
                                         source_address=(addr, 0))
            socks.append(s)
            return s

        init = bmp(4, (2).to_bytes(2, "big") + (2).to_bytes(2, "big") +
                   b"r1")
        up = bmp(3, peer_hdr("192.0.2.1", 65001) + bytes(16) +
                 (179).to_bytes(2, "big") + (1179).to_bytes(2, "big") +
                 open_msg(65000, "10.0.0.1") + open_msg(65001, "192.0.2.1"))
        rm = bmp(0, peer_hdr("192.0.2.1", 65001) + update(
            attrs=path_attrs([65001, 64500]),
            nlri_bytes=nlri(["198.51.100.0/24", "203.0.113.0/24"])))
        # a Loc-RIB instance (RFC 9069) naming its table
        loc = bytes([3, 0x80]) + bytes(8 + 16) + (65000).to_bytes(4, "big") \
            + bytes(4 + 8)
        loc_up = bmp(3, loc + bytes(20) + open_msg(65000, "10.0.0.1") +
                     open_msg(65000, "10.0.0.1") + (3).to_bytes(2, "big") +
                     (4).to_bytes(2, "big") + b"blue")
        loc_rm = bmp(0, loc + update(attrs=path_attrs([65001]),
                                     nlri_bytes=nlri(["192.0.2.128/25"])))
        a = router("127.0.0.20")
        a.sendall(init + up + rm + loc_up + loc_rm)
        b = router("127.0.0.21")
        rm_b = bmp(0, peer_hdr("192.0.2.2", 65002) + update(
            attrs=path_attrs([65002]), nlri_bytes=nlri(["192.0.2.0/24"])))
        bad_up = bmp(3, peer_hdr("192.0.2.2", 65002) + bytes(20) +
                     open_msg(65000, "10.0.0.1"))    # one OPEN only
        b.sendall(init + rm_b + bad_up)

        def routers():
            return {r["address"]: r for r in d.json("/api/v1/bmp")}
        wait(lambda: len(routers()) == 2 and
             routers()["127.0.0.21"]["errors"] == 2 and
             source(d, "station")["routes"] == 4, "both routers' routes")
        locs = [p for p in routers()["127.0.0.20"]["peers"]
                if p["type"] == "loc-rib"]
        assert locs[0]["table_name"] == "blue"
        assert locs[0]["tables"][0]["table"] == "loc-rib"
        assert any(v["name"] == "r1 loc-rib blue" for v in
                   d.json("/api/v1/vps"))
        assert "before the peer's peer up" in d.logtext()
        assert "two OPENs" in d.logtext()
        assert routers()["127.0.0.21"]["state"] == "up"
        # a wrong version: nothing after it can be framed; B goes
        b.sendall(bytes([2, 0, 0, 0, 6, 4]))
        wait(lambda: routers()["127.0.0.21"]["state"] == "down",
             "B's connection closed")
        assert "not BMP version 3" in routers()["127.0.0.21"]["last_error"]
        assert b.recv(16) == b""                  # closed by the station
        # A is untouched
        assert routers()["127.0.0.20"]["state"] == "up"
        assert routers()["127.0.0.20"]["errors"] == 0
        wait(lambda: source(d, "station")["routes"] == 3, "A's routes only")
        # a router not allowed
        c = router("127.0.0.30")
        c.settimeout(5)
        assert c.recv(16) == b""
        assert "bmp connection refused source=station router=127.0.0.30" \
            in d.logtext()
    finally:
        for s in socks:
            s.close()
        rc, text = d.stop()
        assert rc == 0, text[-3000:]


FRR_BMP = """hostname frr-bmp
log stdout informational
ip prefix-list ONE seq 5 permit 1.0.0.0/8 le 32
route-map IN deny 10
 match ip address prefix-list ONE
exit
route-map IN permit 20
exit
router bgp 65001
 bgp router-id 10.0.0.1
 no bgp ebgp-requires-policy
 neighbor 127.0.0.10 remote-as 65010
 neighbor 127.0.0.11 remote-as 65010
 neighbor 127.0.0.10 passive
 neighbor 127.0.0.11 passive
 address-family ipv4 unicast
  neighbor 127.0.0.10 soft-reconfiguration inbound
  neighbor 127.0.0.11 soft-reconfiguration inbound
  neighbor 127.0.0.10 route-map IN in
  neighbor 127.0.0.11 route-map IN in
 exit-address-family
 bmp targets collector
  bmp monitor ipv4 unicast pre-policy
  bmp monitor ipv4 unicast post-policy
  bmp stats interval 1000
  bmp connect 127.0.0.1 port {station} min-retry 100 max-retry 200
 exit
"""


def test_station_with_frr(bgpsentry, tmp_path, data_dir):
    """FRR's bmp module reports the routes `bgpsentry replay` sends it:
    the post-policy table equals FRR's accepted routes for the peer; its
    route monitoring leaves out the path ids its OPENs negotiated, which
    the station notices; FRR's statistics arrive per peer."""
    from bgp_peers import FRR
    station, port = free_port(), free_port()
    d = Daemon(bgpsentry, tmp_path, station_config(station, "127.0.0.1"))
    f = r = None
    try:
        f = FRR(tmp_path, FRR_BMP.format(station=station), "127.0.0.1",
                port, modules=["bmp"])
        r = Replay(bgpsentry, [data_dir / RV], port, "--peers", "2",
                   "--local-as", "65010")
        r.sent()

        def accepted():
            ans = f.json("show bgp ipv4 unicast neighbors 127.0.0.11 "
                         "routes json")
            return set(ans.get("routes", {}))
        want = wait(lambda: len(accepted()) > 6000 and accepted(),
                    "FRR to accept the routes")
        got = wait(lambda: [v for v in d.json("/api/v1/vps") if
                            v["address"] == "127.0.0.11" and
                            v["table"] == "adj-rib-in-post"],
                   "the post-policy VP")[0]
        wait(lambda: {x[0] for x in vp_table(d, got["id"])} == want,
             "post-policy to equal FRR's accepted routes")
        assert "route monitoring leaves out them" in d.logtext()
        routers = d.json("/api/v1/bmp")
        assert routers[0]["sys_name"] == "frr-bmp"
        wait(lambda: any(s["type"] == 0 for p in d.json("/api/v1/bmp")[0][
            "peers"] if p["address"] == "127.0.0.11" for s in p["stats"]),
            "FRR's statistics")
        peer = [p for p in d.json("/api/v1/bmp")[0]["peers"]
                if p["address"] == "127.0.0.11"][0]
        rejected = [s["value"] for s in peer["stats"] if s["type"] == 0][0]
        filtered = 8348 - len(want)
        assert rejected >= filtered > 0
    finally:
        if r is not None:
            r.stop()
        if f is not None:
            f.stop()
        rc, text = d.stop()
        assert rc == 0, text[-3000:]


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")
def test_live_capture_agrees_with_tshark(bgpsentry, tmp_path, data_dir):
    """A BMP session on loopback (`replay --bmp` of a real update file
    into a station), captured by tshark on the port: its dissector and
    our decoding of the station's own capture agree message by message."""
    station = free_port()
    cap = tmp_path / "capture"
    cap.mkdir()
    pcap = tmp_path / "live.pcap"
    d = Daemon(bgpsentry, tmp_path, station_config(
        station, "127.0.0.10", f"capture: {cap}", level="warn"))
    ts = subprocess.Popen([TSHARK, "-i", "lo", "-f", f"tcp port {station}",
                           "-w", str(pcap)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "Capturing on" not in line:
            line = ts.stderr.readline()
            assert line, "tshark did not start capturing"
        time.sleep(2)       # it says so a moment before it captures
        r = run(bgpsentry, "replay", str(data_dir / "mrt/ris/"
                "rrc06.updates.1427846400.gz"), "--bmp",
                f"127.0.0.1:{station}", "--exit")
        assert r.returncode == 0, r.stderr
        time.sleep(1)
    finally:
        ts.send_signal(signal.SIGINT)
        ts.wait(timeout=20)
        rc, text = d.stop()
        assert rc == 0, text[-3000:]
    files = list(cap.glob("*.bmp"))
    assert len(files) == 1
    ours = [json.loads(x) for x in run(bgpsentry, "bmp", "dump",
                                       str(files[0])).stdout.splitlines()]
    assert len(ours) > 100 and not any("error" in m for m in ours)
    got = streams(pcap, station)
    assert len(got) == 1
    n = list(got)
    t = dissected(pcap, n[0], station)
    assert [TYPES[m["type"]] for m in ours] == [int(x) for x in
                                                t["bmp.type"]]
    peers = [m["peer"] for m in ours if "peer" in m]
    assert [p["asn"] for p in peers] == [int(x) for x in t["bmp.peer.asn"]]
    assert [p["bgp_id"] for p in peers] == t["bmp.peer.id"]
    assert [p["address"] for p in peers if ":" not in p["address"]] == \
        t["bmp.peer.ip.addr"]
    assert [p["address"] for p in peers if ":" in p["address"]] == \
        t["bmp.peer.ipv6.addr"]
    # the bytes on the wire are the bytes the station captured
    assert got[n[0]] == files[0].read_bytes()
