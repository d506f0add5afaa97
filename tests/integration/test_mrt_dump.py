"""`bgpsentry mrt dump` against bgpdump (Debian 1.6.2) on every MRT file in
../shared/data: -m and -M must be byte-identical, and --json must carry
the same route elements."""
import difflib
import json
import shutil
import struct
import subprocess

import pytest

from conftest import run

BGPDUMP = shutil.which("bgpdump")

def mrt_files(data_dir):
    return sorted(p for p in (data_dir / "mrt").rglob("*")
                  if p.is_file() and not p.name.endswith((".txt", ".txt.gz", ".md", ".rst")))


def bgpdump(flag, path):
    return subprocess.run([BGPDUMP, flag, str(path)], capture_output=True,
                          timeout=600).stdout


def ours(bgpsentry, flag, path):
    r = subprocess.run([bgpsentry, "mrt", "dump", flag, str(path)],
                       capture_output=True, timeout=600)
    return r.stdout, r.returncode, r.stderr.decode()


@pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")
@pytest.mark.parametrize("flag", ["-m", "-M"])
def test_identical_to_bgpdump(bgpsentry, data_dir, flag):
    files = mrt_files(data_dir)
    assert len(files) >= 19
    same, differ = [], []
    for path in files:
        want = bgpdump(flag, path)
        got, rc, err = ours(bgpsentry, flag, path)
        assert rc in (0, 1), err
        (same if got == want else differ).append(path.name)
    assert differ == [], f"differ from bgpdump: {differ}"
    assert len(same) == len(files)


def bgp4mp_update(attrs, nlri):
    """One BGP4MP MESSAGE_AS4 record from 192.0.2.1 (AS 65001) carrying
    an UPDATE with these path attributes and IPv4 NLRI."""
    body = struct.pack("!HH", 0, len(attrs)) + attrs + nlri
    msg = b"\xff" * 16 + struct.pack("!HB", 19 + len(body), 2) + body
    rec = struct.pack("!IIHH", 65001, 65000, 0, 1) + bytes([192, 0, 2, 1]) \
        + bytes([192, 0, 2, 2]) + msg
    return struct.pack("!IHHI", 1700000000, 16, 4, len(rec)) + rec


@pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")
@pytest.mark.parametrize("flag", ["-m", "-M"])
def test_overlong_prefixes_as_bgpdump(bgpsentry, tmp_path, flag):
    """Prefix lengths over the family's bits: bgpdump reads ceil(len/8)
    bytes into its 16-byte address and on over the length that follows,
    so byte 17 becomes the printed length; the prefixes after it are
    still read. BIRD's ADD-PATH IPv6 file (mrtparse.bird6_bgp) depends on
    this; here each case is built alone."""
    base = bytes.fromhex("40010100" "4002060201 0000fde9".replace(" ", "")
                         + "4003040a000001")
    v4 = bytes([40, 1, 2, 3, 4, 5, 200]) + bytes(range(1, 26)) \
        + bytes([24, 192, 0, 2])
    mp = bytes.fromhex("00020110" + "20010db8" + "00" * 11 + "01" + "00") \
        + bytes([136]) + bytes(range(1, 18)) + bytes([32, 0x20, 0x01, 0x0d, 0xb8])
    mp_attr = bytes([0x80, 0x0e, len(mp)]) + mp
    path = tmp_path / "overlong.mrt"
    path.write_bytes(bgp4mp_update(base, v4) + bgp4mp_update(base + mp_attr, b""))
    want = bgpdump(flag, path).decode()
    got = ours(bgpsentry, flag, path)[0].decode()
    assert got == want
    prefixes = [line.split("|")[5] for line in got.splitlines()]
    assert prefixes == ["1.2.3.4/40", "1.2.3.4/17", "192.0.2.0/24",
                        "102:304:506:708:90a:b0c:d0e:f10/17", "2001:db8::/32"]


def test_problems_name_offset_and_peer(bgpsentry, data_dir, tmp_path):
    """What is skipped or repaired is reported on stderr with the byte
    offset of its record and the VP it came from, then counted per file."""
    base = bytes.fromhex("400101004002060201" "0000fde9" "4003040a000001")
    good = bgp4mp_update(base, bytes([24, 192, 0, 2]))
    bad = bgp4mp_update(base, bytes([33, 1, 2, 3, 4, 5]))  # /33 in IPv4
    path = tmp_path / "bad.mrt"
    path.write_bytes(good + bad + good)
    got, rc, err = ours(bgpsentry, "--json", path)
    assert rc == 0 and got.count(b"\n") == 2
    lines = err.splitlines()
    assert lines[0] == (
        f"bgpsentry mrt dump: {path}: record at byte offset {len(good)} "
        "(type 16 subtype 4), peer 192.0.2.1 AS65001: RFC 7606 "
        "session-reset: nlri-syntax; not used")
    assert lines[1] == (
        f"bgpsentry mrt dump: {path}: 3 records, 2 elements; skipped 0 "
        "records of types not read and 0 that do not parse; 1 BGP messages "
        "or RIB entries with RFC 7606 problems")
    assert len(lines) == 2
    # bgpdump's reading keeps the /33 (as 1.2.3.4/33)
    got, rc, err = ours(bgpsentry, "-m", path)
    assert b"|1.2.3.4/33|" in got and "read on as bgpdump does" in err
    # -q: the summary only
    r = run(bgpsentry, "mrt", "dump", "-q", str(path))
    assert r.returncode == 0 and len(r.stderr.splitlines()) == 1
    # RIB_GENERIC of a VPN family: skipped as a type not read
    vpn = data_dir / "mrt/daemons/mrtparse.openbgpd_rib_table-v2"
    err = ours(bgpsentry, "--json", vpn)[2]
    assert err.count("RIB_GENERIC family other than IPv4/IPv6 unicast/"
                     "multicast not read; skipped") == 2
    assert "skipped 2 records of types not read and 0 that do not parse" \
        in err


def test_problem_lines_are_capped(bgpsentry, tmp_path):
    base = bytes.fromhex("400101004002060201" "0000fde9" "4003040a000001")
    path = tmp_path / "many.mrt"
    path.write_bytes(bgp4mp_update(base, bytes([33, 1, 2, 3, 4, 5])) * 25)
    err = ours(bgpsentry, "--json", path)[2].splitlines()
    assert len(err) == 11 and err[-1].endswith("(15 not shown)")


def test_truncated_file_reports_offset(bgpsentry, data_dir):
    path = data_dir / "mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2"
    got, rc, err = ours(bgpsentry, "-m", path)
    assert rc == 1
    assert "at byte offset 15273283" in err and "truncated" in err
    assert got.count(b"\n") == 270005


def test_json_elements(bgpsentry, data_dir):
    path = data_dir / "mrt/bgpdump-test/bview.ipv4_unicast_add_path.gz"
    r = run(bgpsentry, "mrt", "dump", "--json", str(path))
    assert r.returncode == 0, r.stderr
    elems = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(elems) == 62
    e = elems[0]
    assert e == {
        "type": "rib", "timestamp": 1452168107, "peer_ip": "10.0.15.1",
        "peer_asn": 65015, "prefix": "10.0.10.0/24", "path_id": 36,
        "as_path": "65015 65014 65013 65012 65011", "origin_asns": [65011],
        "origin": "IGP", "next_hop": "10.0.15.1", "communities": [],
        "large_communities": [], "local_pref": 100,
        "atomic_aggregate": False}


def test_json_updates_with_microseconds(bgpsentry, data_dir):
    path = data_dir / "mrt/misc/bgpkit-example.updates.bz2"
    r = run(bgpsentry, "mrt", "dump", str(path))
    elems = [json.loads(line) for line in r.stdout.splitlines()]
    kinds = [e["type"] for e in elems]
    assert kinds.count("announce") == 159 and kinds.count("withdraw") == 109
    assert elems[0]["timestamp"] == 1726353018.90849
    assert all("as_path" not in e for e in elems if e["type"] == "withdraw")


def test_filters(bgpsentry, data_dir):
    path = str(data_dir / "mrt/bgpdump-test/bview.ipv4_unicast_add_path.gz")

    def count(*args):
        r = run(bgpsentry, "mrt", "dump", *args, path)
        assert r.returncode == 0, r.stderr
        return [json.loads(line) for line in r.stdout.splitlines()]

    exact = count("--prefix", "10.0.10.0/24")
    assert exact and {e["prefix"] for e in exact} == {"10.0.10.0/24"}
    more = count("--prefix", "10.0.0.0/16", "--more-specifics")
    assert len(more) == 62
    less = count("--prefix", "10.0.10.128/25", "--less-specifics")
    assert {e["prefix"] for e in less} == {"10.0.10.0/24"}
    assert count("--prefix", "10.0.10.128/25") == []
    origin = count("--origin-asn", "65011")
    assert origin and all(e["origin_asns"] == [65011] for e in origin)
    peer = count("--peer-asn", "65015")
    assert peer and all(e["peer_asn"] == 65015 for e in peer)
    assert count("--type", "announce") == []
    assert len(count("--type", "rib")) == 62


def test_filter_errors(bgpsentry):
    for args, msg in ((["--prefix", "10.0.0.0"], "is not a prefix"),
                      (["--prefix", "10.0.0.0/8x"], "is not a prefix"),
                      (["--prefix", "10.0.0.0/"], "is not a prefix"),
                      (["--prefix", "10.0.0.0/33"], "is not a prefix"),
                      (["--peer-asn", "x"], "is not an AS number"),
                      (["--type", "bogus"], "expected announce")):
        r = run(bgpsentry, "mrt", "dump", *args, "/dev/null")
        assert r.returncode == 2 and msg in r.stderr
    r = run(bgpsentry, "mrt", "dump", "/nonexistent.mrt")
    assert r.returncode == 2 and "No such file" in r.stderr


def test_stdin_and_several_files(bgpsentry, data_dir):
    a = data_dir / "mrt/daemons/mrtparse.quagga_rib"
    b = data_dir / "mrt/misc/bgpkit-example.updates.bz2"
    with open(b, "rb") as f:
        piped = subprocess.run([bgpsentry, "mrt", "dump", "-m", "-"], stdin=f,
                               capture_output=True, timeout=60).stdout
    assert piped == ours(bgpsentry, "-m", b)[0]
    both = subprocess.run([bgpsentry, "mrt", "dump", "-m", str(a), str(b)],
                          capture_output=True, timeout=60).stdout
    assert both == ours(bgpsentry, "-m", a)[0] + piped
