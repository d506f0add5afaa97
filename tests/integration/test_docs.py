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


def test_configuration_examples_are_valid(bgpsentry, tmp_path):
    """The example in docs/configuration.md and dist/bgpsentry.yaml pass
    `config check`; so does every key the reference tables name."""
    import re
    page = (DOCS / "configuration.md").read_text()
    example = re.search(r"## Example\n\n```yaml\n(.*?)```", page, re.S)
    f = tmp_path / "example.yaml"
    f.write_text(example.group(1))
    r = run(bgpsentry, "config", "check", str(f))
    assert r.returncode == 0, r.stderr
    sample = DOCS.parent / "dist" / "bgpsentry.yaml"
    r = run(bgpsentry, "config", "check", str(sample))
    assert r.returncode == 0, r.stderr
    # each key of the tables is one the loader knows: an unknown one
    # would be named in the error for a made-up key of its section
    sections = {"log": "log:\n  nosuchkey: 1\n",
                "api": "api:\n  nosuchkey: 1\n",
                "sources": "sources:\n  - nosuchkey: 1\n",
                "bgp": "sources:\n  - type: bgp\n    nosuchkey: 1\n",
                "peers": "sources:\n  - type: bgp\n    peers:\n"
                         "      - nosuchkey: 1\n",
                "bmp": "sources:\n  - type: bmp\n    nosuchkey: 1\n",
                "rislive": "sources:\n  - type: rislive\n    nosuchkey: 1\n",
                "sub": "sources:\n  - type: rislive\n    subscriptions:\n"
                       "      - nosuchkey: 1\n",
                "monitor": "monitor:\n  nosuchkey: 1\n",
                "rpki": "rpki:\n  nosuchkey: 1\n",
                "rpki_json": "rpki:\n  sources:\n    - type: json\n"
                             "      nosuchkey: 1\n",
                "rpki_rtr": "rpki:\n  sources:\n    - type: rtr\n"
                            "      nosuchkey: 1\n",
                "top": "nosuchkey: 1\n"}
    known = {}
    for sec, text in sections.items():
        f.write_text(text)
        err = run(bgpsentry, "config", "check", str(f)).stderr
        known[sec] = set(re.search(r"expected one of: ([^)]*)", err)
                         .group(1).split(", "))
    for sec, heading in (("top", "### Top level"), ("log", "### `log`"),
                         ("api", "### `api`"), ("sources", "### `sources`\n"),
                         ("bgp", "### `sources` of type `bgp`"),
                         ("peers", "### `peers`"),
                         ("bmp", "### `sources` of type `bmp`"),
                         ("rislive", "### `sources` of type `rislive`"),
                         ("monitor", "### `monitor`")):
        table = page.split(heading, 1)[1].split("###", 1)[0]
        keys = set(re.findall(r"^\| `([a-z_]+)` \|", table, re.M))
        assert keys == known[sec], (sec, keys ^ known[sec])
    # the rpki section's three tables: its own, json's, rtr's
    rpki = page.split("### `rpki`", 1)[1].split("\n### ", 1)[0]
    tables = [set(re.findall(r"^\| `([a-z_]+)` \|", t, re.M))
              for t in re.split(r"\n\n(?=\| key)", rpki)[1:]]
    assert tables == [known["rpki"], known["rpki_json"],
                      known["rpki_rtr"]], tables
    # the subscription keys, named in the rislive table's row
    row = re.search(r"^\| `subscriptions` \|.*$", page, re.M).group(0)
    for k in known["sub"]:
        assert f"`{k}`" in row, k


def test_man_pages_render_and_list_every_command(bgpsentry):
    import shutil
    import subprocess
    dist = DOCS.parent / "dist"
    groff = shutil.which("groff")
    for page in ("bgpsentry.1", "bgpsentry.yaml.5"):
        if groff:
            r = subprocess.run([groff, "-man", "-ww", "-z", str(dist / page)],
                               capture_output=True, text=True)
            assert r.returncode == 0 and r.stderr == "", (page, r.stderr)
    man = (dist / "bgpsentry.1").read_text()
    r = run(bgpsentry, "help")
    commands = [line.split()[0] for line in r.stdout.splitlines()
                if line.startswith("  ") and line.split()[0] != "help"]
    assert len(commands) >= 10
    import re
    for c in commands:       # named in a bold line of the page
        assert re.search(rf"^\.BR? .*\b{c}\b", man, re.M), c


def test_operations_names_every_fuzz_target_and_benchmark():
    """docs/operations.md's `make fuzz` and `make bench` rows name what
    the fuzz targets (tests/fuzz/CMakeLists.txt) and the benchmark
    scripts (the Makefile's bench target) cover, and its sections name
    each target and script."""
    import re
    root = DOCS.parent
    ops = (DOCS / "operations.md").read_text()
    row = {m.group(1): m.group(2) for m in re.finditer(
        r"^\| `make (fuzz|bench)` \| (.*) \|$", ops, re.M)}
    cmake = (root / "tests" / "fuzz" / "CMakeLists.txt").read_text()
    targets = re.search(r"foreach\(t ([^)]*)\)", cmake).group(1).split()
    covers = {"fuzz_bgp_msg": "BGP", "fuzz_bgp_open": "BGP",
              "fuzz_bgp_update": "BGP", "fuzz_mrt": "MRT",
              "fuzz_rib": "the RIB", "fuzz_config": "configuration",
              "fuzz_bgp_session": "a BGP session", "fuzz_bmp": "BMP",
              "fuzz_rislive": "RIS Live", "fuzz_rpki": "VRP and ASPA"}
    assert len(targets) >= 10
    for t in targets:
        assert t in covers, f"{t}: say what it covers here and in the row"
        assert covers[t] in row["fuzz"], (t, row["fuzz"])
        assert f"`{t}`" in ops, t
    make = (root / "Makefile").read_text()
    bench = re.search(r"^bench:.*\n((?:\t.*\n)+)", make, re.M).group(1)
    scripts = re.findall(r"bench/(run\w*\.sh)", bench)
    covers = {"run.sh": "decode", "run_mrt.sh": "MRT", "run_rib.sh": "RIB",
              "run_api.sh": "API", "run_bgp.sh": "BGP", "run_bmp.sh": "BMP",
              "run_rislive.sh": "RIS Live", "run_rpki.sh": "RPKI",
              "run_ui.sh": "web UI"}
    assert len(scripts) >= 9
    for sc in scripts:
        assert sc in covers, f"{sc}: say what it measures here and in the row"
        assert covers[sc] in row["bench"], (sc, row["bench"])
        assert f"`bench/{sc}`" in ops, sc
