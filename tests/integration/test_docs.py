"""The documentation lists what the program does."""
import pathlib

from conftest import run

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"


def test_rfc7606_page_lists_every_reason(bgpsentry):
    r = run(bgpsentry, "decode", "--reasons")
    assert r.returncode == 0
    rows = [line.split("\t") for line in r.stdout.splitlines()]
    assert len(rows) >= 50
    page = (DOCS / "rfc7606.md").read_text()
    for name, action, notif, rfc, text in rows:
        assert f"| `{name}` | {action} | {notif} | {rfc} | {text} |" in page, name
