"""tcpdump's own expected decodes (the .out files of its regression suite)
for the newer attributes and messages: RFC 9003 shutdown communication,
RFC 9234 role and OTC, RFC 8092 large communities. The messages are taken
from the captures with tshark and decoded by bgpsentry."""
import json
import re
import shutil

import pytest

from conftest import run
from test_tshark import tshark_messages

pytestmark = pytest.mark.skipif(shutil.which("tshark") is None,
                                reason="tshark is not installed")


def decoded(bgpsentry, pcap, mtype, prefs=()):
    out = []
    for _, _, hexmsg, f in tshark_messages(pcap, prefs=prefs):
        r = run(bgpsentry, "decode", "--json", "--check-roundtrip", hexmsg)
        assert r.returncode == 0, r.stderr
        m = json.loads(r.stdout)
        if m["type"] == mtype:
            out.append(m)
    return out


def attr_values(msgs, name):
    return [a["value"] for m in msgs for a in m["attributes"] if a["name"] == name]


def test_shutdown_communication(bgpsentry, data_dir):
    d = data_dir / "bgp-pcap" / "tcpdump"
    want = re.findall(r'subcode ([A-Za-z ]+) \((\d+)\), Shutdown Communication '
                      r'\(length: \d+\): "([^"]*)"',
                      (d / "bgp-shutdown-communication.out").read_text())
    # Both packets carry the same TCP sequence numbers; without this
    # tshark takes the second for a retransmission and skips it.
    msgs = decoded(bgpsentry, d / "bgp-shutdown-communication.pcapng",
                   "NOTIFICATION", prefs=("tcp.analyze_sequence_numbers:FALSE",))
    assert len(want) == 2
    assert [(m["subcode_name"], str(m["subcode"]), m["shutdown_message"])
            for m in msgs] == want


def test_role_and_otc(bgpsentry, data_dir):
    d = data_dir / "bgp-pcap" / "tcpdump"
    out = (d / "bgp-role.out").read_text()
    roles = re.findall(r"Role name (\w+) \(\d+\)", out)
    otcs = [int(x) for x in re.findall(r"OTC (\d+)", out)]
    opens = decoded(bgpsentry, d / "bgp-role.pcapng", "OPEN")
    ours = [c["role"] for m in opens for c in m["capabilities"] if c["code"] == 9]
    assert roles and [r.lower() for r in roles] == ours
    updates = decoded(bgpsentry, d / "bgp-role.pcapng", "UPDATE")
    assert otcs and attr_values(updates, "ONLY_TO_CUSTOMER") == otcs


def test_large_communities(bgpsentry, data_dir):
    d = data_dir / "bgp-pcap" / "tcpdump"
    out = (d / "bgp-large-community.out").read_text()
    want = [line.strip().split(", ") for line in
            re.findall(r"Large Community \(32\).*\n(.*)\n", out)]
    updates = decoded(bgpsentry, d / "bgp-large-community.pcap", "UPDATE")
    assert len(want) >= 3
    assert attr_values(updates, "LARGE_COMMUNITY") == want
