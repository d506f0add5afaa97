"""The MRT writer: every shared file of TABLE_DUMP_V2 or BGP4MP records is
read, written again from what was decoded (RIB snapshots, update records,
messages re-encoded), and read back: the route elements are identical,
and bgpdump -m prints the same lines for the copy as for the original."""
import json
import shutil
import subprocess

import pytest

from conftest import run

BGPDUMP = shutil.which("bgpdump")

# Not TABLE_DUMP_V2/BGP4MP: TABLE_DUMP v1 is not written, and the 1999
# deprecated BGP type becomes BGP4MP (bgpdump then names the lines BGP4MP).
OTHER_TYPES = {"bview.20020722.2337.gz", "rrc00.updates.19990903.1041.gz"}


def mrt_files(data_dir):
    return sorted(p for p in (data_dir / "mrt").rglob("*")
                  if p.is_file() and p.name not in OTHER_TYPES and
                  not p.name.endswith((".txt", ".txt.gz", ".md", ".rst")))


def elements(bgpsentry, path):
    r = subprocess.run([bgpsentry, "mrt", "dump", "--json", str(path)],
                       capture_output=True, text=True, timeout=600)
    return [json.loads(line) for line in r.stdout.splitlines()]


@pytest.mark.skipif(BGPDUMP is None, reason="bgpdump is not installed")
def test_written_files_read_back_identical(bgpsentry, data_dir, tmp_path):
    files = mrt_files(data_dir)
    assert len(files) >= 17
    suffixes = [".mrt", ".mrt.gz", ".mrt.bz2", ".mrt.xz", ".mrt.zst"]
    total = 0
    for i, src in enumerate(files):
        out = tmp_path / (src.name + suffixes[i % len(suffixes)])
        r = run(bgpsentry, "mrt", "convert", str(src), str(out))
        truncated = "firstMB" in src.name
        assert r.returncode == (1 if truncated else 0), r.stderr
        orig = elements(bgpsentry, src)
        copy = elements(bgpsentry, out)
        assert copy == orig, src.name
        total += len(orig)
        if out.suffix in (".xz", ".zst"):
            # bgpdump reads neither: convert our copy once more, to plain
            plain = tmp_path / (src.name + ".plain.mrt")
            assert run(bgpsentry, "mrt", "convert", str(out), str(plain)).returncode == 0
            out = plain
        want = subprocess.run([BGPDUMP, "-m", str(src)], capture_output=True).stdout
        got = subprocess.run([BGPDUMP, "-m", str(out)], capture_output=True).stdout
        assert want and got == want, src.name
    assert total > 400000   # elements compared


def test_updates_as_bgp4mp_et(bgpsentry, data_dir, tmp_path):
    src = data_dir / "mrt/ris/rrc06.updates.1427846400.gz"
    out = tmp_path / "et.mrt"
    assert run(bgpsentry, "mrt", "convert", "--et", str(src), str(out)).returncode == 0
    orig, copy = elements(bgpsentry, src), elements(bgpsentry, out)
    assert len(copy) == len(orig) == 1561
    lines = run(bgpsentry, "mrt", "dump", "-m", str(out)).stdout.splitlines()
    assert all(line.startswith("BGP4MP_ET|") for line in lines)
    # same elements; only the record type (and so its name) differs
    assert copy == orig


def test_other_types_are_reported(bgpsentry, data_dir, tmp_path):
    src = data_dir / "mrt/bgpdump-test/bview.20020722.2337.gz"
    r = run(bgpsentry, "mrt", "convert", str(src), str(tmp_path / "x.mrt"))
    assert r.returncode == 0
    assert "115521 records not written (TABLE_DUMP v1" in r.stderr
