#!/usr/bin/python3
"""Rewrites the reason table in docs/rfc7606.md from `bgpsentry decode
--reasons` (tests/integration/test_docs.py checks that they agree).
Usage: scripts/update-rfc7606-doc.py [path/to/bgpsentry]"""
import pathlib
import subprocess
import sys

root = pathlib.Path(__file__).resolve().parents[1]
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / "build" / "bgpsentry")
page = root / "docs" / "rfc7606.md"
sep = "| --- | --- | --- | --- | --- |\n"
head, rest = page.read_text().split(sep, 1)
notes = rest[rest.index("\nNotes:"):]
rows = subprocess.run([binary, "decode", "--reasons"], capture_output=True,
                      text=True, check=True).stdout.splitlines()
table = "".join("| `%s` | %s | %s | %s | %s |\n" % tuple(r.split("\t")) for r in rows)
page.write_text(head + sep + table + notes)
