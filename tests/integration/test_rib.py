"""`bgpsentry rib load`: MRT files through the MRT source into the RIB,
and the looking-glass answers, checked against bgpdump's reading of the
same files (routes of a prefix, more-specifics, what an AS originates,
and the table left after replaying a whole update file)."""
import ipaddress
import json
import shutil
import subprocess

import pytest

from conftest import run

BGPDUMP = shutil.which("bgpdump")
pytestmark = pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")

RV = "mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
UPDATES = "mrt/bgpdump-test/updates.20070211.0141.gz"


def bgpdump_lines(path):
    out = subprocess.run([BGPDUMP, "-m", str(path)], capture_output=True,
                         timeout=600).stdout.decode()
    return [line.split("|") for line in out.splitlines()]


def norm_path(p):
    # bgpdump writes sets as {a,b}, we as {a b}
    return p.replace(",", " ")


def route_key(peer_ip, peer_asn, path, next_hop, lp, med):
    return (peer_ip, int(peer_asn), norm_path(path), next_hop, int(lp), int(med))


def ours_json(bgpsentry, *args):
    r = run(bgpsentry, "rib", "load", "--json", *args)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stdout)


def our_routes(answer):
    got = {}
    for p in answer["prefixes"]:
        for rt in p["routes"]:
            got.setdefault(p["prefix"], []).append(route_key(
                rt["vp"]["address"], rt["vp"]["asn"], rt["as_path"],
                rt.get("next_hop", ""), rt.get("local_pref", 0),
                rt.get("med", 0)))
    return {k: sorted(v) for k, v in got.items()}


def dump_routes(lines, inside=None):
    want = {}
    for f in lines:
        if f[2] != "B":
            continue
        pfx = ipaddress.ip_network(f[5], strict=False)
        if inside is not None and not (pfx.version == inside.version
                                       and pfx.subnet_of(inside)):
            continue
        want.setdefault(str(pfx), []).append(
            route_key(f[3], f[4], f[6], f[8], f[9], f[10]))
    return {k: sorted(v) for k, v in want.items()}


@pytest.fixture(scope="module")
def rv_lines(data_dir):
    return bgpdump_lines(data_dir / RV)


def test_prefix_routes_match_bgpdump(bgpsentry, data_dir, rv_lines):
    want = dump_routes(rv_lines)
    for prefix in ("1.0.4.0/24", "1.0.0.0/24", "1.1.1.0/24", "1.0.128.0/17"):
        ans = ours_json(bgpsentry, "--query", prefix, str(data_dir / RV))
        assert ans["query"] == prefix and ans["match"] == "exact"
        got = our_routes(ans)
        assert got == {prefix: want[prefix]}, prefix
        summary = ans["prefixes"][0]["summary"]
        assert summary["routes"] == len(want[prefix])
        assert summary["vps_seeing"] == len({r[0] for r in want[prefix]})
        origins = {int(r[2].split()[-1]) for r in want[prefix]
                   if not r[2].endswith("}")}
        assert set(summary["origins"]) == origins


def test_more_specifics_match_bgpdump(bgpsentry, data_dir, rv_lines):
    net = ipaddress.ip_network("1.0.0.0/16")
    ans = ours_json(bgpsentry, "--query", str(net), "--more-specifics",
                    str(data_dir / RV))
    want = dump_routes(rv_lines, inside=net)
    assert len(want) > 10
    assert our_routes(ans) == want
    # in order: address, then length
    order = [ipaddress.ip_network(p["prefix"]) for p in ans["prefixes"]]
    assert order == sorted(order, key=lambda n: (n.network_address, n.prefixlen))


def test_less_specifics(bgpsentry, data_dir, rv_lines):
    ans = ours_json(bgpsentry, "--query", "1.0.4.77/32", "--less-specifics",
                    str(data_dir / RV))
    got = [p["prefix"] for p in ans["prefixes"]]
    have = {f[5] for f in rv_lines}
    want = [str(n) for n in sorted(
        (ipaddress.ip_network(p) for p in have
         if ipaddress.ip_network(p).version == 4
         and ipaddress.ip_address("1.0.4.77") in ipaddress.ip_network(p)),
        key=lambda n: n.prefixlen)]
    assert got == want and got


def test_asn_originated_prefixes(bgpsentry, data_dir, rv_lines):
    ans = ours_json(bgpsentry, "--asn", "AS56203", str(data_dir / RV))
    want = {}
    for f in rv_lines:
        path = f[6].split()
        if path and not path[-1].startswith("{") and path[-1] == "56203":
            want[f[5]] = want.get(f[5], 0) + 1
    got = {p["prefix"]: p["routes"] for p in ans["originated"]}
    assert got == want and got
    ups = {u["asn"] for u in ans["upstreams"]}
    want_ups = set()
    for f in rv_lines:
        path = [a for i, a in enumerate(f[6].split())
                if i == 0 or a != f[6].split()[i - 1]]
        for left, right in zip(path, path[1:]):
            if right == "56203" and "{" not in left:
                want_ups.add(int(left))
    assert ups == want_ups


def test_update_replay_leaves_the_table_bgpdump_implies(bgpsentry, data_dir):
    """Replaying a whole update file: announcements add or replace,
    withdrawals remove, a session leaving Established removes the peer's
    routes. The table left must be the one bgpdump's lines imply."""
    path = data_dir / UPDATES
    table = {}
    for f in bgpdump_lines(path):
        key = (f[3], int(f[4]))
        if f[2] == "STATE":
            if f[5] == "6" and f[6] != "6":
                table = {k: v for k, v in table.items() if k[:2] != key}
            continue
        pfx = str(ipaddress.ip_network(f[5], strict=False))
        if f[2] == "W":
            table.pop(key + (pfx,), None)
        elif f[2] == "A":
            table[key + (pfx,)] = route_key(f[3], f[4], f[6], f[8], f[9], f[10])
    got = {}
    for root in ("0.0.0.0/0", "::/0"):
        ans = ours_json(bgpsentry, "--query", root, "--more-specifics",
                        str(path))
        for p in ans["prefixes"]:
            for rt in p["routes"]:
                got[(rt["vp"]["address"], rt["vp"]["asn"], p["prefix"])] = \
                    route_key(rt["vp"]["address"], rt["vp"]["asn"],
                              rt["as_path"], rt.get("next_hop", ""),
                              rt.get("local_pref", 0), rt.get("med", 0))
    assert len(table) > 1000
    assert got == table


def test_stats_and_vps(bgpsentry, data_dir):
    ans = ours_json(bgpsentry, "--stats", str(data_dir / UPDATES))
    assert ans["announcements"] > 0 and ans["withdrawals"] > 0
    mem = ans["memory"]
    assert mem["routes"]["count"] == ans["routes"] > 0
    assert mem["total_bytes"] >= sum(v["bytes"] for k, v in mem.items()
                                     if isinstance(v, dict))
    r = run(bgpsentry, "rib", "load", "--vps", "--json", str(data_dir / UPDATES))
    vps = json.loads(r.stdout)
    assert len(vps) == ans["vps"]
    assert sum(v["routes_v4"] + v["routes_v6"] for v in vps) == ans["routes"]
    assert all(v["table"] == "collector-peer" and v["source"] == "mrt"
               for v in vps)


def test_stats_command(bgpsentry, data_dir):
    """`bgpsentry stats FILE...` is `rib load --stats FILE...`."""
    a = ours_json(bgpsentry, "--stats", str(data_dir / RV))
    r = run(bgpsentry, "stats", "--json", str(data_dir / RV))
    assert r.returncode == 1    # the RouteViews excerpt is cut at 1 MB
    b = json.loads(r.stdout)
    assert b["routes"] == a["routes"] == 270005
    assert b["memory"]["routes"]["count"] == 270005
    assert b["memory"]["as_paths"]["count"] == a["memory"]["as_paths"]["count"]
    # no file: it asks the daemon (tests/integration/test_daemon.py)
    r = run(bgpsentry, "stats", "--api", "http://127.0.0.1:1")
    assert r.returncode == 2 and "cannot reach the daemon" in r.stderr


def test_usage_errors(bgpsentry):
    for args, msg in ((["--query", "10.0.0.0"], "is not a prefix"),
                      (["--asn", "x"], "is not an AS number"),
                      (["--bogus"], "unknown option")):
        r = run(bgpsentry, "rib", "load", *args, "/dev/null")
        assert r.returncode == 2 and msg in r.stderr
    r = run(bgpsentry, "rib", "load", "/nonexistent.mrt")
    assert r.returncode == 1 and "No such file" in r.stderr
