"""Tests of the local RIS Live test server (rislive_server.py) itself.

The client side is websockets' asyncio client over wss, trusting the
self-signed certificate from make_cert().
"""
import asyncio
import json
import pathlib
import shutil
import ssl
import subprocess
import sys
import time

import pytest
import websockets
import websockets.exceptions

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from rislive_server import RisLiveServer, make_cert  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent

# Modelled on libbgpstream's ris-live-stream.json (RIS Live as of 2019).
MESSAGES = [
    {"type": "ris_message", "data": {
        "timestamp": 1553627987.89, "peer": "72.22.223.9", "peer_asn": "11708",
        "id": "72.22.223.9-1553627987.89-1829343",
        "raw": "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF005B020000004040010100400232020C00002DBC00007D"
               "61000005130000CC6000040361000403610004036100040361000403610000CF01000418C1"
               "000418C14003044816DF09172DA1C0",
        "host": "rrc00", "type": "UPDATE",
        "path": [11708, 32097, 1299, 52320, 263009, 263009, 52993, 268481, 268481],
        "origin": "igp",
        "announcements": [{"next_hop": "72.22.223.9", "prefixes": ["45.161.192.0/23"]}]}},
    {"type": "ris_message", "data": {
        "timestamp": 1553627988.12, "peer": "2001:7f8:4::3417:1", "peer_asn": "13335",
        "id": "2001:7f8:4::3417:1-1553627988.12-55321",
        "raw": "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001E0200000007202A0A8B4C00",
        "host": "rrc01", "type": "UPDATE",
        "withdrawals": ["2a0a:8b4c::/32", "45.161.192.0/23"]}},
    {"type": "ris_message", "data": {
        "timestamp": 1553625081.88, "peer": "195.66.224.59", "peer_asn": "24931",
        "id": "195.66.224.59-1553625081.88-235807", "host": "rrc01",
        "type": "RIS_PEER_STATE", "state": "down"}},
    {"type": "ris_message", "data": {
        "timestamp": 1553627990.5, "peer": "80.249.210.89", "peer_asn": "31042",
        "id": "80.249.210.89-1553627990.5-3003980",
        "raw": "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0040020000001C400101004002060201000079424003"
               "0450F9D2594004044EF6E2AE180A0A0A",
        "host": "rrc03", "type": "UPDATE",
        "path": [31042, {"as_set": [65001, 65002]}], "origin": "igp",
        "community": [[31042, 100]],
        "announcements": [
            {"next_hop": "80.249.210.89", "prefixes": ["10.10.10.0/24", "10.10.11.0/24"]},
            {"next_hop": "2001:7f8:1::a503:1042:1", "prefixes": ["2001:db8::/32"]}],
        "withdrawals": ["192.0.2.0/24"]}},
    {"type": "ris_message", "data": {
        "timestamp": 1553625099.01, "peer": "195.66.224.59", "peer_asn": "24931",
        "id": "195.66.224.59-1553625099.01-235808", "host": "rrc01",
        "type": "RIS_PEER_STATE", "state": "connected"}},
]


def strip_raw(m):
    m = json.loads(json.dumps(m))
    m["data"].pop("raw", None)
    return m


SUB = {"host": "rrc00", "type": "UPDATE", "moreSpecific": True}


def subscribe(data=SUB, ack=False, raw=False):
    d = dict(data)
    d["socketOptions"] = {"acknowledge": ack, "includeRaw": raw}
    return json.dumps({"type": "ris_subscribe", "data": d})


@pytest.fixture(scope="session")
def cert(tmp_path_factory):
    return make_cert(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def make_server(cert):
    servers = []

    def make(messages=MESSAGES, **kw):
        kw.setdefault("tls", cert)
        srv = RisLiveServer(messages, **kw)
        srv.start()
        servers.append(srv)
        return srv
    yield make
    for srv in servers:
        t0 = time.monotonic()
        srv.stop()
        assert time.monotonic() - t0 < 5


@pytest.fixture
def sslctx(cert):
    return ssl.create_default_context(cafile=cert[0])


def run(coro, timeout=10):
    return asyncio.run(asyncio.wait_for(coro, timeout))


async def recv_json(ws, timeout=2):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def recv_n(ws, n, timeout=2):
    return [await recv_json(ws, timeout) for _ in range(n)]


async def no_frame(ws, wait):
    """Assert that nothing arrives for *wait* seconds."""
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(ws.recv(), wait)


def test_make_cert_san(cert):
    out = subprocess.run(["openssl", "x509", "-in", cert[0], "-noout", "-text"],
                         capture_output=True, text=True, check=True).stdout
    assert "CN = localhost" in out
    assert "IP Address:127.0.0.1" in out and "DNS:localhost" in out
    assert "IP Address:0:0:0:0:0:0:0:1" in out


def test_subscribe_ack_then_all_messages_in_order(make_server, sslctx):
    srv = make_server()

    async def client():
        async with websockets.connect(srv.url + "?client=pytest", ssl=sslctx) as ws:
            await ws.send(subscribe(ack=True))
            ok = await recv_json(ws)
            assert ok == {"type": "ris_subscribe_ok",
                          "data": {"subscription": SUB,
                                   "socketOptions": {"acknowledge": True, "includeRaw": False}}}
            got = await recv_n(ws, len(MESSAGES))
            assert got == [strip_raw(m) for m in MESSAGES]
            await no_frame(ws, 0.1)
    run(client())
    assert srv.done.is_set()
    assert srv.sent == len(MESSAGES) and srv.connections == 1
    assert srv.subscriptions == [(1, {**SUB, "socketOptions": {"acknowledge": True,
                                                               "includeRaw": False}})]
    assert srv.requests[0]["path"] == "/v1/ws/"
    assert srv.requests[0]["query"] == {"client": ["pytest"]}


def test_no_ack_without_acknowledge_and_compact_frames(make_server, sslctx):
    srv = make_server()

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(json.dumps({"type": "ris_subscribe", "data": {"host": "rrc01"}}))
            frames = [await asyncio.wait_for(ws.recv(), 2) for _ in MESSAGES]
            assert frames[0] == json.dumps(strip_raw(MESSAGES[0]), separators=(",", ":"))
            assert [json.loads(f) for f in frames] == [strip_raw(m) for m in MESSAGES]
    run(client())


def test_include_raw(make_server, sslctx):
    srv = make_server(resume=False)

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe(raw=True))
            assert await recv_n(ws, len(MESSAGES)) == MESSAGES
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe(raw=False))
            got = await recv_n(ws, len(MESSAGES))
            assert all("raw" not in m["data"] for m in got)
            assert got == [strip_raw(m) for m in MESSAGES]
    run(client())
    assert srv.connections == 2


def test_ping_pong_errors_and_nothing_before_subscribe(make_server, sslctx):
    srv = make_server()

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send('{"type":"ping"}')
            assert await recv_json(ws) == {"type": "pong", "data": None}
            await ws.send("not json")
            err = await recv_json(ws)
            assert err["type"] == "ris_error" and err["data"]["message"]
            await ws.send('{"type":"weird_type"}')
            err = await recv_json(ws)
            assert err["type"] == "ris_error" and "weird_type" in err["data"]["message"]
            await ws.send(json.dumps({"type": "ris_unsubscribe", "data": SUB}))
            await no_frame(ws, 0.15)          # nothing streamed before ris_subscribe
            await ws.send(subscribe())
            await recv_n(ws, len(MESSAGES))
            await ws.send('{"type":"ping"}')
            assert await recv_json(ws) == {"type": "pong", "data": None}
    run(client())
    types = [m.get("type") for _, m in srv.client_messages]
    assert types == ["ping", "weird_type", "ris_unsubscribe", "ris_subscribe", "ping"]
    assert srv.client_invalid == [(1, "not json")]


@pytest.mark.parametrize("rst", [False, True])
def test_drop_after_aborts_and_reconnect_resumes(make_server, sslctx, rst):
    srv = make_server()
    srv.drop_after(2, rst=rst)

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe())
            got = await recv_n(ws, 2)
            assert got == [strip_raw(m) for m in MESSAGES[:2]]
            with pytest.raises(websockets.exceptions.ConnectionClosedError) as ei:
                await asyncio.wait_for(ws.recv(), 2)
            assert ei.value.rcvd is None and ei.value.code == 1006
        assert srv.position == 2
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe(ack=True))
            assert (await recv_json(ws))["type"] == "ris_subscribe_ok"
            got = await recv_n(ws, len(MESSAGES) - 2)
            assert got == [strip_raw(m) for m in MESSAGES[2:]]
            await no_frame(ws, 0.1)
    run(client())
    assert srv.connections == 2 and srv.sent == len(MESSAGES)
    assert srv.wait_for(lambda: len(srv.closed_codes) == 2)
    assert dict(srv.closed_codes)[1] == 1006


def test_drop_after_zero_when_idle_and_resume_false(make_server, sslctx):
    srv = make_server(resume=False)

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe())
            await recv_n(ws, len(MESSAGES))
            srv.drop_after(0)  # everything sent: abort right away
            with pytest.raises(websockets.exceptions.ConnectionClosedError) as ei:
                await asyncio.wait_for(ws.recv(), 2)
            assert ei.value.code == 1006
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe())
            assert await recv_n(ws, len(MESSAGES)) == [strip_raw(m) for m in MESSAGES]
    run(client())


def test_close_after_sends_1011(make_server, sslctx):
    srv = make_server()
    srv.close_after(3)

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe())
            await recv_n(ws, 3)
            with pytest.raises(websockets.exceptions.ConnectionClosedError) as ei:
                await asyncio.wait_for(ws.recv(), 2)
            assert ei.value.rcvd is not None and ei.value.rcvd.code == 1011
    run(client())
    assert srv.position == 3


def test_stall_delays_messages_and_pongs(make_server, sslctx):
    srv = make_server()
    srv.pause()
    stall = 0.6

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe(ack=True))
            assert (await recv_json(ws))["type"] == "ris_subscribe_ok"
            srv.stall(stall)
            t0 = time.monotonic()
            srv.resume_sending()
            await ws.send('{"type":"ping"}')
            ws_pong = await ws.ping()           # websockets-level ping
            await no_frame(ws, stall - 0.25)    # no messages, no JSON pong
            assert not ws_pong.done()           # no websockets-level pong either
            frames = await recv_n(ws, len(MESSAGES) + 1, timeout=3)
            assert time.monotonic() - t0 >= stall - 0.05
            await asyncio.wait_for(ws_pong, 2)
            assert {"type": "pong", "data": None} in frames
            assert [f for f in frames if f["type"] == "ris_message"] == \
                [strip_raw(m) for m in MESSAGES]
    run(client())


def test_stall_holds_new_handshake(make_server, sslctx):
    srv = make_server()
    srv.stall(0.4)

    async def client():
        t0 = time.monotonic()
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            assert time.monotonic() - t0 >= 0.35
            await ws.send(subscribe())
            await recv_n(ws, len(MESSAGES))
    run(client())


def test_garbage_frames_arrive_as_given(make_server, sslctx):
    srv = make_server()
    srv.pause()
    garbage = ["not json", '{"type":"ris_message","data":', '{"type":"weird_type"}',
               b"\x00\x01binary"]

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe(ack=True))
            assert (await recv_json(ws))["type"] == "ris_subscribe_ok"
            srv.send_garbage(garbage)
            got = [await asyncio.wait_for(ws.recv(), 2) for _ in garbage]
            assert got == garbage and isinstance(got[3], bytes)
            await no_frame(ws, 0.1)             # still paused
            srv.resume_sending()
            assert await recv_n(ws, len(MESSAGES)) == [strip_raw(m) for m in MESSAGES]
    run(client())
    assert srv.garbage_sent == len(garbage) and srv.sent == len(MESSAGES)


def test_wrong_path_gets_404(make_server, sslctx):
    srv = make_server()

    async def client():
        url = f"wss://127.0.0.1:{srv.port}/v2/ws/?client=x"
        with pytest.raises(websockets.exceptions.InvalidStatusCode) as ei:
            await websockets.connect(url, ssl=sslctx)
        assert ei.value.status_code == 404
    run(client())
    assert srv.connections == 0 and srv.requests[0]["path"] == "/v2/ws/"


def test_rate_limit(make_server, sslctx):
    srv = make_server(rate=40)

    async def client():
        async with websockets.connect(srv.url, ssl=sslctx) as ws:
            await ws.send(subscribe())
            t0 = time.monotonic()
            await recv_n(ws, len(MESSAGES))
            assert time.monotonic() - t0 >= (len(MESSAGES) - 1) / 40 - 0.02
    run(client())


def test_slow_reader_does_not_block_stop(make_server, sslctx):
    # 100k messages that the client never reads.  No permessage-deflate:
    # with it the repeated messages shrink to a few bytes and the kernel
    # buffers would swallow the whole stream.
    srv = make_server(loop_count=20000, compression=None)

    async def client():
        # The client's own close would wait for its unread backlog: keep it short.
        async with websockets.connect(srv.url, ssl=sslctx, close_timeout=0.2) as ws:
            await ws.send(subscribe())
            await recv_json(ws)

            def stuck():       # flow control holds the streamer in ws.send
                before = srv.sent
                time.sleep(0.05)
                return before == srv.sent and srv.sent > 100
            assert srv.wait_for(stuck, 5)
            assert srv.sent < srv.total and not srv.done.is_set()
            srv.send_garbage(["still alive?"])   # queued behind the blocked stream
            t0 = time.monotonic()
            await asyncio.get_running_loop().run_in_executor(None, srv.stop)
            assert time.monotonic() - t0 < 2
            assert srv.active == 0
    run(client(), timeout=20)


def test_cli_jsonl_loop(tmp_path, cert, sslctx):
    jsonl = tmp_path / "msgs.jsonl"
    truncated = '{"type": "ris_message", "data": {"type": "KEEPALIVE"}'
    jsonl.write_text("\n".join([json.dumps(m) for m in MESSAGES[:3]] + [truncated, ""]))
    tls_dir = tmp_path / "tls"
    tls_dir.mkdir()
    shutil.copy(cert[0], tls_dir / "cert.pem")
    shutil.copy(cert[1], tls_dir / "key.pem")
    proc = subprocess.Popen([sys.executable, str(HERE / "rislive_server.py"),
                             "--jsonl", str(jsonl), "--tls-dir", str(tls_dir), "--loop", "2"],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("listening ")
        port = int(line.split()[1])

        async def client():
            url = f"wss://127.0.0.1:{port}/v1/ws/?client=cli"
            async with websockets.connect(url, ssl=sslctx) as ws:
                await ws.send(subscribe(raw=True))
                frames = [await asyncio.wait_for(ws.recv(), 2) for _ in range(8)]
                assert [json.loads(f) for f in frames[:3]] == MESSAGES[:3]
                assert frames[3] == truncated and frames[7] == truncated
                assert frames[4:7] == frames[0:3]
                await no_frame(ws, 0.1)
        run(client())
    finally:
        proc.terminate()
        assert proc.wait(5) == 0
