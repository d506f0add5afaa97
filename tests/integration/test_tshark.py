"""Every BGP message in the real captures of ../shared/data (bgp-pcap, and
the BGP messages inside the BMP captures), decoded by bgpsentry and by
tshark's dissector: the key fields must agree, and each message must
re-encode to its own bytes.

tshark reassembles TCP and hands us each message's bytes (bgp_raw); the
session state that changes decoding (4-octet AS, ADD-PATH) is taken from
the OPENs in the same TCP stream, as a BGP speaker would."""
import json
import shutil
import subprocess

import pytest

from conftest import run

TSHARK = shutil.which("tshark")


def leaves(obj, out, key=None):
    """Flattens tshark's nested JSON into field name -> list of values."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if not k.endswith("_raw"):
                leaves(v, out, k)
    elif isinstance(obj, list):
        for x in obj:
            leaves(x, out, key)
    else:
        out.setdefault(key, []).append(obj)
    return out


def bgp_pairs(obj, out):
    """Every (bgp layer, bgp_raw) pair, at any depth (BMP nests them)."""
    if isinstance(obj, dict):
        if "bgp" in obj and "bgp_raw" in obj:
            bgps, raws = obj["bgp"], obj["bgp_raw"]
            if isinstance(bgps, dict):
                bgps, raws = [bgps], [raws]
            out.extend(zip(bgps, raws))
        for k, v in obj.items():
            if k not in ("bgp", "bgp_raw"):
                bgp_pairs(v, out)
    elif isinstance(obj, list):
        for x in obj:
            bgp_pairs(x, out)
    return out


def tshark_messages(pcap, decode_as=(), prefs=()):
    """(stream, src, hex, fields) for every BGP message tshark found."""
    cmd = [TSHARK, "-r", str(pcap), "-Y", "bgp", "-T", "json", "-x",
           "--no-duplicate-keys", "-o", "tcp.desegment_tcp_streams:TRUE"]
    for d in decode_as:
        cmd += ["-d", d]
    for p in prefs:
        cmd += ["-o", p]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300,
                         check=True).stdout
    msgs = []
    for frame in json.loads(out or "[]"):
        layers = frame["_source"]["layers"]
        tcp = leaves(layers.get("tcp", {}), {})
        ip = leaves(layers.get("ip", layers.get("ipv6", {})), {})
        stream = tcp.get("tcp.stream", ["?"])[0]
        src = (ip.get("ip.src", ip.get("ipv6.src", ["?"]))[0],
               tcp.get("tcp.srcport", ["?"])[0])
        for layer, raw in bgp_pairs(layers, []):
            if not isinstance(layer, dict) or "bgp.type" not in layer:
                continue
            if isinstance(raw, list) and raw and isinstance(raw[0], list):
                raw = raw[0]
            msgs.append((stream, src, raw[0], leaves(layer, {})))
    return msgs


def addpath_families(sender, receiver):
    """RFC 7911 4: families where the sender sends and the receiver
    receives path ids; without the receiver's OPEN, trust the sender."""
    fams = set()
    for cap in sender.get("capabilities", []):
        if cap.get("name") != "add-path" or cap.get("malformed"):
            continue
        for f in cap.get("families", []):
            if "send" in f["mode"]:
                fams.add(f'{f["afi"]}-{f["safi"]}')
    if receiver is not None:
        recv = set()
        for cap in receiver.get("capabilities", []):
            if cap.get("name") == "add-path":
                for f in cap.get("families", []):
                    if "receive" in f["mode"]:
                        recv.add(f'{f["afi"]}-{f["safi"]}')
        fams &= recv
    return sorted(f for f in fams if f.endswith(("unicast", "multicast")))


def has_as4(open_msg):
    return any(c.get("code") == 65 for c in open_msg.get("capabilities", []))


def session_args(opens, stream, src):
    mine = opens.get((stream, src))
    other = next((o for (s, k), o in opens.items() if s == stream and k != src), None)
    args = []
    if mine is not None and other is not None and not (has_as4(mine) and has_as4(other)):
        args.append("--as2")
    if mine is not None:
        fams = addpath_families(mine, other)
        if fams:
            args += ["--addpath", ",".join(fams)]
    return args, mine is not None and other is not None


def decode(bgpsentry, hexmsg, args):
    r = run(bgpsentry, "decode", "--json", "--check-roundtrip", *args, hexmsg)
    assert r.returncode != 3, f"re-encoding differs: {r.stderr}"
    return json.loads(r.stdout), r


def prefixes(fields, name, lens):
    return [f"{p}/{n}" for p, n in zip(fields.get(name, []), lens)]


def compare(m, f):
    """The fields both decoders report; returns how many were compared."""
    n = 0
    assert m["type"] == {"1": "OPEN", "2": "UPDATE", "3": "NOTIFICATION",
                         "4": "KEEPALIVE", "5": "ROUTE-REFRESH"}[f["bgp.type"][0]]
    assert m["length"] == int(f["bgp.length"][0])
    n += 2
    if m["type"] == "OPEN":
        assert m["my_as"] == int(f["bgp.open.myas"][0])
        assert m["hold_time"] == int(f["bgp.open.holdtime"][0])
        assert m["bgp_id"] == f["bgp.open.identifier"][0]
        assert [c["code"] for c in m["capabilities"]] == [
            int(x) for x in f.get("bgp.cap.type", [])]
        n += 4
    elif m["type"] == "UPDATE":
        attrs = m["attributes"]
        assert [a["type"] for a in attrs] == [
            int(x) for x in f.get("bgp.update.path_attribute.type_code", [])]
        assert [a["flags"] for a in attrs] == [
            int(x, 16) for x in f.get("bgp.update.path_attribute.flags", [])]
        n += 2
        by = {a["type"]: a for a in attrs}
        if "bgp.update.path_attribute.origin" in f:
            assert by[1]["value"] == ["IGP", "EGP", "INCOMPLETE"][
                int(f["bgp.update.path_attribute.origin"][0])]
            n += 1
        if "bgp.update.path_attribute.next_hop" in f and 3 in by:
            assert by[3]["value"] == f["bgp.update.path_attribute.next_hop"][0]
            n += 1
        if "bgp.update.path_attribute.multi_exit_disc" in f:
            assert by[4]["value"] == int(f["bgp.update.path_attribute.multi_exit_disc"][0])
            n += 1
        if "bgp.update.path_attribute.local_pref" in f:
            assert by[5]["value"] == int(f["bgp.update.path_attribute.local_pref"][0])
            n += 1
        if "bgp.nlri_prefix" in f and not any(a["type"] in (14, 15) for a in attrs):
            lens = f.get("bgp.prefix_length", [])
            ours = [p if isinstance(p, str) else p["prefix"] for p in m["nlri"]]
            ours += [p if isinstance(p, str) else p["prefix"] for p in m["withdrawn"]]
            assert sorted(ours) == sorted(prefixes(f, "bgp.nlri_prefix", lens))
            n += 1
        # Families other than unicast/multicast (labeled, VPN, EVPN) are
        # kept as raw NLRI bytes: nothing to compare there.
        if "bgp.mp_reach_nlri_ipv6_prefix" in f and 14 in by and \
                "nlri" in by[14]["value"]:
            ours = [p if isinstance(p, str) else p["prefix"]
                    for p in by[14]["value"].get("nlri", [])]
            assert [p.split("/")[0] for p in ours] == \
                f["bgp.mp_reach_nlri_ipv6_prefix"]
            n += 1
        if "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6" in f and 14 in by:
            nh = by[14]["value"]["next_hop"]
            assert nh[0] == f["bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6"][0]
            ll = f.get("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local")
            if ll:
                assert nh[1] == ll[0]
            n += 1
    elif m["type"] == "NOTIFICATION":
        assert m["code"] == int(f["bgp.notify.major_error"][0])
        sub = next((v for k, v in f.items() if k.startswith("bgp.notify.minor_")), None)
        if sub:
            assert m["subcode"] == int(sub[0])
            n += 1
        n += 1
    return n


# Crafted captures that break RFC 7606 on purpose: (capture, message
# index) -> the reason bgpsentry must give. tcpdump's ADD-PATH sample has
# two MP_REACH_NLRI attributes (3.g: session reset) and a zero-length
# NEXT_HOP.
MALFORMED = {
    ("bgp-addpath.pcap", 0): "mp-attribute-duplicate",
}

SYNTAX = {"withdrawn-syntax", "nlri-syntax", "mp-reach-nlri", "mp-unreach-nlri",
          "as-path-overrun", "as-path-segment-type", "aggregator-length"}


def decode_guessing(bgpsentry, hexmsg, args, known):
    """Decodes with the session from the OPENs; without them (a capture
    that starts mid-session), tries 2-octet AS and ADD-PATH as tshark and
    tcpdump do, and keeps the first reading that parses."""
    attempts = [args]
    if not known:
        attempts += [args + ["--as2"], args + ["--addpath", "all"],
                     args + ["--as2", "--addpath", "all"]]
    results = [decode(bgpsentry, hexmsg, a) for a in attempts]
    for m, r in results:
        if m["outcome"] in ("none", "attribute-discard"):
            return m, r
    for m, r in results:
        if not m["problems"] or m["problems"][0]["reason"] not in SYNTAX:
            return m, r
    return results[0]


def check_capture(bgpsentry, pcap, decode_as, tally):
    """Decodes every BGP message of one capture and compares it. In BMP
    the messages of many peers share one TCP stream, so no session state
    is carried over there: each message is read as tshark reads it."""
    opens = {}
    bmp = bool(decode_as)
    for i, (stream, src, hexmsg, f) in enumerate(tshark_messages(pcap, decode_as)):
        args, known = ([], False) if bmp else session_args(opens, stream, src)
        m, r = decode_guessing(bgpsentry, hexmsg, args, known)
        tally["total"] += 1
        tally[m["type"]] = tally.get(m["type"], 0) + 1
        want = MALFORMED.get((pcap.name, i))
        if want is not None:
            assert want in [p["reason"] for p in m["problems"]], r.stdout
            tally["malformed"] += 1
            continue
        assert m["outcome"] in ("none", "attribute-discard"), \
            f"{pcap.name} message {i}: {r.stdout} {r.stderr}"
        if m["type"] == "OPEN" and not bmp:
            opens[(stream, src)] = m
        tally["fields"] += compare(m, f)


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")
def test_every_captured_bgp_message_matches_tshark(bgpsentry, data_dir):
    pcaps = sorted(p for p in (data_dir / "bgp-pcap").rglob("*")
                   if p.suffix in (".pcap", ".cap", ".pcapng"))
    assert pcaps, "no captures found"
    tally = {"total": 0, "fields": 0, "malformed": 0}
    for pcap in pcaps:
        check_capture(bgpsentry, pcap, (), tally)
    print(f"BGP captures: {tally}")
    assert tally["malformed"] == len(MALFORMED)
    assert tally["total"] >= 250
    assert tally.get("UPDATE", 0) >= 100 and tally.get("OPEN", 0) >= 20
    assert tally.get("NOTIFICATION", 0) >= 1


@pytest.mark.skipif(TSHARK is None, reason="tshark is not installed")
def test_every_bgp_message_inside_bmp_matches_tshark(bgpsentry, data_dir):
    """The BMP captures carry BGP UPDATEs (route monitoring) and OPENs
    (peer up) from Cisco, Huawei and other routers."""
    pcaps = sorted((data_dir / "bmp").rglob("*.pcap"))
    assert pcaps, "no BMP captures found"
    tally = {"total": 0, "fields": 0, "malformed": 0}
    for pcap in pcaps:
        check_capture(bgpsentry, pcap, ("tcp.port==1790,bmp",), tally)
    print(f"BMP captures: {tally}")
    assert tally["total"] >= 1000
    assert tally.get("UPDATE", 0) >= 900 and tally.get("OPEN", 0) >= 100


def test_ris_live_raw_updates_match_ris_json(bgpsentry, data_dir):
    """RIS Live messages carry the raw UPDATE next to RIPE's own decode:
    path, origin, next hop and prefixes must match it."""
    checked = broken = 0
    for line in (data_dir / "rislive" / "libbgpstream.ris-live-stream.json").open():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            broken += 1     # the sample has a cut line on purpose
            continue
        d = msg.get("data", {})
        if "raw" not in d or d.get("type") != "UPDATE":
            continue
        m, r = decode(bgpsentry, d["raw"], [])
        assert m["outcome"] == "none", r.stderr
        assert m["as_path"] == " ".join(str(a) for a in d["path"])
        by = {a["name"]: a for a in m["attributes"]}
        assert by["ORIGIN"]["value"].lower() == d["origin"]
        for ann in d.get("announcements", []):
            if ":" in ann["next_hop"]:
                nlri = by["MP_REACH_NLRI"]["value"]["nlri"]
                assert ann["next_hop"] in by["MP_REACH_NLRI"]["value"]["next_hop"]
            else:
                nlri = m["nlri"]
                assert by["NEXT_HOP"]["value"] == ann["next_hop"]
            assert sorted(ann["prefixes"]) == sorted(nlri)
        checked += 1
    assert checked >= 1 and broken <= 1
