"""The bgpsentry binary as a user runs it: help, version, decode, run."""
import json

from conftest import run

# A real UPDATE (tcpdump's bgp-large-community.pcap): AS_PATH 65536,
# NEXT_HOP 192.0.2.2, two large communities, NLRI 203.0.113.16/32.
LARGE = ("ffffffffffffffffffffffffffffffff004b020000002f400101004002060201000100"
         "00400304c0000202c020180000ffff0000000100000001ffffffffffffffffffffffff"
         "20cb007110")


def test_version(bgpsentry):
    r = run(bgpsentry, "--version")
    assert r.returncode == 0
    assert r.stdout.startswith("bgpsentry 0.1.0")


def test_help_lists_commands(bgpsentry):
    r = run(bgpsentry, "help")
    assert r.returncode == 0
    for cmd in ("run", "decode", "help"):
        assert f"  {cmd} " in r.stdout


def test_help_for_a_command(bgpsentry):
    r = run(bgpsentry, "help", "decode")
    assert r.returncode == 0
    assert "--check-roundtrip" in r.stdout


def test_unknown_command(bgpsentry):
    r = run(bgpsentry, "frobnicate")
    assert r.returncode == 2
    assert "unknown command 'frobnicate'" in r.stderr


def test_decode_text(bgpsentry):
    r = run(bgpsentry, "decode", LARGE)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        "UPDATE length 75",
        "  ORIGIN [flags 0x40]: IGP",
        "  AS_PATH [flags 0x40]: 65536",
        "  NEXT_HOP [flags 0x40]: 192.0.2.2",
        "  LARGE_COMMUNITY [flags 0xc0]: 65535:1:1 4294967295:4294967295:4294967295",
        "  nlri: 203.0.113.16/32",
        "  outcome: none",
    ]


def test_decode_json(bgpsentry):
    r = run(bgpsentry, "decode", "--json", LARGE)
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    assert m["type"] == "UPDATE"
    assert m["length"] == 75
    assert m["outcome"] == "none"
    assert m["nlri"] == ["203.0.113.16/32"]
    assert m["as_path"] == "65536"
    assert m["origin_as"] == 65536
    by_name = {a["name"]: a for a in m["attributes"]}
    assert by_name["LARGE_COMMUNITY"]["value"] == [
        "65535:1:1", "4294967295:4294967295:4294967295"]
    assert by_name["NEXT_HOP"]["value"] == "192.0.2.2"
    assert m["problems"] == []


def test_decode_stdin_with_spaces(bgpsentry):
    spaced = " ".join(LARGE[i:i + 2] for i in range(0, len(LARGE), 2))
    r = run(bgpsentry, "decode", "--check-roundtrip", "-", stdin=spaced + "\n")
    assert r.returncode == 0, r.stderr
    assert "nlri: 203.0.113.16/32" in r.stdout


def test_decode_as2_session(bgpsentry):
    # The AS_PATH bytes 02 01 0001 0000 read with 2-octet ASNs: a segment
    # of AS 1, then a segment of type 0, which RFC 7606 7.2 calls malformed.
    r = run(bgpsentry, "decode", "--as2", "--json", LARGE)
    assert r.returncode == 1
    m = json.loads(r.stdout)
    assert m["outcome"] == "treat-as-withdraw"
    assert [p["reason"] for p in m["problems"]] == [
        "as-path-segment-type", "missing-as-path"]


def test_decode_malformed_exits_1_with_reason(bgpsentry):
    # COMMUNITIES of length 5: RFC 7606 7.8, treat-as-withdraw.
    msg = ("ffffffffffffffffffffffffffffffff0037020000001c40010100400206020100"
           "00fde9400304c0000201c0080500010002ff18c00002")
    r = run(bgpsentry, "decode", "--json", msg)
    assert r.returncode == 1
    assert "COMMUNITIES length is not a non-zero multiple of 4" in r.stderr
    assert "RFC 7606 7.8" in r.stderr
    m = json.loads(r.stdout)
    assert m["outcome"] == "treat-as-withdraw"
    assert m["problems"][0]["reason"] == "communities-length"
    assert m["problems"][0]["notification_code"] == 3


def test_decode_session_reset(bgpsentry):
    r = run(bgpsentry, "decode", "ffffffffffffffffffffffffffffffff001306")
    assert r.returncode == 1
    assert "unknown message type" in r.stderr
    assert "outcome: session-reset" in r.stdout


def test_decode_bad_hex(bgpsentry):
    r = run(bgpsentry, "decode", "ffzz")
    assert r.returncode == 2
    assert "not hex at character 3" in r.stderr


def test_decode_needs_an_argument(bgpsentry):
    r = run(bgpsentry, "decode")
    assert r.returncode == 2
    assert "usage" in r.stderr


def test_run_rejects_unknown_argument(bgpsentry):
    r = run(bgpsentry, "run", "--bogus")
    assert r.returncode == 2
    assert "unknown argument '--bogus'" in r.stderr
