"""Real BGP speakers on loopback for the tests (gobgpd, BIRD 2), and a
raw peer written here for what no daemon will send on purpose:
malformed messages, bad OPENs, many flaps."""
import ipaddress
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time

import pytest


def need(tool):
    path = shutil.which(tool) or (tool if os.access(tool, os.X_OK) else None)
    if path is None:
        pytest.fail(f"{tool} is not installed: scripts/install-deps.sh "
                    f"installs it")
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(cond, what, timeout=30, step=0.1):
    end = time.time() + timeout
    while time.time() < end:
        v = cond()
        if v:
            return v
        time.sleep(step)
    pytest.fail(f"timed out waiting for {what}")


# --- routes as both sides show them ----------------------------------------

ORIGINS = {0: "IGP", 1: "EGP", 2: "INCOMPLETE"}


def our_table(d, vp):
    """Every route of one VP, from /api/v1/vps/ID/routes (all pages)."""
    routes, after = [], None
    while True:
        q = f"/api/v1/vps/{vp}/routes?limit=1000"
        if after:
            q += f"&after={after}"
        ans = d.json(q)
        routes += ans["routes"]
        after = ans["next"]
        if after is None:
            return routes


def norm_ours(routes, path_ids=True):
    out = set()
    for r in routes:
        out.add((r["prefix"], r.get("path_id") if path_ids else None,
                 r["as_path"], r.get("next_hop"), r.get("origin"),
                 tuple(sorted(r["communities"])),
                 tuple(sorted(r["large_communities"])),
                 tuple(sorted(r.get("ext_communities", [])))))
    return out


def vp_of(d, source, address):
    for p in d.json("/api/v1/peers"):
        if p["source"] == source and p["address"] == address:
            return p
    return None


class Speaker:
    """A daemon the tests start (self.proc, its output in self.log)."""

    def stop(self):
        """SIGTERM, then SIGKILL after 10 s."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# --- gobgpd ------------------------------------------------------------------

class GoBGP(Speaker):
    """gobgpd with one neighbor (bgpsentry), and its CLI."""

    def __init__(self, tmp, asn, router_id, local, port, peer, peer_port,
                 peer_as, passive=False, extra=""):
        self.bin = need("gobgpd")
        self.cli = need("gobgp")
        self.api = free_port()
        self.tmp = tmp
        self.conf = tmp / f"gobgpd-{local}.toml"
        self.conf.write_text(f"""
[global.config]
  as = {asn}
  router-id = "{router_id}"
  port = {port}
  local-address-list = ["{local}"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "{peer}"
    peer-as = {peer_as}
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "{local}"
    {"passive-mode = true" if passive else f"remote-port = {peer_port}"}
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
    [neighbors.afi-safis.add-paths.config]
      send-max = 8
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
    [neighbors.afi-safis.add-paths.config]
      send-max = 8
[global.apply-policy.config]
  export-policy-list = ["ext"]
  default-export-policy = "accept-route"
[[policy-definitions]]
  name = "ext"
  [[policy-definitions.statements]]
    name = "s1"
    [policy-definitions.statements.actions]
      route-disposition = "accept-route"
    [policy-definitions.statements.actions.bgp-actions.set-ext-community]
      options = "add"
      [policy-definitions.statements.actions.bgp-actions.set-ext-community.set-ext-community-method]
        communities-list = ["rt:65001:100", "soo:10.0.0.2:7"]
{extra}
""")
        self.peer = peer
        self.proc = None
        self.start()

    @classmethod
    def with_config(cls, tmp, text):
        """gobgpd on a configuration of the caller's."""
        g = cls.__new__(cls)
        g.bin, g.cli = need("gobgpd"), need("gobgp")
        g.api, g.tmp, g.peer, g.proc = free_port(), tmp, None, None
        g.conf = tmp / "gobgpd-own.toml"
        g.conf.write_text(text)
        g.start()
        return g

    def start(self):
        self.log = open(self.tmp / "gobgpd.log", "a")
        self.proc = subprocess.Popen(
            [self.bin, "-t", "toml", "-f", str(self.conf), "--api-hosts",
             f"127.0.0.1:{self.api}", "--pprof-disable"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait(lambda: self.run("global", check=False).returncode == 0,
             "gobgpd's API")

    def run(self, *args, check=True):
        r = subprocess.run([self.cli, "-u", "127.0.0.1", "-p", str(self.api),
                            *args], capture_output=True, text=True,
                           timeout=30)
        if check and r.returncode != 0:
            pytest.fail(f"gobgp {' '.join(args)}: {r.stderr}")
        return r

    def established(self):
        r = self.run("neighbor", self.peer, "-j", check=False)
        if r.returncode != 0:
            return False
        st = json.loads(r.stdout).get("state", {})
        return st.get("session_state") in (6, "established", "ESTABLISHED")

    def add(self, prefix, *attrs, identifier=None):
        fam = "ipv6" if ":" in prefix else "ipv4"
        args = ["global", "rib", "add", prefix]
        if identifier is not None:
            args += ["identifier", str(identifier)]
        self.run(*args, *attrs, "-a", fam)

    def delete(self, prefix):
        fam = "ipv6" if ":" in prefix else "ipv4"
        self.run("global", "rib", "del", prefix, "-a", fam)

    def adj_out(self, path_ids=False):
        """Its Adj-RIB-Out toward bgpsentry, in norm_ours' form."""
        out = set()
        for fam in ("ipv4", "ipv6"):
            r = self.run("neighbor", self.peer, "adj-out", "-a", fam, "-j")
            text = r.stdout.strip()
            if not text or text == "null":
                continue
            for prefix, paths in json.loads(text).items():
                for p in paths:
                    out.add(gobgp_route(prefix, p, path_ids))
        return out



def ext_str(e):
    kind = {2: "rt", 3: "soo"}.get(e["subtype"])
    if kind and e["type"] in (0, 1, 2):
        return f"{kind}:{e['value']}"
    return f"0x{e['type']:02x}:0x{e['subtype']:02x}:{e['value']}"


def gobgp_route(prefix, p, path_ids):
    path, nh, origin = [], None, None
    comms, large, ext = [], [], []
    for a in p["attrs"]:
        t = a["type"]
        if t == 1:
            origin = ORIGINS[a["value"]]
        elif t == 2:
            for seg in a["as_paths"]:
                asns = " ".join(str(x) for x in seg["asns"])
                path.append("{" + asns + "}" if seg["segment_type"] == 1
                            else asns)
        elif t == 3:
            nh = a["nexthop"]
        elif t == 14:
            nh = a["nexthop"]
        elif t == 8:
            comms = [f"{c >> 16}:{c & 0xffff}" for c in a["communities"]]
        elif t == 16:
            ext = [ext_str(e) for e in a["value"]]
        elif t == 32:
            large = [f"{v['ASN']}:{v['LocalData1']}:{v['LocalData2']}"
                     for v in a["value"]]
    return (prefix, p.get("id") if path_ids else None, " ".join(path), nh,
            origin, tuple(sorted(comms)), tuple(sorted(large)),
            tuple(sorted(ext)))


# --- BIRD 2 ------------------------------------------------------------------

class Bird(Speaker):
    def __init__(self, tmp, conf):
        self.bin = need("bird")
        self.birdc = need("birdc")
        self.dir = tmp / "bird"
        self.dir.mkdir(exist_ok=True)
        self.conf = self.dir / "bird.conf"
        self.ctl = self.dir / "bird.ctl"
        self.conf.write_text(conf)
        self.proc = None
        self.start()

    def start(self):
        self.log = open(self.dir / "bird.log", "a")
        self.proc = subprocess.Popen(
            [self.bin, "-f", "-c", str(self.conf), "-s", str(self.ctl),
             "-P", str(self.dir / "bird.pid")],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait(lambda: self.cmd("show status", check=False).returncode == 0,
             "bird's control socket")

    def cmd(self, *args, check=True):
        r = subprocess.run([self.birdc, "-s", str(self.ctl), *args],
                           capture_output=True, text=True, timeout=30)
        if check and r.returncode != 0:
            pytest.fail(f"birdc {' '.join(args)}: {r.stdout}{r.stderr}")
        return r

    def state(self, proto):
        out = self.cmd("show protocols", proto, check=False).stdout
        for line in out.splitlines():
            f = line.split()
            if f and f[0] == proto:
                return " ".join(f[5:]) if len(f) > 5 else ""
        return ""



# --- FRR bgpd (standalone: no zebra) -------------------------------------------

class FRR(Speaker):
    def __init__(self, tmp, conf, listen_addr, port, modules=()):
        self.modules = [x for m in modules for x in ("-M", m)]
        self.bin = need("/usr/lib/frr/bgpd")
        self.vtysh = need("vtysh")
        self.dir = tmp / "frr"
        self.dir.mkdir(exist_ok=True)
        self.conf = self.dir / "bgpd.conf"
        self.conf.write_text(conf)
        self.addr, self.port = listen_addr, port
        self.proc = None
        self.start()

    def start(self):
        self.log = open(self.dir / "bgpd.log", "a")
        self.proc = subprocess.Popen(
            [self.bin, "-f", str(self.conf), *self.modules, "-Z", "-S",
             "-l", self.addr,
             "-p", str(self.port), "-i", str(self.dir / "bgpd.pid"),
             "--vty_socket", str(self.dir), "-A", "127.0.0.1", "-P", "0"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait(lambda: self.cmd("show bgp summary", check=False).returncode
             == 0, "FRR's vty")

    def cmd(self, *cmds, check=True):
        args = [self.vtysh, "--vty_socket", str(self.dir)]
        for c in cmds:
            args += ["-c", c]
        r = subprocess.run(args, capture_output=True, text=True, timeout=30)
        if check and r.returncode != 0:
            pytest.fail(f"vtysh {cmds}: {r.stdout}{r.stderr}")
        return r

    def json(self, c):
        return json.loads(self.cmd(c).stdout)



# --- ExaBGP ---------------------------------------------------------------------

class ExaBGP(Speaker):
    """ExaBGP with one neighbor (bgpsentry); a feeder process sends the
    commands written to `commands`, a line each, and then every line
    appended to the file `more` later."""

    def __init__(self, tmp, neighbor_conf, commands):
        self.bin = need("exabgp")
        self.dir = tmp / "exabgp"
        self.dir.mkdir(exist_ok=True)
        self.more = self.dir / "more"
        self.more.write_text("")
        feeder = self.dir / "feeder.py"
        feeder.write_text(f"""import sys, time
for line in {commands!r}:
    sys.stdout.write(line + "\\n")
sys.stdout.flush()
done = 0
while True:
    lines = open({str(self.more)!r}).read().splitlines()
    for line in lines[done:]:
        sys.stdout.write(line + "\\n")
    sys.stdout.flush()
    done = len(lines)
    time.sleep(0.2)
""")
        self.conf = self.dir / "exabgp.conf"
        self.conf.write_text(f"""
process feeder {{ run /usr/bin/python3 {feeder}; encoder text; }}
{neighbor_conf}
""")
        self.proc = None
        self.start()

    def start(self):
        self.log = open(self.dir / "exabgp.log", "a")
        env = dict(os.environ, **{"exabgp.daemon.user": "root",
                                  "exabgp.log.destination": "stdout",
                                  "exabgp.log.routes": "false",
                                  "exabgp.api.ack": "false",
                                  "exabgp.daemon.drop": "false"})
        self.proc = subprocess.Popen([self.bin, str(self.conf)], env=env,
                                     stdout=self.log,
                                     stderr=subprocess.STDOUT,
                                     cwd=str(self.dir))

    def send(self, line):
        with open(self.more, "a") as f:
            f.write(line + "\n")



# --- a raw peer ------------------------------------------------------------

MARKER = b"\xff" * 16
OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE_REFRESH = 1, 2, 3, 4, 5


def msg(t, body=b""):
    return MARKER + struct.pack("!HB", 19 + len(body), t) + body


def cap(code, value=b""):
    return struct.pack("!BB", code, len(value)) + value


def open_msg(asn, router_id, hold=90, caps=None, version=4):
    if caps is None:
        caps = [cap(1, struct.pack("!HBB", 1, 0, 1)),
                cap(1, struct.pack("!HBB", 2, 0, 1)),
                cap(65, struct.pack("!I", asn))]
    params = b"".join(struct.pack("!BB", 2, len(c)) + c for c in caps)
    my_as = asn if asn < 65536 else 23456
    return msg(OPEN, struct.pack("!BHHIB", version, my_as, hold,
                                 int(ipaddress.IPv4Address(router_id)),
                                 len(params)) + params)


def attr(t, value, flags=None):
    if flags is None:
        # well-known; optional non-transitive; optional transitive
        flags = 0x40 if t in (1, 2, 3, 5, 6) else \
            0x80 if t in (4, 9, 10, 14, 15) else 0xc0
    if len(value) > 255:
        return struct.pack("!BBH", flags | 0x10, t, len(value)) + value
    return struct.pack("!BBB", flags, t, len(value)) + value


def nlri(prefixes, path_ids=None):
    out = b""
    for i, p in enumerate(prefixes):
        n = ipaddress.ip_network(p)
        nb = (n.prefixlen + 7) // 8
        if path_ids is not None:
            out += struct.pack("!I", path_ids[i])
        out += bytes([n.prefixlen]) + n.network_address.packed[:nb]
    return out


def path_attrs(as_path, next_hop="192.0.2.1", origin=0, communities=(),
               large=()):
    a = attr(1, bytes([origin]))
    seg = struct.pack("!BB", 2, len(as_path)) + b"".join(
        struct.pack("!I", x) for x in as_path)
    a += attr(2, seg if as_path else b"")
    if next_hop:
        a += attr(3, ipaddress.IPv4Address(next_hop).packed)
    if communities:
        a += attr(8, b"".join(struct.pack("!HH", *map(int, c.split(":")))
                               for c in communities))
    if large:
        a += attr(32, b"".join(struct.pack("!III", *map(int, c.split(":")))
                                for c in large))
    return a


def update(withdrawn=b"", attrs=b"", nlri_bytes=b""):
    return msg(UPDATE, struct.pack("!H", len(withdrawn)) + withdrawn +
               struct.pack("!H", len(attrs)) + attrs + nlri_bytes)


def mp_reach_v6(prefixes, next_hop="2001:db8::1", path_ids=None):
    nh = ipaddress.IPv6Address(next_hop).packed
    return attr(14, struct.pack("!HBB", 2, 1, len(nh)) + nh + b"\x00" +
                nlri(prefixes, path_ids))


def mp_unreach_v6(prefixes, path_ids=None):
    return attr(15, struct.pack("!HB", 2, 1) + nlri(prefixes, path_ids))


class RawPeer:
    """One TCP session to bgpsentry, driven by hand."""

    def __init__(self, port, local="127.0.0.2", host="127.0.0.1",
                 sock=None):
        self.s = sock or socket.create_connection(
            (host, port), timeout=10, source_address=(local, 0))
        self.buf = b""

    @classmethod
    def accept(cls, listener, timeout=30):
        """The next connection bgpsentry makes to listener."""
        listener.settimeout(timeout)
        conn, _ = listener.accept()
        return cls(0, sock=conn)

    def send(self, data):
        self.s.sendall(data)

    def read(self, timeout=10):
        """(type, body), or None when the connection closed; TimeoutError
        when nothing came in time."""
        self.s.settimeout(timeout)
        while True:
            if len(self.buf) >= 19:
                n = struct.unpack("!H", self.buf[16:18])[0]
                if len(self.buf) >= n:
                    m, self.buf = self.buf[:n], self.buf[n:]
                    return m[18], m[19:]
            try:
                data = self.s.recv(65536)
            except socket.timeout:
                raise TimeoutError("no message from bgpsentry")
            except ConnectionResetError:
                return None
            if not data:
                return None
            self.buf += data

    def read_until(self, t, timeout=10):
        while True:
            m = self.read(timeout)
            if m is None or m[0] == t:
                return m

    def establish(self, asn, router_id, **kw):
        self.send(open_msg(asn, router_id, **kw))
        m = self.read()
        assert m is not None and m[0] == OPEN, m
        self.their_open = m[1]
        self.send(msg(KEEPALIVE))
        m = self.read()
        assert m is not None and m[0] == KEEPALIVE, m

    def closed(self, timeout=10):
        """True once the other side closes (messages before are read)."""
        end = time.time() + timeout
        try:
            while time.time() < end:
                if self.read(max(0.1, end - time.time())) is None:
                    return True
        except TimeoutError:
            pass
        return False

    def close(self):
        self.s.close()
