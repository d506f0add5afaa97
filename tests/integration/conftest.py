"""Shared fixtures: the bgpsentry binary and the real data directory."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bgpsentry():
    path = os.environ.get("BGPSENTRY", str(ROOT / "build" / "bgpsentry"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"bgpsentry binary not found at {path}: build first")
    return path


@pytest.fixture(scope="session")
def data_dir():
    d = pathlib.Path(os.environ.get("BGPS_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not d.is_dir():
        pytest.skip(f"shared data not found at {d}")
    return d


def run(binary, *args, stdin=None):
    return subprocess.run([binary, *args], input=stdin, capture_output=True,
                          text=True, timeout=60)
