"""The MRT -> RIS Live converter (rislive_conv.py) on real update files:
its messages, expanded back to one record per prefix, are bgpdump -m's
lines; each message is exactly one UPDATE of the MRT file (checked
against the raw bytes, decoded here); and the JSON has the shape of real
RIS Live messages."""
import ipaddress
import json
import shutil
import struct
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import rislive_conv

BGPDUMP = shutil.which("bgpdump")
pytestmark = pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")
HERE = Path(__file__).resolve().parent

UPDATE_FILES = [
    "ris/rrc15.updates.20100227.1600.gz",
    "ris/rrc00.updates.19990903.1041.gz",   # deprecated BGP type, AS_SETs
    "ris/rrc01.updates.20001104.0124.gz",
    "ris/rrc06.updates.1427846400.gz",
    "bgpdump-test/updates.20160811.1600.gz",
    "bgpdump-test/updates.20070211.0141.gz",
    "bgpdump-test/updates.long_withdrawal.gz",
    "misc/bgpkit-example.updates.bz2",      # BGP4MP_ET
    "daemons/mrtparse.bird_bgp",            # large communities
    "daemons/mrtparse.bird6_bgp",
    "daemons/mrtparse.openbgpd_bgp",        # empty AS paths, MEDs
    "daemons/mrtparse.quagga_bgp",          # IPv4-mapped IPv6 next hop
]


def bgpdump_m(path, *opts):
    r = subprocess.run([BGPDUMP, "-q", "-m", *opts, str(path)],
                       capture_output=True, text=True, check=True)
    return r.stdout.splitlines()


def w_length_only(recs):
    """bgpdump -m prints the deprecated BGP type's withdrawals with the
    peer address in place of the prefix address (the converter repairs
    them; test_one_message_per_update checks them): compare lengths."""
    return [r[:3] + ("/" + r[3].split("/")[1],) if r[0] == "W" else r
            for r in recs]


def reference(lines):
    """bgpdump -m lines -> per peer, the list of prefix records."""
    out = defaultdict(list)
    for line in lines:
        f = line.split("|")
        kind, peer = f[2], f[3]
        if kind == "W":
            out[peer].append(("W", float(f[1]), f[4], f[5]))
        elif kind == "A":
            # the deprecated BGP type has no community field (14 fields)
            comm = f[11] if len(f) == 15 else ""
            out[peer].append(("A", float(f[1]), f[4], f[5], f[6],
                              f[7].lower(), f[8], int(f[10]), comm,
                              f[-2].replace(" ", ":")))
    return out


def path_text(path):
    return " ".join("{" + ",".join(map(str, a)) + "}" if isinstance(a, list)
                    else str(a) for a in path)


def expand(msgs):
    """RIS Live messages -> per peer, the prefix records, in bgpdump's
    order: an UPDATE's withdrawals before its announcements."""
    out = defaultdict(list)
    for m in msgs:
        d = m["data"]
        if d["type"] != "UPDATE":
            continue
        key = (d["timestamp"], d["peer_asn"])
        for p in d.get("withdrawals", []):
            out[d["peer"]].append(("W", *key, p))
        comm = " ".join(f"{a}:{v}" for a, v in d.get("community", []))
        for ann in d.get("announcements", []):
            for p in ann["prefixes"]:
                out[d["peer"]].append((
                    "A", *key, p, path_text(d["path"]), d["origin"],
                    ann["next_hop"], d.get("med", 0), comm,
                    d.get("aggregator", "")))
    return out


@pytest.mark.parametrize("name", UPDATE_FILES)
def test_messages_expand_to_bgpdump_lines(data_dir, name):
    path = data_dir / "mrt" / name
    msgs = rislive_conv.convert(path)
    lines = bgpdump_m(path)
    want, got = reference(lines), expand(msgs)
    assert sum(map(len, want.values())) > 0
    assert got.keys() == want.keys()
    old_type = any(line.startswith("BGP|") for line in lines)
    for peer in want:
        kinds = Counter(r[0] for r in want[peer])
        assert Counter(r[0] for r in got[peer]) == kinds, peer
        if old_type:
            want[peer], got[peer] = w_length_only(want[peer]), w_length_only(got[peer])
        assert got[peer] == want[peer], peer


def test_large_communities(data_dir):
    path = data_dir / "mrt/daemons/mrtparse.bird_bgp"
    want = [f[12] for f in (line.split("|") for line in bgpdump_m(path, "-l"))
            if f[2] == "A"]
    got = []
    for m in rislive_conv.convert(path):
        d = m["data"]
        lc = " ".join(":".join(map(str, c)) for c in d.get("large_community", []))
        got += [lc] * sum(len(a["prefixes"]) for a in d.get("announcements", []))
    assert got == want
    assert "65000:4294967295:100 65000:4294967295:200 65000:4294967295:300" in got


@pytest.mark.parametrize("name", ["ris/rrc00.updates.19990903.1041.gz",
                                  "ris/rrc01.updates.20001104.0124.gz",
                                  "daemons/mrtparse.quagga_bgp"])
def test_peer_states(data_dir, name):
    path = data_dir / "mrt" / name
    want = Counter()
    for f in (line.split("|") for line in bgpdump_m(path)):
        if f[2] == "STATE":
            if f[6] == "6":
                want[(f[3], "connected")] += 1
            elif f[5] == "6":
                want[(f[3], "down")] += 1
    got = Counter((m["data"]["peer"], m["data"]["state"])
                  for m in rislive_conv.convert(path)
                  if m["data"]["type"] == "RIS_PEER_STATE")
    assert want and got == want


def prefixes(buf, afi):
    out, pos = [], 0
    alen = 16 if afi == 2 else 4
    while pos < len(buf):
        plen = buf[pos]
        n = (plen + 7) // 8
        addr = buf[pos + 1:pos + 1 + n].ljust(alen, b"\0")
        out.append(f"{ipaddress.ip_address(addr)}/{plen}")
        pos += 1 + n
    return out


def update_prefixes(raw):
    """A BGP UPDATE's bytes -> (withdrawn, announced) prefixes, IPv4 and
    MP_REACH/MP_UNREACH (RFC 4760)."""
    body = raw[19:]
    wlen = struct.unpack_from(">H", body)[0]
    wd = prefixes(body[2:2 + wlen], 1)
    alen = struct.unpack_from(">H", body, 2 + wlen)[0]
    attrs = body[4 + wlen:4 + wlen + alen]
    ann = prefixes(body[4 + wlen + alen:], 1)
    pos = 0
    while pos < len(attrs):
        flags, code = attrs[pos], attrs[pos + 1]
        if flags & 0x10:
            ln, hl = struct.unpack_from(">H", attrs, pos + 2)[0], 4
        else:
            ln, hl = attrs[pos + 2], 3
        val = attrs[pos + hl:pos + hl + ln]
        afi = struct.unpack_from(">H", val)[0] if code in (14, 15) else 0
        if code == 14:
            nhl = val[3]
            ann += prefixes(val[5 + nhl:], afi)
        elif code == 15:
            wd += prefixes(val[3:], afi)
        pos += hl + ln
    return wd, ann


@pytest.mark.parametrize("name", ["ris/rrc15.updates.20100227.1600.gz",
                                  "ris/rrc00.updates.19990903.1041.gz",
                                  "bgpdump-test/updates.20160811.1600.gz",
                                  "misc/bgpkit-example.updates.bz2"])
def test_one_message_per_update(data_dir, name):
    """No UPDATE split or merged: each message's prefixes are those of its
    raw UPDATE, and every UPDATE with prefixes has its message."""
    path = data_dir / "mrt" / name
    msgs = [m["data"] for m in rislive_conv.convert(path, raw=True)
            if m["data"]["type"] == "UPDATE"]
    both = 0
    for d in msgs:
        wd, ann = update_prefixes(bytes.fromhex(d["raw"]))
        got_ann = [p for a in d.get("announcements", []) for p in a["prefixes"]]
        assert sorted(d.get("withdrawals", [])) == sorted(wd), d["id"]
        assert sorted(got_ann) == sorted(ann), d["id"]
        both += bool(wd and ann)
    raws = rislive_conv.mrt_messages(path).values()
    updates = [r for r in raws if r[18] == 2 and any(update_prefixes(r))]
    assert len(msgs) == len(updates)
    if name.startswith("ris/rrc15"):
        assert both == 27   # UPDATEs that withdraw and announce


def test_shape_matches_real_ris_live(data_dir):
    """Keys, their order and value types as in a real RIS Live UPDATE."""
    real = None
    for line in (data_dir / "rislive/libbgpstream.ris-live-stream.json").open():
        try:
            m = json.loads(line)
        except json.JSONDecodeError:
            continue    # the sample has a cut line
        if m["type"] == "ris_message" and m["data"]["type"] == "UPDATE":
            real = m["data"]
    assert real is not None
    msgs = rislive_conv.convert(data_dir / "mrt/ris/rrc15.updates.20100227.1600.gz",
                                raw=True)
    ours = next(m["data"] for m in msgs if m["data"].keys() == real.keys())
    assert list(ours) == list(real)
    for k in real:
        assert type(ours[k]) is type(real[k]), k
    assert ours["origin"] == real["origin"] == "igp"
    assert ours["raw"] == ours["raw"].upper()
    assert all(type(a) is int for a in ours["path"])


def test_as_sets_and_aggregator(data_dir):
    msgs = rislive_conv.convert(data_dir / "mrt/ris/rrc00.updates.19990903.1041.gz")
    d = next(m["data"] for m in msgs
             if m["data"].get("path", [None])[-1] == [13408, 5752])
    assert d["path"] == [3333, 286, 701, 6499, [13408, 5752]]
    assert d["aggregator"] == "6499:209.160.1.34"
    assert d["origin"] == "incomplete"


def test_cli_writes_compact_json_lines(data_dir):
    path = data_dir / "mrt/misc/bgpkit-example.updates.bz2"
    r = subprocess.run([sys.executable, str(HERE / "rislive_conv.py"), str(path),
                        "--host", "rrc21"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    msgs = rislive_conv.convert(path, host="rrc21")
    assert len(lines) == len(msgs) == 85
    assert [json.loads(line) for line in lines] == msgs
    assert all(", " not in line and ": " not in line for line in lines)
    assert msgs[0]["data"]["host"] == "rrc21"
    assert msgs[0]["data"]["timestamp"] == 1726353018.90849
