"""BGP sessions (`type: bgp` sources) against real speakers on loopback
(gobgpd, BIRD 2) and a raw peer for what no daemon sends on purpose:
tables equal the peer's own Adj-RIB-Out, withdrawals, restarts, both
directions of connection, TCP-MD5, RFC 7606 outcomes, bad OPENs, prefix
limits, ADD-PATH, graceful restart, route refresh, hold timer, flaps."""
import re
import signal
import struct
import subprocess
import threading
import time

import pytest

from bgp_peers import (FRR, ExaBGP, GoBGP, Bird, RawPeer, KEEPALIVE, NOTIFICATION,
                       OPEN, ROUTE_REFRESH, UPDATE, attr, cap, free_port,
                       mp_reach_v6, mp_unreach_v6, msg, need, nlri,
                       norm_ours, open_msg, our_table, path_attrs, update,
                       vp_of, wait)
from conftest import run
from test_daemon import Daemon, source
from test_rib import RV, UPDATES


@pytest.fixture
def started(bgpsentry, tmp_path):
    """Starts daemons and peers; stops them all at the end, and checks the
    daemon's exit."""
    things = []

    def add(x):
        things.append(x)
        return x
    yield add
    for x in reversed(things):
        if isinstance(x, Daemon):
            rc, text = x.stop()
            assert rc == 0, f"daemon exited {rc}:\n{text[-3000:]}"
        else:
            x.stop()


def bgp_config(listen_port, peers, local_as=65000, extra=""):
    return f"""
log: {{level: debug}}
api:
  listen: 127.0.0.1:PORT
sources:
  - name: routers
    type: bgp
    local_as: {local_as}
    router_id: 10.0.0.100
    listen: 127.0.0.1:{listen_port}
    connect_retry: 1
    peers:
{peers}
{extra}"""


def follows_the_openapi_document(d, schema, items):
    jsonschema = pytest.importorskip("jsonschema")
    doc = d.json("/api/v1/openapi.json")
    resolver = jsonschema.RefResolver.from_schema(doc)
    assert items
    for item in items:
        jsonschema.Draft7Validator(
            {"$ref": "#/components/schemas/" + schema},
            resolver=resolver).validate(item)


def both_ways(who):
    """Each test twice: the peer connects to us, and we connect to it."""
    return pytest.mark.parametrize("we_connect", [False, True],
                                   ids=[f"{who}-connects", "we-connect"])


def peer_yaml(address, asn, we_connect, port, *extra):
    """One peer of a bgp source: it connects to us, or we to it."""
    lines = [f"address: {address}", f"remote_as: {asn}",
             f"passive: {'false' if we_connect else 'true'}",
             f"port: {port}", "local_address: 127.0.0.1", *extra]
    return "      - " + "\n        ".join(lines) + "\n"


def peer_state(d, address, source="routers"):
    p = vp_of(d, source, address)
    return p["state"] if p else None


def wait_established(d, address, count=1, timeout=30):
    wait(lambda: (vp_of(d, "routers", address) or {}).get(
        "established_count", 0) >= count and
        peer_state(d, address) == "established",
        f"{address} established", timeout)
    return vp_of(d, "routers", address)


def table(d, address, path_ids=True):
    p = vp_of(d, "routers", address)
    if p is None or p["vp"] is None:
        return set()
    return norm_ours(our_table(d, p["vp"]), path_ids)


# --- gobgpd ------------------------------------------------------------------

ROUTES4 = [
    ("10.1.0.0/16", ["aspath", "4200000001,65010", "community", "65001:1",
                     "large-community", "4200000001:1:2",
                     "nexthop", "10.0.0.2"]),
    ("10.2.0.0/24", ["aspath", "4200000001,4200000099,3333",
                     "community", "65001:2,65535:65281", "nexthop",
                     "10.0.0.2", "med", "20"]),
    ("192.0.2.0/24", ["origin", "igp", "nexthop", "10.0.0.3"]),
]
ROUTES6 = [
    ("2001:db8:1::/48", ["aspath", "4200000001,65010", "community",
                         "65001:3", "nexthop", "2001:db8::2"]),
    ("2001:db8:2::/48", ["large-community", "65001:4:5,65001:6:7",
                         "nexthop", "2001:db8::3"]),
]


@both_ways("gobgp")
def test_gobgp_table_equals_its_adj_rib_out(bgpsentry, tmp_path, started,
                                             we_connect):
    listen, gport = free_port(), free_port()
    peer = peer_yaml("127.0.0.2", 4200000001, we_connect, gport,
                     "add_path: true", "description: gobgp")
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, peer)))
    g = started(GoBGP(tmp_path, 4200000001, "10.0.0.2", "127.0.0.2", gport,
                      "127.0.0.1", listen, 65000, passive=we_connect))
    p = wait_established(d, "127.0.0.2")
    assert p["asn"] == 4200000001
    assert p["session"]["as4"] is True
    follows_the_openapi_document(d, "Peer", d.json("/api/v1/peers"))
    assert p["session"]["families"] == ["ipv4", "ipv6"]
    assert p["session"]["add_path"] == ["ipv4", "ipv6"]     # gobgp sends
    wait(g.established, "gobgpd established")
    for prefix, attrs in ROUTES4 + ROUTES6:
        g.add(prefix, *attrs)
    want = g.adj_out()
    assert len(want) == 5
    # all three kinds of community and 4-octet ASNs made it over
    assert any(r[5] and r[6] and r[7] for r in want)
    wait(lambda: table(d, "127.0.0.2", False) == want,
         "our table to equal gobgpd's Adj-RIB-Out")
    follows_the_openapi_document(d, "VpRoutes", [d.json(
        f"/api/v1/vps/{p['vp']}/routes")])
    # withdrawals
    g.delete("10.2.0.0/24")
    g.delete("2001:db8:2::/48")
    want = g.adj_out()
    assert len(want) == 3
    wait(lambda: table(d, "127.0.0.2", False) == want,
         "withdrawals to reach our table")
    # the same routes through the looking glass
    lg = d.json("/api/v1/prefix/10.1.0.0/16")
    mine = [r for r in lg["prefixes"][0]["routes"]
            if r["source"] == "routers"]
    assert len(mine) == 1 and mine[0]["vp"]["table"] == "bgp-peer"
    # a restarted peer: its routes go with its session (no graceful
    # restart), then it comes back and the table converges again
    g.stop()
    wait(lambda: peer_state(d, "127.0.0.2") != "established",
         "the session to go down")
    wait(lambda: table(d, "127.0.0.2") == set(), "the routes to go")
    g.start()
    wait_established(d, "127.0.0.2", count=2, timeout=40)
    wait(g.established, "gobgpd established again")
    for prefix, attrs in ROUTES4[:2] + ROUTES6[:1]:
        g.add(prefix, *attrs)
    want = g.adj_out()
    assert len(want) == 3
    wait(lambda: table(d, "127.0.0.2", False) == want,
         "the table to converge after the restart")
    peers = subprocess.run([bgpsentry, "peers", "--api",
                            f"http://127.0.0.1:{d.port}"],
                           capture_output=True, text=True, timeout=30)
    assert peers.returncode == 0, peers.stderr
    line = [x for x in peers.stdout.splitlines() if "127.0.0.2" in x][0]
    assert "established" in line and "AS4200000001" in line


# --- BIRD 2 ---------------------------------------------------------------------

BIRD_CONF = """
router id 10.0.0.3;
protocol device {{}}
protocol static s4 {{ ipv4; route 198.51.100.0/24 blackhole;
  route 203.0.113.0/24 blackhole; }}
protocol static s6 {{ ipv6; route 2001:db8:3::/48 blackhole;
  route 2001:db8:4::/48 blackhole; }}
filter to_sentry {{
  if net = 198.51.100.0/24 then {{
    bgp_community.add((65003,1));
    bgp_large_community.add((4200000003,2,3));
    bgp_ext_community.add((rt, 65003, 9));
    bgp_path.prepend(4200000099);
  }}
  if net = 2001:db8:3::/48 then bgp_community.add((65003,6));
  accept;
}}
protocol bgp sentry {{
  local 127.0.0.3 port {port} as 4200000003;
  neighbor 127.0.0.1 port {peer_port} as 65000;
  multihop;
  {passive}
  password "s3cret";
  graceful restart on;
  connect delay time 1; connect retry time 2; error wait time 1, 2;
  ipv4 {{ import none; export filter to_sentry; next hop address 10.0.0.3;
    add paths tx; }};
  ipv6 {{ import none; export filter to_sentry;
    next hop address 2001:db8::3; add paths tx; }};
}}
"""


def bird_exported(b):
    """What BIRD exports to bgpsentry, as it shows it, with what eBGP adds
    on the wire (RFC 4271 5.1.2, 5.1.3): its AS first, its next hop."""
    out, cur = set(), None

    def flush():
        if cur:
            path = " ".join(["4200000003"] + cur["path"])
            nh = "2001:db8::3" if ":" in cur["prefix"] else "10.0.0.3"
            out.add((cur["prefix"], None, path, nh, "IGP",
                     tuple(sorted(cur["comm"])), tuple(sorted(cur["large"])),
                     tuple(sorted(cur["ext"]))))
    text = b.cmd("show route export sentry all").stdout
    for line in text.splitlines():
        f = line.split()
        if not f or line.startswith(("BIRD", "Table")):
            continue
        if not line[0].isspace():
            flush()
            cur = dict(prefix=f[0], path=[], comm=[], large=[], ext=[])
        elif f[0] == "BGP.as_path:":
            cur["path"] = f[1:]
        elif f[0] == "BGP.community:":
            cur["comm"] = [c.strip("()").replace(",", ":") for c in f[1:]]
        elif f[0] == "BGP.large_community:":
            body = line.split(":", 1)[1]
            cur["large"] = [":".join(x.strip() for x in t.split(","))
                            for t in body.replace(")", "").split("(")
                            if t.strip()]
        elif f[0] == "BGP.ext_community:":
            body = line.split(":", 1)[1]
            cur["ext"] = [":".join(x.strip() for x in t.split(","))
                          for t in body.replace(")", "").split("(")
                          if t.strip()]
    flush()
    return out


@both_ways("bird")
def test_bird_md5_table_and_graceful_restart(bgpsentry, tmp_path, started,
                                             we_connect):
    listen, bport = free_port(), free_port()

    def conf(password):
        return bgp_config(listen, peer_yaml(
            "127.0.0.3", 4200000003, we_connect, bport,
            f"password: {password}", "add_path: true"))
    # a wrong TCP-MD5 key: no session
    d = started(Daemon(bgpsentry, tmp_path, conf("not-the-key")))
    b = started(Bird(tmp_path, BIRD_CONF.format(
        port=bport, peer_port=listen,
        passive="passive on;" if we_connect else "")))
    time.sleep(6)
    assert peer_state(d, "127.0.0.3") != "established"
    assert b.state("sentry") != "Established"
    # the right key
    d.write(conf("s3cret"))
    st, body = d.get("/api/v1/reload", method="POST")
    assert st == 200, body
    wait_established(d, "127.0.0.3", timeout=40)
    p = vp_of(d, "routers", "127.0.0.3")
    assert p["session"]["graceful_restart"] is True
    assert p["session"]["add_path"] == ["ipv4", "ipv6"]     # BIRD sends
    want = bird_exported(b)
    assert len(want) == 4
    assert any(r[5] and r[6] and r[7] for r in want)
    wait(lambda: table(d, "127.0.0.3", False) == want,
         "our table to equal what BIRD exports")
    # a withdrawal: the IPv6 static protocol goes down
    b.cmd("disable", "s6")
    want = bird_exported(b)
    assert len(want) == 2
    wait(lambda: table(d, "127.0.0.3", False) == want,
         "the IPv6 routes to be withdrawn")
    b.cmd("enable", "s6")
    want = bird_exported(b)
    wait(lambda: table(d, "127.0.0.3", False) == want, "them back")
    # BIRD dies: graceful restart keeps its routes, marked stale
    b.proc.kill()
    b.proc.wait()
    b.log.close()
    vp = vp_of(d, "routers", "127.0.0.3")["vp"]
    wait(lambda: peer_state(d, "127.0.0.3") != "established" and all(
        r["stale"] for r in our_table(d, vp)), "stale routes")
    assert table(d, "127.0.0.3", False) == want
    assert d.json("/api/v1/vps")[vp]["state"] == "stale"
    # it comes back: the routes are fresh again, the table the same
    b.start()
    wait_established(d, "127.0.0.3", count=2, timeout=40)
    wait(lambda: table(d, "127.0.0.3", False) == bird_exported(b) and
         not any(r["stale"] for r in our_table(d, vp)),
         "the table to converge after the restart")


# --- FRR bgpd ---------------------------------------------------------------------

FRR_CONF = """hostname frr-peer
log stdout informational
route-map OUT permit 10
 set community 65004:1 additive
 set large-community 4200000004:1:1 additive
 set extcommunity rt 65004:7
exit
router bgp 4200000004
 bgp router-id 10.0.0.4
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor 127.0.0.1 remote-as 65000
 neighbor 127.0.0.1 port {peer_port}
 neighbor 127.0.0.1 update-source 127.0.0.4
 neighbor 127.0.0.1 ebgp-multihop 255
 neighbor 127.0.0.1 timers connect 1
 neighbor 127.0.0.1 password s3cret
 {passive}
 address-family ipv4 unicast
  network 198.51.100.0/24
  network 203.0.113.0/24
  neighbor 127.0.0.1 route-map OUT out
  neighbor 127.0.0.1 addpath-tx-all-paths
 exit-address-family
 address-family ipv6 unicast
  network 2001:db8:5::/48
  network 2001:db8:6::/48
  neighbor 127.0.0.1 activate
  neighbor 127.0.0.1 route-map OUT out
  neighbor 127.0.0.1 addpath-tx-all-paths
 exit-address-family
"""


def frr_advertised(f):
    """FRR's Adj-RIB-Out toward bgpsentry, with what its policy and eBGP
    add on the wire: its AS first, next hop self (the update-source, as an
    IPv4-mapped address for IPv6 over this IPv4 session), and the
    communities of its route-map."""
    out = set()
    for fam, nh in (("ipv4", "127.0.0.4"), ("ipv6", "::ffff:127.0.0.4")):
        ans = f.json(f"show bgp {fam} unicast neighbors 127.0.0.1 "
                     f"advertised-routes json")
        for prefix, r in ans.get("advertisedRoutes", {}).items():
            path = " ".join(x for x in ["4200000004", r["path"]] if x)
            origin = {"i": "IGP", "e": "EGP", "?": "INCOMPLETE"}[
                r["bgpOriginCode"]]
            out.add((prefix, None, path, nh, origin, ("65004:1",),
                     ("4200000004:1:1",), ("rt:65004:7",)))
    return out


@both_ways("frr")
def test_frr_table_equals_its_adj_rib_out(bgpsentry, tmp_path, started,
                                          we_connect):
    listen, fport = free_port(), free_port()
    peers = peer_yaml("127.0.0.4", 4200000004, we_connect, fport,
                      "password: s3cret", "add_path: true")
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, peers)))
    f = started(FRR(tmp_path, FRR_CONF.format(
        peer_port=listen,
        passive="neighbor 127.0.0.1 passive" if we_connect else ""),
        "127.0.0.4", fport))
    p = wait_established(d, "127.0.0.4", timeout=40)
    assert p["session"]["add_path"] == ["ipv4", "ipv6"]     # FRR sends
    want = wait(lambda: len(frr_advertised(f)) == 4 and frr_advertised(f),
                "FRR to advertise its four routes")
    wait(lambda: table(d, "127.0.0.4", False) == want,
         "our table to equal FRR's Adj-RIB-Out")
    # a withdrawal
    f.cmd("configure terminal", "router bgp 4200000004",
          "address-family ipv4 unicast", "no network 203.0.113.0/24")
    want = wait(lambda: len(frr_advertised(f)) == 3 and frr_advertised(f),
                "FRR to withdraw")
    wait(lambda: table(d, "127.0.0.4", False) == want, "the withdrawal")
    # FRR stops (Cease: no graceful restart), starts again, converges
    f.stop()
    wait(lambda: table(d, "127.0.0.4") == set(), "FRR's routes to go")
    f.start()
    wait_established(d, "127.0.0.4", count=2, timeout=40)
    want = wait(lambda: len(frr_advertised(f)) == 4 and frr_advertised(f),
                "FRR's four routes again")
    wait(lambda: table(d, "127.0.0.4", False) == want,
         "the table to converge after the restart")


# --- ExaBGP -------------------------------------------------------------------------

EXA_ROUTES = [
    ("announce route 198.51.100.0/24 path-information 1 next-hop 10.0.0.5 "
     "origin igp as-path [ 4200000005 65010 ] community [ 65005:1 ] "
     "extended-community [ target:65005:9 ] "
     "large-community [ 4200000005:1:2 ]",
     ("198.51.100.0/24", 1, "4200000005 65010", "10.0.0.5", "IGP",
      ("65005:1",), ("4200000005:1:2",), ("rt:65005:9",))),
    ("announce route 198.51.100.0/24 path-information 2 next-hop 10.0.0.6 "
     "origin egp as-path [ 4200000005 65011 ]",
     ("198.51.100.0/24", 2, "4200000005 65011", "10.0.0.6", "EGP", (), (),
      ())),
    ("announce route 2001:db8:7::/48 path-information 1 next-hop "
     "2001:db8::5 origin igp as-path [ 4200000005 ] community [ 65005:2 ]",
     ("2001:db8:7::/48", 1, "4200000005", "2001:db8::5", "IGP",
      ("65005:2",), (), ())),
]


@both_ways("exabgp")
def test_exabgp_add_path_and_communities(bgpsentry, tmp_path, started,
                                         we_connect):
    listen, xport = free_port(), free_port()
    peers = peer_yaml("127.0.0.5", 4200000005, we_connect, xport,
                      "add_path: true")
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, peers)))
    way = f"passive true; listen {xport};" if we_connect else \
        f"connect {listen};"
    x = started(ExaBGP(tmp_path, f"""
neighbor 127.0.0.1 {{
  router-id 10.0.0.5; local-address 127.0.0.5; local-as 4200000005;
  peer-as 65000; {way}
  capability {{ add-path send; }}
  family {{ ipv4 unicast; ipv6 unicast; }}
  api {{ processes [ feeder ]; }}
}}""", [c for c, _ in EXA_ROUTES]))
    p = wait_established(d, "127.0.0.5", timeout=40)
    assert p["session"]["add_path"] == ["ipv4", "ipv6"]
    want = {r for _, r in EXA_ROUTES}
    wait(lambda: table(d, "127.0.0.5") == want,
         "our table to hold ExaBGP's paths")
    x.send("withdraw route 198.51.100.0/24 path-information 1 next-hop "
           "10.0.0.5")
    want.discard(EXA_ROUTES[0][1])
    wait(lambda: table(d, "127.0.0.5") == want, "one path withdrawn")


# --- a raw peer: errors ---------------------------------------------------------

RAW = """      - address: 127.0.0.2
        remote_as: 65001
        passive: true
      - address: 127.0.0.3
        remote_as: 65002
        passive: true
"""


def notification(m):
    assert m is not None, "the connection closed without a NOTIFICATION"
    assert m[0] == NOTIFICATION, m
    return m[1][0], m[1][1]


def test_bad_open_gets_the_right_notification(bgpsentry, tmp_path, started):
    listen = free_port()
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(
        listen, RAW + "      - {address: 127.0.0.4, remote_as: any, "
        "passive: true}\n")))
    cases = [
        (dict(asn=65001, router_id="10.0.0.2", version=3), (2, 1)),
        (dict(asn=65009, router_id="10.0.0.2"), (2, 2)),
        (dict(asn=65001, router_id="10.0.0.2", hold=2), (2, 6)),
        (dict(asn=65001, router_id="0.0.0.0"), (2, 3)),
        # no family in common: it offers only IPv4 multicast
        (dict(asn=65001, router_id="10.0.0.2",
              caps=[cap(1, struct.pack("!HBB", 1, 0, 2)),
                    cap(65, struct.pack("!I", 65001))]), (2, 7)),
    ]
    for kw, want in cases:
        p = RawPeer(listen)
        p.send(open_msg(**kw))
        m = p.read()
        assert m[0] == OPEN            # ours comes first
        assert notification(p.read()) == want, kw
        assert p.closed()
        p.close()
    # AS 0, even from a peer of any AS (RFC 7607)
    p = RawPeer(listen, local="127.0.0.4")
    p.send(open_msg(asn=0, router_id="10.0.0.4"))
    assert p.read()[0] == OPEN
    assert notification(p.read()) == (2, 2)
    p.close()
    assert "AS0 (RFC 7607)" in vp_of(d, "routers", "127.0.0.4")["last_error"]
    # a message that is not an OPEN in OpenSent: FSM error (RFC 6608)
    p = RawPeer(listen)
    p.read()
    p.send(msg(KEEPALIVE))
    assert notification(p.read()) == (5, 1)
    p.close()
    # a bad marker
    p = RawPeer(listen)
    p.read()
    p.send(b"\x00" * 16 + struct.pack("!HB", 19, 4))
    assert notification(p.read()) == (1, 1)
    p.close()
    # an address that is not configured: closed without an OPEN
    p = RawPeer(listen, local="127.0.0.9")
    assert p.closed()
    p.close()
    assert "not a configured peer" in d.logtext()
    assert peer_state(d, "127.0.0.2") != "established"


def test_malformed_update_rfc7606(bgpsentry, tmp_path, started):
    listen = free_port()
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, RAW)))
    a, b = RawPeer(listen, "127.0.0.2"), RawPeer(listen, "127.0.0.3")
    a.establish(65001, "10.0.0.2")
    b.establish(65002, "10.0.0.3")
    a.send(update(attrs=path_attrs([65001, 64500]),
                  nlri_bytes=nlri(["198.51.100.0/24", "203.0.113.0/24"])))
    b.send(update(attrs=path_attrs([65002, 64501]),
                  nlri_bytes=nlri(["198.51.100.0/24"])))
    wait(lambda: len(table(d, "127.0.0.2")) == 2 and
         len(table(d, "127.0.0.3")) == 1, "both peers' routes")
    # ORIGIN 7: treat-as-withdraw (RFC 7606 7.1); the session stays
    a.send(update(attrs=path_attrs([65001], origin=7),
                  nlri_bytes=nlri(["203.0.113.0/24"])))
    wait(lambda: {r[0] for r in table(d, "127.0.0.2")} ==
         {"198.51.100.0/24"}, "the treat-as-withdraw")
    a.send(msg(KEEPALIVE))
    assert peer_state(d, "127.0.0.2") == "established"
    # an attribute whose length runs past the block: the NLRI can still
    # be found, so treat-as-withdraw too (RFC 7606 4)
    bad = attr(1, b"\x00") + struct.pack("!BBB", 0x40, 2, 200) + b"\x02"
    a.send(update(attrs=bad, nlri_bytes=nlri(["198.51.100.0/24"])))
    wait(lambda: table(d, "127.0.0.2") == set(), "the second withdraw")
    a.send(update(attrs=path_attrs([65001, 64500]),
                  nlri_bytes=nlri(["198.51.100.0/24"])))
    wait(lambda: len(table(d, "127.0.0.2")) == 1, "a's route again")
    # a prefix of 33 bits: the NLRI cannot be parsed, session reset with
    # UPDATE Message Error / Invalid Network Field (RFC 7606 5.3)
    a.send(update(attrs=path_attrs([65001]),
                  nlri_bytes=b"\x21\x0a\x00\x00\x00\x00"))
    assert notification(a.read_until(NOTIFICATION)) == (3, 10)
    assert a.closed()
    wait(lambda: table(d, "127.0.0.2") == set(), "a's routes to go")
    # the other peer is untouched
    b.send(msg(KEEPALIVE))
    assert peer_state(d, "127.0.0.3") == "established"
    assert len(table(d, "127.0.0.3")) == 1
    pa = vp_of(d, "routers", "127.0.0.2")
    assert pa["messages"]["malformed"] == 3
    assert "malformed UPDATE" in pa["last_error"]
    log = d.logtext()
    assert "bgp malformed message source=routers peer=127.0.0.2" in log
    assert "rfc7606=treat-as-withdraw reason=origin-value" in log
    assert "reason=attribute-length-overrun" in log
    assert "rfc7606=session-reset" in log
    b.close()


def test_max_prefixes(bgpsentry, tmp_path, started):
    listen = free_port()
    peers = """      - address: 127.0.0.2
        remote_as: 65001
        passive: true
        max_prefixes: {limit: 3, action: teardown, restart: 2}
      - address: 127.0.0.3
        remote_as: 65002
        passive: true
        max_prefixes: {limit: 3, action: warn}
"""
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, peers)))
    four = nlri(["10.0.%d.0/24" % i for i in range(4)])
    a, b = RawPeer(listen, "127.0.0.2"), RawPeer(listen, "127.0.0.3")
    a.establish(65001, "10.0.0.2")
    b.establish(65002, "10.0.0.3")
    a.send(update(attrs=path_attrs([65001]), nlri_bytes=four))
    b.send(update(attrs=path_attrs([65002]), nlri_bytes=four))
    # teardown: Cease / Maximum Number of Prefixes Reached (RFC 4486)
    m = a.read_until(NOTIFICATION)
    assert notification(m) == (6, 1)
    assert m[1][2:5] == b"\x00\x01\x01"      # AFI 1, SAFI 1
    assert struct.unpack("!I", m[1][5:9])[0] == 3
    assert a.closed()
    wait(lambda: table(d, "127.0.0.2") == set(), "a's routes to go")
    assert vp_of(d, "routers", "127.0.0.2")["state"] == "idle"
    # held down: a new connection is refused until the restart time
    a2 = RawPeer(listen, "127.0.0.2")
    assert notification(a2.read()) == (6, 5)   # Connection Rejected
    a2.close()
    time.sleep(2.5)
    a3 = RawPeer(listen, "127.0.0.2")
    a3.establish(65001, "10.0.0.2")
    a3.close()
    # warn: the session and its routes stay
    b.send(msg(KEEPALIVE))
    wait(lambda: len(table(d, "127.0.0.3")) == 4, "b's four routes")
    assert peer_state(d, "127.0.0.3") == "established"
    assert "prefix limit exceeded source=routers peer=127.0.0.3" in \
        d.logtext()
    b.close()


# --- a raw peer: capabilities and timers ------------------------------------------

def test_add_path_receive(bgpsentry, tmp_path, started):
    listen = free_port()
    peers = """      - address: 127.0.0.2
        remote_as: 65001
        passive: true
        add_path: true
"""
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, peers)))
    a = RawPeer(listen)
    caps = [cap(1, struct.pack("!HBB", 1, 0, 1)),
            cap(1, struct.pack("!HBB", 2, 0, 1)),
            cap(65, struct.pack("!I", 65001)),
            # ADD-PATH: send, for IPv4 and IPv6 unicast
            cap(69, struct.pack("!HBBHBB", 1, 1, 2, 2, 1, 2))]
    a.establish(65001, "10.0.0.2", caps=caps)
    a.send(update(attrs=path_attrs([65001, 1]),
                  nlri_bytes=nlri(["10.9.0.0/16"], path_ids=[1])))
    a.send(update(attrs=path_attrs([65001, 2]),
                  nlri_bytes=nlri(["10.9.0.0/16"], path_ids=[2])))
    a.send(update(attrs=path_attrs([65001, 3], next_hop=None) +
                  mp_reach_v6(["2001:db8:9::/48"] * 2, path_ids=[7, 8])))
    wait(lambda: len(table(d, "127.0.0.2")) == 4, "four paths")
    t = table(d, "127.0.0.2")
    assert {(r[0], r[1], r[2]) for r in t} == {
        ("10.9.0.0/16", 1, "65001 1"), ("10.9.0.0/16", 2, "65001 2"),
        ("2001:db8:9::/48", 7, "65001 3"), ("2001:db8:9::/48", 8, "65001 3")}
    p = vp_of(d, "routers", "127.0.0.2")
    assert p["session"]["add_path"] == ["ipv4", "ipv6"]
    assert p["prefixes"] == {"ipv4": 2, "ipv6": 2}
    metrics = d.get("/metrics")[1]
    lbl = 'source="routers",peer="127.0.0.2"'
    assert f"bgpsentry_bgp_peer_up{{{lbl}}} 1\n" in metrics
    assert f'bgpsentry_bgp_peer_prefixes{{{lbl},afi="ipv6"}} 2\n' in metrics
    assert f"bgpsentry_bgp_peer_established_total{{{lbl}}} 1\n" in metrics
    # withdraw one path of each
    a.send(update(withdrawn=nlri(["10.9.0.0/16"], path_ids=[1]),
                  attrs=mp_unreach_v6(["2001:db8:9::/48"], path_ids=[8])))
    wait(lambda: {(r[0], r[1]) for r in table(d, "127.0.0.2")} ==
         {("10.9.0.0/16", 2), ("2001:db8:9::/48", 7)}, "one path of each")
    a.close()


def gr_caps(asn, restart_s, families=((1, 0x80), (2, 0x80))):
    gr = struct.pack("!H", restart_s) + b"".join(
        struct.pack("!HBB", afi, 1, flags) for afi, flags in families)
    return [cap(1, struct.pack("!HBB", 1, 0, 1)),
            cap(1, struct.pack("!HBB", 2, 0, 1)),
            cap(65, struct.pack("!I", asn)), cap(64, gr)]


def eor(afi):
    if afi == 1:
        return update()
    return update(attrs=attr(15, struct.pack("!HB", 2, 1)))


def test_graceful_restart_helper(bgpsentry, tmp_path, started):
    listen = free_port()
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, RAW)))
    a = RawPeer(listen)
    a.establish(65001, "10.0.0.2", caps=gr_caps(65001, 30))
    a.send(update(attrs=path_attrs([65001]),
                  nlri_bytes=nlri(["10.7.0.0/16", "10.8.0.0/16"])))
    a.send(update(attrs=path_attrs([65001], next_hop=None) +
                  mp_reach_v6(["2001:db8:7::/48"])))
    wait(lambda: len(table(d, "127.0.0.2")) == 3, "three routes")
    # the TCP session dies (no NOTIFICATION): the routes stay, stale
    a.close()
    wait(lambda: all(r["stale"] for r in our_table(
        d, vp_of(d, "routers", "127.0.0.2")["vp"])) and
        peer_state(d, "127.0.0.2") != "established", "stale routes")
    assert len(table(d, "127.0.0.2")) == 3
    lg = d.json("/api/v1/prefix/10.7.0.0/16")
    assert [r["stale"] for r in lg["prefixes"][0]["routes"]] == [True]
    # it comes back keeping IPv4 only: IPv6 goes at once; it sends one of
    # its two IPv4 routes again and End-of-RIB: the other goes
    a = RawPeer(listen)
    a.establish(65001, "10.0.0.2", caps=gr_caps(65001, 30, ((1, 0x80),)))
    wait(lambda: {r[0] for r in table(d, "127.0.0.2")} ==
         {"10.7.0.0/16", "10.8.0.0/16"}, "IPv6 flushed")
    a.send(update(attrs=path_attrs([65001, 9]),
                  nlri_bytes=nlri(["10.7.0.0/16"])))
    a.send(eor(1))
    wait(lambda: [(r["prefix"], r["stale"], r["as_path"]) for r in our_table(
        d, vp_of(d, "routers", "127.0.0.2")["vp"])] ==
        [("10.7.0.0/16", False, "65001 9")], "End-of-RIB to flush the rest")
    # a peer that does not come back within its restart time loses all
    a.close()
    b = RawPeer(listen, "127.0.0.3")
    b.establish(65002, "10.0.0.3", caps=gr_caps(65002, 1))
    b.send(update(attrs=path_attrs([65002]), nlri_bytes=nlri(["10.6.0.0/16"])))
    wait(lambda: len(table(d, "127.0.0.3")) == 1, "b's route")
    b.close()
    wait(lambda: table(d, "127.0.0.3") == set(), "the restart time to end",
         timeout=10)
    assert "graceful restart timed out" in vp_of(d, "routers",
                                                 "127.0.0.3")["last_error"] \
        or "graceful" in d.logtext()


def test_route_refresh_and_hold_timer(bgpsentry, tmp_path, started):
    listen = free_port()
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, RAW)))
    a = RawPeer(listen)
    caps = [cap(1, struct.pack("!HBB", 1, 0, 1)),
            cap(1, struct.pack("!HBB", 2, 0, 1)),
            cap(65, struct.pack("!I", 65001)), cap(2)]
    a.establish(65001, "10.0.0.2", caps=caps, hold=3)
    # our End-of-RIB markers come first (we announce nothing)
    assert a.read()[0] == UPDATE
    assert a.read()[0] == UPDATE
    r = run(bgpsentry, "peers", "refresh", "127.0.0.2", "--api",
            f"http://127.0.0.1:{d.port}")
    assert r.returncode == 0, r.stderr
    got = set()
    while len(got) < 2:
        m = a.read_until(ROUTE_REFRESH)
        assert m is not None
        got.add(struct.unpack("!HBB", m[1])[0])
    assert got == {1, 2}
    # a peer without route refresh: 409 naming why
    b = RawPeer(listen, "127.0.0.3")
    b.establish(65002, "10.0.0.3")
    st, body = d.get("/api/v1/peers/refresh?peer=127.0.0.3", method="POST")
    assert st == 409 and "route refresh" in body
    st, body = d.get("/api/v1/peers/refresh?peer=127.0.0.99", method="POST")
    assert st == 404
    # hold time 3 s negotiated: keepalives come every second; when the
    # peer falls silent, Hold Timer Expired
    t0 = time.time()
    m = a.read_until(KEEPALIVE, timeout=3)
    assert m is not None and time.time() - t0 < 2.5
    m = a.read_until(NOTIFICATION, timeout=8)
    assert notification(m) == (4, 0)
    assert time.time() - t0 < 6
    assert "hold timer expired" in vp_of(d, "routers",
                                         "127.0.0.2")["last_error"]
    b.close()


def test_ipv6_transport_both_ways(bgpsentry, tmp_path, started):
    """A peer over IPv6 (::1) connects to our IPv6 listener, then we
    connect to it; IPv4 and IPv6 routes ride either session."""
    import socket
    listen, listen6, theirs = free_port(), free_port(), free_port()
    d = started(Daemon(bgpsentry, tmp_path, f"""
log: {{level: debug}}
api:
  listen: 127.0.0.1:PORT
sources:
  - name: routers
    type: bgp
    local_as: 65000
    router_id: 10.0.0.100
    listen: [127.0.0.1:{listen}, "[::1]:{listen6}"]
    connect_retry: 1
    peers:
      - address: "::1"
        remote_as: 65006
        port: {theirs}
"""))
    a = RawPeer(listen6, local="::1", host="::1")
    a.establish(65006, "10.0.0.6")
    a.send(update(attrs=path_attrs([65006]), nlri_bytes=nlri(
        ["198.51.100.0/24"])))
    a.send(update(attrs=path_attrs([65006], next_hop=None) +
                  mp_reach_v6(["2001:db8:6::/48"], next_hop="::1")))
    wait(lambda: {r[0] for r in table(d, "::1")} ==
         {"198.51.100.0/24", "2001:db8:6::/48"}, "routes over IPv6")
    # the peer goes; we connect to it (it is not passive)
    a.send(msg(NOTIFICATION, b"\x06\x02"))
    assert a.closed()
    a.close()
    wait(lambda: table(d, "::1") == set(), "the routes to go")
    with socket.socket(socket.AF_INET6) as ls:
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("::1", theirs))
        ls.listen()
        b = RawPeer.accept(ls)
        assert b.s.getpeername()[0] == "::1"
        m = b.read()
        assert m[0] == OPEN
        b.send(open_msg(65006, "10.0.0.6"))
        b.send(msg(KEEPALIVE))
        assert b.read()[0] == KEEPALIVE
        wait_established(d, "::1", count=2)
        b.send(update(attrs=path_attrs([65006, 7], next_hop=None) +
                      mp_reach_v6(["2001:db8:7::/48"], next_hop="::1")))
        wait(lambda: {r[0] for r in table(d, "::1")} ==
             {"2001:db8:7::/48"}, "a route over our own connection")
        b.close()


def test_flaps_leave_nothing_behind(bgpsentry, tmp_path, started):
    listen = free_port()
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(listen, RAW).replace(
        "log: {level: debug}", "log: {level: warn}")))
    base = d.json("/api/v1/stats")
    for i in range(200):
        a = RawPeer(listen)
        a.establish(65001, "10.0.0.2")
        a.send(update(attrs=path_attrs([65001, i], communities=["1:%d" % i]),
                      nlri_bytes=nlri(["10.%d.0.0/16" % (i % 250),
                                       "192.0.2.0/24"])))
        a.send(update(attrs=path_attrs([65001], next_hop=None) +
                      mp_reach_v6(["2001:db8:%x::/48" % i])))
        a.send(msg(NOTIFICATION, b"\x06\x02"))
        assert a.closed()               # we close once it is read
        a.close()
    wait(lambda: vp_of(d, "routers", "127.0.0.2")["established_count"] == 200
         and peer_state(d, "127.0.0.2") != "established", "200 flaps")
    p = vp_of(d, "routers", "127.0.0.2")
    assert p["prefixes"] == {"ipv4": 0, "ipv6": 0}
    assert p["messages"]["notifications_in"] == 200
    stats = d.json("/api/v1/stats")
    assert stats["routes"] == 0
    # every attribute set and member interned for the flaps is gone
    for kind in ("attribute_sets", "as_paths", "community_lists",
                 "other_attributes", "prefixes"):
        assert stats["memory"][kind]["count"] == \
            base["memory"][kind]["count"], kind


# --- the injector: bgpsentry replay ----------------------------------------------

class Replay:
    """`bgpsentry replay` running; its output read as it comes."""

    def __init__(self, binary, files, port, *args):
        self.proc = subprocess.Popen(
            [binary, "replay", *map(str, files), "--bgp",
             f"127.0.0.1:{port}", *args], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines = []
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def sent(self, timeout=120):
        wait(lambda: any(x.startswith("sent:") for x in self.lines) or
             self.proc.poll() is not None, "the replay to send everything",
             timeout)
        assert any(x.startswith("sent:") for x in self.lines), self.lines
        out = {}
        for x in self.lines:
            m = re.match(r"session (\S+): MRT peer (\S+) AS(\d+)$", x)
            if m:
                out[m[1]] = (m[2], int(m[3]))
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(timeout=20)
        self.t.join(timeout=5)
        return self.proc.returncode


def vps_by(d):
    return {(v["source"], v["address"], v["asn"]): v
            for v in d.json("/api/v1/vps")}


def vp_table(d, vp):
    return norm_ours(d.json(f"/api/v1/vps/{vp}/routes?limit=1000000")
                     ["routes"], path_ids=False)


def test_replay_equals_the_mrt_source(bgpsentry, tmp_path, started,
                                      data_dir):
    """The same files through an MRT source and through BGP sessions
    from the injector: every peer's table is the same both ways (a RIB
    dump of 47 peers, then 2-octet-AS era updates with withdrawals)."""
    listen = free_port()
    files = [data_dir / RV, data_dir / UPDATES]
    d = started(Daemon(bgpsentry, tmp_path, f"""
log: {{level: warn}}
api:
  listen: 127.0.0.1:PORT
sources:
  - name: mrt
    type: mrt
    files: [{files[0]}, {files[1]}]
  - name: coll
    type: bgp
    local_as: 65000
    router_id: 10.0.0.100
    listen: 127.0.0.1:{listen}
    peers:
      - range: 127.0.0.0/8
"""))
    d.wait_for(lambda: source(d, "mrt")["state"] in ("done", "degraded"),
               "the MRT source")
    r = started(Replay(bgpsentry, files, listen))
    sessions = r.sent()
    # one peer of the dump has AS 0: no session (RFC 7607)
    assert len(sessions) == 77
    assert "skipped: MRT peer 134.222.87.1 has AS 0" in "\n".join(r.lines)
    assert "read error" in "\n".join(r.lines)    # RV's last record is cut
    want = source(d, "mrt")["routes"]
    assert want > 280000
    wait(lambda: source(d, "coll")["routes"] == want,
         "every route through BGP", timeout=60)
    vps = vps_by(d)
    compared = 0
    for src, (addr, asn) in sessions.items():
        mine = vps[("coll", src, asn)]
        theirs = vps[("mrt", addr, asn)]
        assert mine["table"] == "bgp-peer"
        a, b = vp_table(d, mine["id"]), vp_table(d, theirs["id"])
        assert a == b, (src, addr, asn, len(a), len(b),
                        sorted(a ^ b)[:5])
        compared += len(a)
    assert compared == want
    assert source(d, "coll")["malformed"] == 0
    assert r.stop() == 0


def test_replay_into_bird_with_fewer_peers(bgpsentry, tmp_path, started,
                                           data_dir):
    listen, bport = free_port(), free_port()
    d = started(Daemon(bgpsentry, tmp_path, f"""
log: {{level: warn}}
api:
  listen: 127.0.0.1:PORT
sources:
  - name: coll
    type: bgp
    local_as: 65000
    router_id: 10.0.0.100
    listen: 127.0.0.1:{listen}
    peers:
      - range: 127.0.0.0/8
"""))
    b = started(Bird(tmp_path, f"""
router id 127.0.0.1;
protocol device {{}}
ipv4 table t4; ipv6 table t6;
template bgp coll {{
  local 127.0.0.1 port {bport} as 65000; passive on; multihop;
  ipv4 {{ table t4; import all; export none; }};
  ipv6 {{ table t6; import all; export none; }};
}}
protocol bgp collector from coll {{ neighbor range 127.0.0.0/8 external; }}
"""))
    files = [data_dir / RV, data_dir / UPDATES]
    ours = started(Replay(bgpsentry, files, listen, "--peers", "3",
                          "--local-as", "64999"))
    theirs = started(Replay(bgpsentry, files, bport, "--peers", "3",
                            "--local-as", "64999"))
    assert len(ours.sent()) == 3 and len(theirs.sent()) == 3

    def bird_routes():
        n = 0
        for t in ("t4", "t6"):
            m = re.search(r"(\d+) of \d+ routes", b.cmd(
                "show route count table", t).stdout)
            n += int(m[1]) if m else 0
        return n
    want = wait(lambda: source(d, "coll")["routes"], "our routes")
    time.sleep(1)
    assert source(d, "coll")["routes"] == want
    wait(lambda: bird_routes() == want, "BIRD to hold the same routes")
    up = [v for v in d.json("/api/v1/vps") if v["state"] == "up"]
    assert len(up) == 3 and {v["asn"] for v in up} == {64999}
    protos = b.cmd("show protocols").stdout
    assert protos.count("Established") == 3


def test_replay_follows_time_at_a_speed_factor(bgpsentry, tmp_path,
                                               started, data_dir):
    """--speed 100: five minutes of updates take about three seconds."""
    listen = free_port()
    d = started(Daemon(bgpsentry, tmp_path, bgp_config(
        listen, "      - range: 127.0.0.0/8\n")))
    lines = run(bgpsentry, "mrt", "dump", "-m", "-q",
                str(data_dir / UPDATES)).stdout.splitlines()
    times = [int(x.split("|")[1]) for x in lines]
    span = max(times) - min(times)
    assert span > 200
    r = started(Replay(bgpsentry, [data_dir / UPDATES], listen, "--speed",
                       "100", "--peers", "3"))
    r.sent(timeout=60)
    took = float(re.search(r"in ([0-9.]+) s$", [
        x for x in r.lines if x.startswith("sent:")][0])[1])
    assert span / 100 * 0.9 <= took <= span / 100 + 3, (span, took)
    assert source(d, "routers")["announcements"] > 0
