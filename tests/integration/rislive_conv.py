#!/usr/bin/env python3
"""Convert MRT update files to RIPE RIS Live `ris_message` JSON, by way of
the reference decoder: `bgpdump -m -p -l` prints one line per prefix, with
the MRT record number (-p) and large communities (-l); the lines of one
record are one BGP UPDATE, so they become one RIS Live message.

    rislive_conv.py MRT [--host rrc00] [--raw] > out.jsonl

As a module: convert(mrt_path, host="rrc00", raw=False) -> list of
{"type": "ris_message", "data": {...}}, in MRT order.

What bgpdump -m prints, and what becomes of it:
- A line: BGP4MP|rec|time|A|peer|peer_as|prefix|path|origin|next_hop|
  local_pref|med|communities|large_communities|AG/NAG|aggregator|
  The deprecated BGP type (1999) prints no community fields at all.
  BGP4MP_ET prints the time with microseconds.
- W line: BGP4MP|rec|time|W|peer|peer_as|prefix
- STATE line: BGP4MP|rec|time|STATE|peer|peer_as|old|new; entering state
  6 (Established) becomes RIS_PEER_STATE "connected", leaving it "down",
  other transitions have no RIS Live message.
- bgpdump prints the withdrawals of an UPDATE before its announcements, so
  the line order is the UPDATE's own; nothing is reordered.
- bgpdump's W lines for the deprecated BGP type show the peer address as
  the prefix (a bgpdump bug); those withdrawals are read from the record.
- KEEPALIVE, OPEN and NOTIFICATION records print no -m line and are left
  out.
- local_pref and atomic aggregate have no RIS Live field and are dropped.
- origin is written lower case ("igp"), as RIS Live itself does.
"""
import argparse
import bz2
import gzip
import ipaddress
import json
import lzma
import os
import shutil
import struct
import subprocess
import sys

ORIGINS = {"IGP": "igp", "EGP": "egp", "INCOMPLETE": "incomplete"}

# bgpdump, like Zebra, prints these communities by name
WELL_KNOWN = {
    "internet": [0, 0],
    "no-export": [65535, 65281],
    "no-advertise": [65535, 65282],
    "local-AS": [65535, 65283],
}

ESTABLISHED = "6"


def parse_path(text):
    """'1 2 {3,4}' -> [1, 2, [3, 4]]: an AS_SET is a nested list, as in
    RIS Live. bgpdump writes confederation segments in () and []; RIS
    Live has no spelling for them, so they are refused."""
    path = []
    for tok in text.split():
        if tok.startswith("{") and tok.endswith("}"):
            path.append([int(a) for a in tok[1:-1].split(",") if a])
        elif tok.isdigit():
            path.append(int(tok))
        else:
            raise ValueError(f"AS path segment {tok!r} has no RIS Live form")
    return path


def parse_communities(text):
    out = []
    for tok in text.split():
        if tok in WELL_KNOWN:
            out.append(list(WELL_KNOWN[tok]))
        else:
            asn, value = tok.split(":")
            out.append([int(asn), int(value)])
    return out


def parse_large_communities(text):
    return [[int(x) for x in tok.split(":")] for tok in text.split()]


def parse_aggregator(text):
    """'6499 209.160.1.34' -> '6499:209.160.1.34' (RIS Live's spelling)."""
    if not text:
        return None
    asn, addr = text.split()
    return f"{asn}:{addr}"


def parse_attrs(fields):
    """The attributes of an A line, from the AS path on, as a hashable
    tuple: (path, origin, med, communities, large, aggregator)."""
    path, origin, _nh, _lp, med = fields[:5]
    rest = fields[5:]
    # rest: [comm, large, AG, aggr, ''] with -l; [AG, aggr, ''] for the
    # deprecated BGP type, which has no community fields
    if len(rest) == 5:
        comm, large = rest[0], rest[1]
    elif len(rest) == 4:
        comm, large = rest[0], ""
    elif len(rest) == 3:
        comm, large = "", ""
    else:
        raise ValueError(f"unexpected A line: {'|'.join(fields)}")
    return (path, origin, med, comm, large, rest[-2])


def parse_line(line):
    """One `bgpdump -m -p` line -> dict, or None for a line we skip."""
    f = line.rstrip("\n").split("|")
    if len(f) < 7 or f[3] not in ("A", "W", "STATE"):
        return None
    rec = {"mrt": f[0], "rec": int(f[1]), "time": f[2], "kind": f[3],
           "peer": f[4], "peer_asn": f[5]}
    if rec["kind"] == "STATE":
        rec["old"], rec["new"] = f[6], f[7]
        return rec
    rec["prefix"] = f[6]
    if rec["kind"] == "A":
        rec["next_hop"] = f[9]
        rec["attrs"] = parse_attrs(f[7:])
    return rec


def peer_state(rec):
    if rec["new"] == ESTABLISHED:
        return "connected"
    if rec["old"] == ESTABLISHED:
        return "down"
    return None


def header(rec, host, raw):
    data = {
        "timestamp": float(rec["time"]),
        "peer": rec["peer"],
        "peer_asn": rec["peer_asn"],
        "id": f"{rec['peer']}-{rec['time']}-{rec['rec']}",
    }
    if raw is not None:
        data["raw"] = raw.hex().upper()
    data["host"] = host
    return data


def withdrawn_routes(msg):
    """The IPv4 withdrawn routes of a BGP UPDATE's bytes (RFC 4271 4.3)."""
    wlen = struct.unpack_from(">H", msg, 19)[0]
    buf, pos, out = msg[21:21 + wlen], 0, []
    while pos < len(buf):
        plen = buf[pos]
        n = (plen + 7) // 8
        addr = bytes(buf[pos + 1:pos + 1 + n]).ljust(4, b"\0")
        out.append(f"{ipaddress.IPv4Address(addr)}/{plen}")
        pos += 1 + n
    return out


def med_of(msg):
    """The MED of a BGP UPDATE's bytes, or None when it has none (or
    the bytes are not an UPDATE's)."""
    try:
        return _med_of(msg)
    except (struct.error, IndexError):
        return None


def _med_of(msg):
    if len(msg) < 23 or msg[18] != 2:
        return None
    wlen = struct.unpack_from(">H", msg, 19)[0]
    alen = struct.unpack_from(">H", msg, 21 + wlen)[0]
    pos, end = 23 + wlen, 23 + wlen + alen
    while pos + 3 <= end:
        flags, code = msg[pos], msg[pos + 1]
        if flags & 0x10:
            n, pos = struct.unpack_from(">H", msg, pos + 2)[0], pos + 4
        else:
            n, pos = msg[pos + 2], pos + 3
        if code == 4 and n == 4:
            return struct.unpack_from(">I", msg, pos)[0]
        pos += n
    return None


def fix_old_withdrawals(first, wd, msg):
    """bgpdump 1.6.2 -m prints the W lines of the deprecated BGP type
    (MRT type 5) with the peer's address in place of the prefix's (only
    the length is right; -H prints them right), so take the withdrawn
    routes from the record itself."""
    if first["mrt"] != "BGP" or not wd or msg is None:
        return wd
    real = withdrawn_routes(msg)
    if [p.split("/")[1] for p in real] != [p.split("/")[1] for p in wd]:
        raise ValueError(f"record {first['rec']}: withdrawals do not match "
                         "the UPDATE")
    return real


def update_message(lines, host, msg, raw):
    """The lines of one MRT record -> one RIS Live UPDATE; msg is the
    record's BGP message, or None."""
    first = lines[0]
    data = header(first, host, msg if raw else None)
    data["type"] = "UPDATE"
    ann = [r for r in lines if r["kind"] == "A"]
    wd = [r["prefix"] for r in lines if r["kind"] == "W"]
    wd = fix_old_withdrawals(first, wd, msg)
    if ann:
        attrs = ann[0]["attrs"]
        if any(r["attrs"] != attrs for r in ann):
            raise ValueError(f"record {first['rec']}: one UPDATE, two "
                             "attribute sets")
        path, origin, med, comm, large, aggr = attrs
        data["path"] = parse_path(path)
        if comm:
            data["community"] = parse_communities(comm)
        if large:
            data["large_community"] = parse_large_communities(large)
        data["origin"] = ORIGINS.get(origin, origin.lower())
        # bgpdump prints 0 for a missing MED, so 0 and absent look the
        # same: the message itself tells, when it is at hand; else the
        # MED is kept only when it is not 0
        present = med_of(msg) if msg is not None else None
        if present is not None and present == int(med):
            data["med"] = present
        elif int(med):
            data["med"] = int(med)
        aggregator = parse_aggregator(aggr)
        if aggregator:
            data["aggregator"] = aggregator
        # an UPDATE with IPv4 NLRI and MP_REACH has two next hops
        groups = {}
        for r in ann:
            groups.setdefault(r["next_hop"], []).append(r["prefix"])
        data["announcements"] = [{"next_hop": nh, "prefixes": p}
                                 for nh, p in groups.items()]
    if wd:
        data["withdrawals"] = wd
    return {"type": "ris_message", "data": data}


def state_message(rec, host):
    state = peer_state(rec)
    if state is None:
        return None
    data = header(rec, host, None)
    data["type"] = "RIS_PEER_STATE"
    data["state"] = state
    return {"type": "ris_message", "data": data}


def convert_lines(lines, host="rrc00", msgs=None, raw=False):
    """`bgpdump -m -p -l` lines -> RIS Live messages. msgs maps record
    numbers to the records' BGP messages (see mrt_messages): needed for
    raw, and to repair the deprecated type's withdrawals."""
    out, group = [], []

    def flush():
        if group:
            msg = msgs.get(group[0]["rec"]) if msgs is not None else None
            out.append(update_message(group, host, msg, raw))
            group.clear()

    for line in lines:
        rec = parse_line(line)
        if rec is None:
            continue
        if group and rec["rec"] != group[0]["rec"]:
            flush()
        if rec["kind"] == "STATE":
            msg = state_message(rec, host)
            if msg is not None:
                out.append(msg)
            continue
        group.append(rec)
    flush()
    return out


def bgpdump_lines(mrt_path):
    bgpdump = shutil.which("bgpdump")
    if bgpdump is None:
        raise RuntimeError("bgpdump is not installed")
    r = subprocess.run([bgpdump, "-q", "-m", "-p", "-l", str(mrt_path)],
                       capture_output=True, text=True, check=False)
    if r.returncode != 0:
        raise RuntimeError(f"bgpdump failed on {mrt_path}: {r.stderr}")
    return r.stdout.splitlines()


def read_mrt(path):
    with open(path, "rb") as f:
        magic = f.read(6)
    if magic[:2] == b"\x1f\x8b":
        opener = gzip.open
    elif magic[:3] == b"BZh":
        opener = bz2.open
    elif magic == b"\xfd7zXZ\x00":
        opener = lzma.open
    else:
        opener = open
    # a cut compressed file (a damaged download) still yields the records
    # before the cut, as bgpdump reads them
    chunks = []
    with opener(path, "rb") as f:
        try:
            while chunk := f.read(1 << 20):
                chunks.append(chunk)
        except EOFError:
            pass
    return b"".join(chunks)


BGP4MP, BGP4MP_ET, BGP_OLD = 16, 17, 5
# BGP4MP message subtypes (RFC 6396, RFC 8050): AS number width
BGP4MP_AS2 = {1, 6, 8, 10}
BGP4MP_AS4 = {4, 7, 9, 11}
AFI_IP6 = 2
BGP_OLD_UPDATE = 1
MARKER = b"\xff" * 16


def record_message(rtype, subtype, body):
    """The BGP message in one MRT record, or None."""
    if rtype == BGP4MP_ET:
        body = body[4:]         # microseconds
        rtype = BGP4MP
    if rtype == BGP4MP and subtype in BGP4MP_AS2 | BGP4MP_AS4:
        asw = 2 if subtype in BGP4MP_AS2 else 4
        afi = struct.unpack_from(">H", body, 2 * asw + 2)[0]
        alen = 16 if afi == AFI_IP6 else 4
        return body[2 * asw + 4 + 2 * alen:]
    if rtype == BGP_OLD and subtype == BGP_OLD_UPDATE:
        # peer AS, peer IP, local AS, local IP, then the UPDATE without
        # its header, which we put back
        upd = body[12:]
        return MARKER + struct.pack(">HB", 19 + len(upd), 2) + upd
    return None


def mrt_messages(mrt_path):
    """Record number (as bgpdump -p counts: every record, from 0) -> the
    BGP message bytes of that record."""
    buf = read_mrt(mrt_path)
    out, pos, n = {}, 0, 0
    while pos + 12 <= len(buf):
        rtype, subtype, length = struct.unpack_from(">xxxxHHI", buf, pos)
        body = buf[pos + 12:pos + 12 + length]
        if len(body) < length:
            break
        msg = record_message(rtype, subtype, body)
        if msg is not None:
            out[n] = msg
        pos += 12 + length
        n += 1
    return out


def convert(mrt_path, host="rrc00", raw=False):
    lines = bgpdump_lines(mrt_path)
    # the messages themselves: MED presence, the old type's withdrawals
    return convert_lines(lines, host, mrt_messages(mrt_path), raw)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="MRT updates -> RIS Live ris_message JSON lines")
    ap.add_argument("mrt")
    ap.add_argument("--host", default="rrc00")
    ap.add_argument("--raw", action="store_true",
                    help='add the BGP message as hex ("raw")')
    args = ap.parse_args(argv)
    try:
        msgs = convert(args.mrt, args.host, args.raw)
    except (OSError, RuntimeError, ValueError) as e:
        print(f"rislive_conv: {e}", file=sys.stderr)
        return 1
    try:
        for msg in msgs:
            sys.stdout.write(json.dumps(msg, separators=(",", ":")) + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader (head, say) has had enough; keep Python's exit flush
        # from failing again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
