#!/usr/bin/python3
"""Extra VRPs made from a real export, the same ones each time, so that
the RPKI benchmark loads more than the 723,521 the 2025 export has (the
target is about 800,000): for every 3rd ROA, a one-bit-longer
more-specific of it (the lower or the upper half in turn; no IPv4 past
/24, no IPv6 past /48) authorised for another AS of the export (the
origin of a ROA far from it), as a customer's more-specific announced by
another network looks. The output is rpki-client's JSON, with its
metadata.

  extra_vrps.py VRPS.json EXTRA.json"""
import ipaddress
import json
import os
import sys


def extra(roas):
    out = []
    for i in range(0, len(roas), 3):
        r = roas[i]
        net = ipaddress.ip_network(r["prefix"])
        if net.prefixlen >= (24 if net.version == 4 else 48):
            continue
        half = list(net.subnets(prefixlen_diff=1))[(i // 3) % 2]
        other = roas[(i * 7919 + 13) % len(roas)]["asn"]
        if other == r["asn"]:
            continue
        out.append({"asn": other, "prefix": str(half),
                    "maxLength": half.prefixlen, "ta": r.get("ta", "")})
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extra_vrps.py VRPS.json EXTRA.json")
    with open(sys.argv[1]) as f:
        doc = json.load(f)
    roas = extra(doc["roas"])
    meta = {"buildtime": doc["metadata"]["buildtime"], "roas": len(roas),
            "made_from": os.path.basename(sys.argv[1])}
    with open(sys.argv[2], "w") as f:
        json.dump({"metadata": meta, "roas": roas}, f)
    print(f"extra VRPs: {len(roas)} more-specifics of every 3rd ROA, "
          "for other ASes")


if __name__ == "__main__":
    main()
