"""What the daemon does for the web UI: its files at / (api.ui_dir), and
the recent source events (/api/v1/events) its overview shows. The pages
themselves are tested in a browser (ui/e2e)."""
import json
import shutil
import subprocess
import urllib.request

from test_bgp import follows_the_openapi_document
from test_daemon import UPDATES, mrt_config, source
from test_daemon import daemon  # noqa: F401  (the fixture)

READ_TOKEN = "read-token-0123456789"


def raw(d, path, token=None):
    """Status, headers (lower-case names) and body bytes."""
    req = urllib.request.Request(f"http://127.0.0.1:{d.port}{path}")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, \
                r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def ui_tree(tmp_path):
    ui = tmp_path / "ui"
    (ui / "assets").mkdir(parents=True)
    (ui / "index.html").write_text("<!doctype html><title>bgpsentry</title>")
    (ui / "assets" / "index-4f2a9c.js").write_text("export const x = 1;\n")
    (ui / "assets" / "index-77aa01.css").write_text("body{margin:0}\n")
    (ui / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (ui / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (ui / ".secret").write_text("hidden")
    (tmp_path / "outside.txt").write_text("not the UI's")
    (ui / "link.txt").symlink_to(tmp_path / "outside.txt")
    (ui / "linkdir").symlink_to(tmp_path)       # a directory outside
    return ui


def test_ui_files_are_served_with_their_types_and_caching(daemon, data_dir,
                                                          tmp_path):
    ui = ui_tree(tmp_path)
    d = daemon(mrt_config(data_dir).replace(
        "api:\n", f"api:\n  ui_dir: {ui}\n  tokens:\n"
        f"    - {{name: viewer, token: {READ_TOKEN}}}\n"))
    # the page and its files need no token (they hold no data) ...
    for path, ctype, body in [
            ("/", "text/html", (ui / "index.html").read_bytes()),
            ("/index.html", "text/html", (ui / "index.html").read_bytes()),
            ("/assets/index-4f2a9c.js", "text/javascript",
             (ui / "assets" / "index-4f2a9c.js").read_bytes()),
            ("/assets/index-77aa01.css", "text/css",
             (ui / "assets" / "index-77aa01.css").read_bytes()),
            ("/favicon.svg", "image/svg+xml",
             (ui / "favicon.svg").read_bytes()),
            ("/logo.png", "image/png", (ui / "logo.png").read_bytes())]:
        status, h, got = raw(d, path)
        assert status == 200, path
        assert h["content-type"].startswith(ctype), (path, h)
        assert got == body, path
        assert h["x-content-type-options"] == "nosniff"
        # hashed assets for ever, the rest asked again each time
        if path.startswith("/assets/"):
            assert h["cache-control"] == "public, max-age=31536000, immutable"
        else:
            assert h["cache-control"] == "no-cache"
    status, h, _ = raw(d, "/")
    assert "default-src 'self'" in h["content-security-policy"]
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    # ... while the API still does
    assert raw(d, "/api/v1/sources")[0] == 401
    assert raw(d, "/api/v1/sources", READ_TOKEN)[0] == 200
    # a page rebuilt is served at once
    (ui / "index.html").write_text("<!doctype html><title>v2</title>")
    assert raw(d, "/")[2] == b"<!doctype html><title>v2</title>"
    # nothing but the UI's own files
    for path in ["/.secret", "/assets/../../outside.txt", "/link.txt",
                 "/linkdir/outside.txt", "/linkdir/ui/index.html",
                 "/assets/", "/assets", "/nope.js", "/a%20b", "/a~b",
                 "/%2e%2e/outside.txt", "/api", "/assets/x/../../.secret"]:
        status, h, body = raw(d, path)
        assert status == 404, (path, status, body)
        assert json.loads(body)["status"] == 404
    # a NUL in the path: the HTTP library refuses the request itself
    try:
        assert raw(d, "/a%00b")[0] != 200
    except ConnectionError:
        pass
    # the API's own paths are not files
    assert raw(d, "/healthz")[0] == 200
    assert raw(d, "/api/v1/nope", READ_TOKEN)[0] == 404


def test_no_ui_says_so(daemon, data_dir, tmp_path):
    d = daemon(mrt_config(data_dir).replace(
        "api:\n", f"api:\n  ui_dir: {tmp_path / 'not-built'}\n"))
    status, _, body = raw(d, "/")
    assert status == 404
    assert "no web UI" in json.loads(body)["error"]
    assert "make ui" in json.loads(body)["error"]
    assert "no web UI at" in d.logtext()
    # turned off
    d2 = daemon(mrt_config(data_dir).replace("api:\n", "api:\n  ui_dir: ''\n"))
    status, _, body = raw(d2, "/")
    assert status == 404
    assert "api.ui_dir is not set" in json.loads(body)["error"]
    assert "ui=none" in d2.logtext()


def test_source_events(daemon, bgpsentry, data_dir, tmp_path):
    """Each source's changes of state, in order, numbered; `after` gives
    what is newer; a reload's removals are there too."""
    d = daemon(mrt_config(data_dir, f"""  - name: broken
    type: mrt
    files: [{tmp_path / "missing.mrt"}]
"""))
    d.wait_for(lambda: source(d, "broken")["failures"] >= 1, "a failure")
    d.wait_for(lambda: source(d, "rv")["state"] in ("done", "degraded"),
               "the replay")
    d.wait_for(lambda: any(e["source"] == "broken" and e["to"] == "down"
                           for e in d.json("/api/v1/events")["events"]),
               "the broken source's event")
    ev = d.json("/api/v1/events")
    follows_the_openapi_document(d, "SourceEvents", [ev])
    stats = d.json("/api/v1/stats")
    follows_the_openapi_document(d, "Stats", [stats])
    assert stats["prefixes"]["ipv4"] > 0 and stats["prefixes"]["ipv6"] == 0
    seqs = [e["seq"] for e in ev["events"]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert ev["last_seq"] == seqs[-1] and ev["first_seq"] == 1
    times = [e["time_us"] for e in ev["events"]]
    assert times == sorted(times)

    def path_of(name):
        return [(e["from"], e["to"]) for e in ev["events"]
                if e["source"] == name]
    assert path_of("rv")[0] == ("", "starting")
    assert path_of("rv")[-1][1] == source(d, "rv")["state"]
    broken = [e for e in ev["events"] if e["source"] == "broken"]
    assert (broken[0]["from"], broken[0]["to"]) == ("", "starting")
    down = next(e for e in broken if e["to"] == "down")
    assert "No such file" in down["detail"] and down["kind"] == "mrt"
    # each change follows the one before
    for name in ("rv", "broken"):
        p = path_of(name)
        assert all(a[1] == b[0] for a, b in zip(p, p[1:])), p
    # the file appears: down -> ... -> done
    shutil.copy(data_dir / UPDATES, tmp_path / "missing.mrt")
    d.wait_for(lambda: source(d, "broken")["state"] == "done", "the retry",
               timeout=40)
    d.wait_for(lambda: d.json(f"/api/v1/events?after={ev['last_seq']}")
               ["events"], "newer events")
    newer = d.json(f"/api/v1/events?after={ev['last_seq']}")["events"]
    assert newer[0]["seq"] == ev["last_seq"] + 1
    assert newer[-1]["source"] == "broken" and newer[-1]["to"] == "done"
    assert newer[-1]["detail"] == ""
    # removed by a reload
    last = d.json("/api/v1/events")["last_seq"]
    d.write(mrt_config(data_dir))
    assert d.get("/api/v1/reload", method="POST")[0] == 200
    gone = d.json(f"/api/v1/events?after={last}")["events"]
    assert [(e["source"], e["from"], e["to"], e["detail"]) for e in gone] == \
        [("broken", "done", "removed", "removed from the configuration")]
    # limit keeps the newest; text for the CLI
    two = d.json("/api/v1/events?limit=2")["events"]
    assert [e["seq"] for e in two] == [last, last + 1]
    status, text = d.get("/api/v1/events?format=text")
    assert status == 200
    assert "broken" in text and "done -> removed" in text
    cli = subprocess.run([bgpsentry, "events", "--api",
                          f"http://127.0.0.1:{d.port}"], capture_output=True,
                         text=True, timeout=30)
    assert cli.returncode == 0 and cli.stdout == text
    cli = subprocess.run([bgpsentry, "events", "--json", "--api",
                          f"http://127.0.0.1:{d.port}"], capture_output=True,
                         text=True, timeout=30)
    assert json.loads(cli.stdout)["last_seq"] == last + 1
    for bad, msg in [("limit=0", "'limit'"), ("limit=5000", "'limit'"),
                     ("after=x", "'after'"), ("bogus=1", "'bogus'"),
                     ("format=xml", "'format'")]:
        status, body = d.get(f"/api/v1/events?{bad}")
        assert status == 400 and msg in json.loads(body)["error"], bad
