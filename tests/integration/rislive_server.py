#!/usr/bin/python3
"""A local RIPE RIS Live WebSocket server for tests and benchmarks.

Speaks the RIS Live client protocol (https://ris-live.ripe.net/manual/) well
enough to exercise a client: ``ris_subscribe`` (with optional
``ris_subscribe_ok`` acknowledgement), ``ris_unsubscribe``, ``ping`` ->
``pong``, ``request_rrc_list`` -> ``ris_rrc_list``, and ``ris_error`` for
anything it does not understand.  After the first ``ris_subscribe`` on a
connection it streams a fixed list of messages, in order, without applying the
subscription's filters.  Faults (abrupt TCP drop, stall, garbage frames, close
with 1011, pause) can be injected at any time from the test thread.

Built on the asyncio API of websockets 10.4 (Debian's python3-websockets); the
event loop runs in a daemon thread so a synchronous pytest test can drive it.

Module use::

    cert, key = make_cert(tmp_path)
    srv = RisLiveServer(messages, tls=(cert, key))
    srv.start()            # srv.port is the real port
    ...                    # wss://127.0.0.1:{srv.port}/v1/ws/?client=test
    srv.drop_after(3)
    assert srv.wait_for(lambda: srv.connections >= 2, 5)
    srv.stop()

CLI (benchmarks)::

    rislive_server.py --jsonl FILE [--port P] [--tls-dir DIR] [--rate R] [--loop N]

prints ``listening PORT`` on stdout once ready and serves until killed.
"""
import argparse
import asyncio
import concurrent.futures
import fcntl
import http
import json
import logging
import os
import signal
import socket
import ssl
import struct
import subprocess
import sys
import termios
import threading
import time
import urllib.parse

import websockets
import websockets.exceptions

__all__ = ["make_cert", "RisLiveServer", "load_messages"]

log = logging.getLogger("rislive_server")

_SIOCOUTQ = getattr(termios, "TIOCOUTQ", 0x5411)  # same value as SIOCOUTQ on Linux


def make_cert(dirpath):
    """Create a self-signed certificate for CN=localhost in *dirpath*.

    subjectAltName covers IP:127.0.0.1, IP:::1 and DNS:localhost.  The
    certificate also serves as the CA file a client should trust.
    Returns ``(certfile, keyfile)`` as strings.
    """
    dirpath = os.fspath(dirpath)
    os.makedirs(dirpath, exist_ok=True)
    certfile = os.path.join(dirpath, "cert.pem")
    keyfile = os.path.join(dirpath, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost",
         "-keyout", keyfile, "-out", certfile],
        check=True, capture_output=True, timeout=60)
    return certfile, keyfile


def load_messages(path):
    """Read a JSON-lines file.

    Each non-blank line that parses becomes a dict; a line that does not parse
    (e.g. the truncated last line of libbgpstream's ris-live-stream.json) is
    kept as a ``str`` and sent verbatim as a text frame.
    """
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError:
                out.append(line)
    return out


def _compact(obj):
    return json.dumps(obj, separators=(",", ":"))


def _prepare(msg):
    """Return (frame with raw, frame without raw) for one message."""
    if isinstance(msg, (str, bytes)):
        return msg, msg
    full = _compact(msg)
    data = msg.get("data") if isinstance(msg, dict) else None
    if isinstance(data, dict) and "raw" in data:
        stripped = dict(msg)
        stripped["data"] = {k: v for k, v in data.items() if k != "raw"}
        return full, _compact(stripped)
    return full, full


class _Conn:
    def __init__(self, no, ws):
        self.no = no
        self.ws = ws
        self.include_raw = False
        self.cursor = 0
        self.streamer = None
        self.read_paused = False
        self.pending_fault = None
        self.sent = 0


class RisLiveServer:
    """A RIS Live server running in its own thread.  See the module doc.

    Parameters beyond the brief's: ``rate`` (messages/s per connection, None
    = as fast as possible), ``resume`` (continue from the last message sent on
    the previous connection, default True), ``loop_count`` (repeat the message
    list), ``compression`` (websockets' ``compression``: "deflate" is
    negotiated only if the client offers it; None disables it),
    ``ping_interval`` (websockets-level keepalive pings from the server; None,
    the default, sends none), ``close_timeout`` (websockets' closing-handshake
    timeout; kept short so stop() is fast). ``answer_pings`` (an attribute,
    True by default): set it False and JSON pings go unanswered.

    Observation (read from any thread): ``connections`` (accepted WebSocket
    connections), ``requests`` (list of dicts with ``path``, ``query`` and
    ``headers`` for every handshake that reached process_request, including
    404s), ``subscriptions`` (list of ``(conn_no, data)``),
    ``client_messages`` (list of ``(conn_no, message)`` for every JSON message
    received), ``client_invalid`` (list of ``(conn_no, frame)`` for frames
    that were not valid JSON objects), ``sent`` (stream messages sent, all
    connections), ``garbage_sent``, ``position`` (where the next connection
    resumes), ``active`` (currently open connections), ``closed_codes``
    (list of ``(conn_no, code)`` as seen by the server), ``done`` (a
    threading.Event set once every message has been sent on some connection).

    Connection numbers start at 1.
    """

    def __init__(self, messages, host="127.0.0.1", port=0, tls=None, path="/v1/ws/",
                 rate=None, resume=True, loop_count=1, compression="deflate",
                 ping_interval=None, close_timeout=1.0):
        if isinstance(messages, (str, bytes, os.PathLike)):
            messages = load_messages(messages)
        self._items = [_prepare(m) for m in messages]
        self.messages = list(messages)
        self.host = host
        self.port = port
        self.tls = tls
        self.path = path
        self.rate = rate
        self.resume = resume
        self.loop_count = max(1, int(loop_count))
        self.total = len(self._items) * self.loop_count
        self.compression = compression
        self.ping_interval = ping_interval
        self.close_timeout = close_timeout

        # observation
        self.connections = 0
        self.requests = []
        self.subscriptions = []
        self.client_messages = []
        self.client_invalid = []
        self.closed_codes = []
        self.sent = 0
        self.garbage_sent = 0
        self.position = 0
        self.done = threading.Event()

        # fault state (only touched on the loop thread once started)
        self.answer_pings = True    # False: JSON pings go unanswered
        self._paused = False
        self._stall_until = 0.0
        self._stall_handle = None
        self._pending_stall = 0.0
        self._garbage = []
        self._drop_n = None
        self._drop_opts = {}
        self._close_n = None
        self._close_opts = {}

        self._conns = {}
        self._loop = None
        self._thread = None
        self._changed = None
        self._stop_ev = None
        self._server = None
        self._ready = threading.Event()
        self._start_error = None

    # ------------------------------------------------------------------ life
    def start(self, timeout=10):
        """Start the loop thread; return once the server is listening."""
        if self._thread is not None:
            raise RuntimeError("already started")
        self._thread = threading.Thread(target=self._run, name="rislive-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError("RIS Live server did not start")
        if self._start_error is not None:
            raise RuntimeError("RIS Live server failed to start") from self._start_error
        return self

    def stop(self, timeout=5):
        """Close every connection (1001, then abort) and join the thread."""
        if self._thread is None:
            return
        loop = self._loop
        if loop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(self._stop_ev.set)
            except RuntimeError:
                pass  # loop already closed
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError("RIS Live server thread did not stop")
        self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        scheme = "wss" if self.tls else "ws"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}{self.path}"

    @property
    def active(self):
        return len(self._conns)

    def wait_for(self, predicate, timeout=5.0, interval=0.01):
        """Poll *predicate* until it is truthy or *timeout* seconds pass.

        Returns the predicate's last value (so ``assert srv.wait_for(...)``).
        """
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value or time.monotonic() >= deadline:
                return value
            time.sleep(interval)

    def _run(self):
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._main())
        except BaseException as e:  # noqa: BLE001 - reported through start()
            if not self._ready.is_set():
                self._start_error = e
                self._ready.set()
            else:
                log.exception("RIS Live server loop failed")
        finally:
            try:
                pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for t in pending:
                    t.cancel()
                if pending:
                    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()

    async def _main(self):
        self._changed = asyncio.Event()
        self._stop_ev = asyncio.Event()
        sslctx = None
        if self.tls:
            sslctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            sslctx.load_cert_chain(self.tls[0], self.tls[1])
        self._server = await websockets.serve(
            self._handler, self.host, self.port, ssl=sslctx,
            process_request=self._process_request,
            compression=self.compression,
            ping_interval=self.ping_interval,
            close_timeout=self.close_timeout,
            max_size=2 ** 20)
        self.port = self._server.sockets[0].getsockname()[1]
        if self._pending_stall:
            self._set_stall(self._pending_stall)
            self._pending_stall = 0.0
        self._ready.set()
        await self._stop_ev.wait()
        # Shutdown: un-stall so handlers can finish, then close with 1001.
        self._paused = False
        self._set_stall(0)
        # A peer that stopped reading would hold the closing handshake for
        # 2 x close_timeout; it can't receive a close frame anyway: abort it.
        for c in list(self._conns.values()):
            if getattr(c.ws, "_paused", False):
                c.ws.transport.abort()
        # websockets closes every connection with 1001; a peer that does not
        # answer within close_timeout (e.g. its receive buffers are full of
        # unread frames) is aborted instead of waiting out websockets' timeouts.
        self._server.close()
        try:
            await asyncio.wait_for(self._server.wait_closed(), self.close_timeout)
        except asyncio.TimeoutError:
            for c in list(self._conns.values()):
                c.ws.transport.abort()
            try:
                await asyncio.wait_for(self._server.wait_closed(), 2)
            except asyncio.TimeoutError:
                log.warning("RIS Live server: connections still open at shutdown")

    # -------------------------------------------------------- fault control
    def _call(self, fn, *args):
        """Run fn(*args) on the loop thread and wait for it (thread-safe)."""
        loop = self._loop
        if loop is None or not loop.is_running() or loop.is_closed():
            return fn(*args)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            return fn(*args)
        fut = concurrent.futures.Future()

        def run():
            try:
                fut.set_result(fn(*args))
            except BaseException as e:  # noqa: BLE001
                fut.set_exception(e)
        loop.call_soon_threadsafe(run)
        return fut.result(5)

    def _notify(self):
        ev = self._changed
        if ev is not None:
            self._changed = asyncio.Event()
            ev.set()

    def drop_after(self, n, rst=False, flush=True):
        """After *n* more stream messages, abort the TCP connection.

        transport.abort(): no close frame, no TLS close_notify; the client
        sees EOF (or, with ``rst=True``, a TCP RST via SO_LINGER 0), i.e.
        websockets code 1006.  With ``flush`` (default) the server first waits
        (up to 2 s) until the n messages have left its buffers and been ACKed
        by the peer, so the client deterministically gets exactly n messages.
        """
        def f():
            self._drop_n = int(n)
            self._drop_opts = {"rst": rst, "flush": flush}
            self._notify()
        self._call(f)

    def close_after(self, n, code=1011, reason="close_after"):
        """After *n* more messages, send a clean close frame (default 1011)."""
        def f():
            self._close_n = int(n)
            self._close_opts = {"code": code, "reason": reason}
            self._notify()
        self._call(f)

    def stall(self, seconds):
        """Send nothing and answer nothing for *seconds*.

        Stops the stream, JSON pongs and acks, and also pauses reading on every
        connection's transport, so websockets-level pings go unanswered too;
        new handshakes are held until the stall ends.  TCP stays open.
        """
        self._call(self._set_stall, float(seconds))

    def _set_stall(self, seconds):
        loop = self._loop
        if loop is None or loop.is_closed():
            self._pending_stall = seconds  # applied once the loop runs
            return
        now = loop.time()
        if self._stall_handle is not None:
            self._stall_handle.cancel()
            self._stall_handle = None
        if seconds <= 0:
            self._stall_until = 0.0
            self._unstall()
            return
        self._stall_until = now + seconds
        for c in self._conns.values():
            self._pause_reading(c)
        self._stall_handle = loop.call_at(self._stall_until, self._unstall)
        self._notify()

    def _stalled(self):
        return self._loop is not None and self._loop.time() < self._stall_until

    def _pause_reading(self, c):
        if not c.read_paused:
            try:
                c.ws.transport.pause_reading()
                c.read_paused = True
            except Exception:  # noqa: BLE001 - transport may be closing
                pass

    def _unstall(self):
        self._stall_handle = None
        if self._stalled():
            return
        for c in self._conns.values():
            if c.read_paused:
                c.read_paused = False
                try:
                    c.ws.transport.resume_reading()
                except Exception:  # noqa: BLE001
                    pass
        self._notify()

    def send_garbage(self, frames):
        """Send these frames next, verbatim (str -> text frame, bytes -> binary).

        They go out on a subscribed connection even while pause()d, but not
        during a stall; they do not count towards drop_after/close_after.
        """
        def f():
            self._garbage.extend(frames)
            self._notify()
        self._call(f)

    def pause(self):
        """Stop streaming messages (pings and acks are still answered)."""
        def f():
            self._paused = True
            self._notify()
        self._call(f)

    def resume_sending(self):
        def f():
            self._paused = False
            self._notify()
        self._call(f)

    def set_position(self, n):
        """Set where the next (resuming) connection starts."""
        def f():
            self.position = int(n)
            self.done.clear()
        self._call(f)

    def disconnect_all(self, code=1001, reason="going away"):
        """Cleanly close every open connection (does not stop the server)."""
        def f():
            for c in list(self._conns.values()):
                asyncio.ensure_future(c.ws.close(code, reason))
        self._call(f)

    # ------------------------------------------------------------- protocol
    async def _wait_changed(self, timeout=None):
        ev = self._changed
        try:
            await asyncio.wait_for(ev.wait(), timeout)
        except asyncio.TimeoutError:
            pass

    async def _wait_unstalled(self):
        while self._stalled():
            await self._wait_changed(self._stall_until - self._loop.time())

    async def _process_request(self, path, headers):
        parts = urllib.parse.urlsplit(path)
        self.requests.append({"path": parts.path,
                              "query": urllib.parse.parse_qs(parts.query),
                              "headers": dict(headers.raw_items())})
        if parts.path != self.path:
            return (http.HTTPStatus.NOT_FOUND, [("Content-Type", "text/plain")],
                    b"Not Found\n")
        await self._wait_unstalled()
        return None

    async def _handler(self, ws):
        self.connections += 1
        c = _Conn(self.connections, ws)
        self._conns[c.no] = c
        if self._stalled():
            self._pause_reading(c)
        try:
            async for frame in ws:
                await self._wait_unstalled()
                await self._on_client_frame(c, frame)
        except websockets.exceptions.ConnectionClosed:
            pass
        finally:
            self._conns.pop(c.no, None)
            if c.streamer is not None and c.streamer is not asyncio.current_task():
                c.streamer.cancel()
                try:
                    await c.streamer
                except BaseException:  # noqa: BLE001
                    pass
            self.closed_codes.append((c.no, ws.close_code))

    async def _send_error(self, c, message):
        await c.ws.send(_compact({"type": "ris_error", "data": {"message": message}}))

    async def _on_client_frame(self, c, frame):
        if isinstance(frame, bytes):
            self.client_invalid.append((c.no, frame))
            await self._send_error(c, "Binary frames are not supported")
            return
        try:
            msg = json.loads(frame)
        except ValueError as e:
            self.client_invalid.append((c.no, frame))
            await self._send_error(c, f"Could not parse message as JSON: {e}")
            return
        if not isinstance(msg, dict):
            self.client_invalid.append((c.no, frame))
            await self._send_error(c, "Message must be a JSON object")
            return
        self.client_messages.append((c.no, msg))
        mtype = msg.get("type")
        data = msg.get("data")
        if mtype == "ping":
            if self.answer_pings:
                await c.ws.send(_compact({"type": "pong", "data": None}))
        elif mtype == "ris_subscribe":
            if data is None:
                data = {}
            if not isinstance(data, dict):
                await self._send_error(c, "ris_subscribe data must be an object")
                return
            self.subscriptions.append((c.no, data))
            opts = data.get("socketOptions")
            opts = opts if isinstance(opts, dict) else {}
            if opts.get("includeRaw") is True:
                c.include_raw = True
            if opts.get("acknowledge") is True:
                sub = {k: v for k, v in data.items() if k != "socketOptions"}
                await c.ws.send(_compact({"type": "ris_subscribe_ok",
                                          "data": {"subscription": sub,
                                                   "socketOptions": data.get("socketOptions")}}))
            if c.streamer is None:
                c.cursor = self.position if self.resume else 0
                c.streamer = asyncio.ensure_future(self._stream(c))
        elif mtype == "ris_unsubscribe":
            pass  # recorded above; filters are not applied, so nothing to do
        elif mtype == "request_rrc_list":
            hosts = sorted({m["data"]["host"] for m in self.messages
                            if isinstance(m, dict) and isinstance(m.get("data"), dict)
                            and isinstance(m["data"].get("host"), str)})
            await c.ws.send(_compact({"type": "ris_rrc_list", "data": hosts}))
        else:
            await self._send_error(c, f"Unknown message type: {mtype!r}")

    def _take_fault(self, c):
        if c.pending_fault is not None:
            f, c.pending_fault = c.pending_fault, None
            return f
        if self._drop_n is not None and self._drop_n <= 0:
            self._drop_n = None
            return ("drop", self._drop_opts)
        if self._close_n is not None and self._close_n <= 0:
            self._close_n = None
            return ("close", self._close_opts)
        return None

    def _count_fault(self, c):
        if self._drop_n is not None:
            self._drop_n -= 1
            if self._drop_n <= 0:
                self._drop_n = None
                c.pending_fault = ("drop", self._drop_opts)
                return
        if self._close_n is not None:
            self._close_n -= 1
            if self._close_n <= 0:
                self._close_n = None
                c.pending_fault = ("close", self._close_opts)

    async def _stream(self, c):
        ws = c.ws
        loop = self._loop
        n_items = len(self._items)
        interval = (1.0 / self.rate) if self.rate else 0.0
        next_due = loop.time()
        burst = 0
        try:
            while True:
                fault = self._take_fault(c)
                if fault is not None:
                    await self._apply_fault(c, *fault)
                    return
                if self._stalled():
                    await self._wait_changed(self._stall_until - loop.time())
                    next_due = loop.time()
                    continue
                if self._garbage:
                    frame = self._garbage.pop(0)
                    await ws.send(frame)
                    self.garbage_sent += 1
                    continue
                if self._paused or c.cursor >= self.total:
                    if c.cursor >= self.total:
                        self.done.set()
                    await self._wait_changed()
                    next_due = loop.time()
                    continue
                if interval:
                    now = loop.time()
                    if now < next_due:
                        await self._wait_changed(next_due - now)
                        continue  # re-check faults/pause/stall after sleeping
                    next_due = max(next_due + interval, now - interval)
                else:
                    burst += 1
                    if burst >= 32:  # ws.send does not yield unless buffers fill
                        burst = 0
                        await asyncio.sleep(0)
                        continue
                full, stripped = self._items[c.cursor % n_items]
                await ws.send(full if c.include_raw else stripped)
                c.cursor += 1
                c.sent += 1
                self.sent += 1
                if self.resume:
                    self.position = c.cursor
                if c.cursor >= self.total:
                    self.done.set()
                self._count_fault(c)
        except websockets.exceptions.ConnectionClosed:
            pass

    async def _apply_fault(self, c, kind, opts):
        ws = c.ws
        if kind == "close":
            await ws.close(opts.get("code", 1011), opts.get("reason", ""))
            return
        transport = ws.transport
        if opts.get("flush", True):
            await self._flush(transport)
        if opts.get("rst"):
            sock = transport.get_extra_info("socket")
            if sock is not None:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except OSError:
                    pass
        transport.abort()

    async def _flush(self, transport, timeout=2.0):
        """Wait until the transport (and the kernel) has nothing left to send."""
        loop = self._loop
        deadline = loop.time() + timeout
        inner = getattr(getattr(transport, "_ssl_protocol", None), "_transport", None)
        sock = transport.get_extra_info("socket")
        while loop.time() < deadline:
            pending = transport.get_write_buffer_size()
            if inner is not None:
                pending += inner.get_write_buffer_size()
            if pending == 0 and sock is not None:
                try:
                    buf = fcntl.ioctl(sock.fileno(), _SIOCOUTQ, b"\0\0\0\0")
                    pending = struct.unpack("i", buf)[0]
                except OSError:
                    pending = 0
            if pending == 0:
                return
            await asyncio.sleep(0.005)


# ---------------------------------------------------------------------- CLI
def main(argv=None):
    ap = argparse.ArgumentParser(description="Local RIS Live WebSocket server")
    ap.add_argument("--jsonl", required=True, help="RIS Live messages, one JSON per line")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--path", default="/v1/ws/")
    ap.add_argument("--tls-dir", help="serve wss with DIR/cert.pem + DIR/key.pem "
                    "(created with make_cert unless both exist)")
    ap.add_argument("--rate", type=float, help="messages per second (default: unlimited)")
    ap.add_argument("--loop", type=int, default=1, help="send the message list N times")
    ap.add_argument("--no-resume", action="store_true",
                    help="every connection starts from the first message")
    ap.add_argument("--no-compression", action="store_true",
                    help="refuse permessage-deflate even if the client offers it")
    args = ap.parse_args(argv)

    tls = None
    if args.tls_dir:
        cert = os.path.join(args.tls_dir, "cert.pem")
        key = os.path.join(args.tls_dir, "key.pem")
        if not (os.path.exists(cert) and os.path.exists(key)):
            cert, key = make_cert(args.tls_dir)
        tls = (cert, key)

    srv = RisLiveServer(args.jsonl, host=args.host, port=args.port, tls=tls,
                        path=args.path, rate=args.rate, resume=not args.no_resume,
                        loop_count=args.loop,
                        compression=None if args.no_compression else "deflate")
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    srv.start()
    print(f"listening {srv.port}", flush=True)
    t0 = time.monotonic()
    while not stop.wait(0.5):
        pass
    srv.stop()
    dt = time.monotonic() - t0
    print(f"sent {srv.sent} messages on {srv.connections} connections in {dt:.1f}s",
          file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
