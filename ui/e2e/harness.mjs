// The end-to-end tests' world: a real bgpsentry daemon serving the built
// UI (ui/dist), fed by real MRT data from ../shared/data and a real BGP
// session from gobgpd on loopback; Debian's Chromium driven by
// playwright-core. Everything started here is stopped by stop().
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
export const shared = process.env.BGPS_SHARED_DATA ?? resolve(repo, '../shared/data');
export const RV = join(shared, 'mrt/routeviews/route-views2.rib.20140523.0600_firstMB.bz2');
export const RRC15 = join(shared, 'mrt/ris/rrc15.updates.20100227.1600.gz');
// the demo's RIB dump of rrc00 (2002), in the repository (demo/)
export const RRC00 = join(repo, 'demo/rrc00.bview.20020722.2337.gz');
export const artifacts = process.env.BGPS_UI_ARTIFACTS ?? join(repo, 'build/ui-artifacts');

/** Why the tests cannot run here, or null. */
export function missing() {
  if (!existsSync(RV)) return `no shared data (${RV})`;
  return null;
}

export function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond, what, timeoutMs = 30000, stepMs = 100) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await cond();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(stepMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

function chromiumPath() {
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) if (existsSync(p)) return p;
  throw new Error('Debian chromium is not installed (scripts/install-deps.sh installs it)');
}

export class World {
  constructor() {
    this.procs = [];
    this.tmp = mkdtempSync(join(tmpdir(), 'bgps-ui-e2e-'));
    this.bin = process.env.BGPSENTRY ?? join(repo, 'build/bgpsentry');
    this.ui = process.env.BGPS_UI_DIST ?? join(repo, 'ui/dist');
  }

  sourcesYaml(withUpdates) {
    let y = `sources:
  - name: rv
    type: mrt
    files: [${RV}]
  - name: rrc00
    type: mrt
    files: [${RRC00}]
  - name: lab
    type: bgp
    local_as: 65000
    router_id: 10.0.0.100
    listen: 127.0.0.1:${this.bgpPort}
    connect_retry: 1
    peers:
      - address: 127.0.0.2
        remote_as: 65010
        passive: true
        local_address: 127.0.0.1
`;
    if (withUpdates)
      y += `  - name: rrc15
    type: mrt
    files: [${RRC15}]
    speed: 20
    loop: true
`;
    return y;
  }

  writeConfig(withUpdates) {
    writeFileSync(
      this.conf,
      `log: {level: info}
data_dir: ${this.tmp}/var
api:
  listen: 127.0.0.1:${this.port}
  ui_dir: ${this.ui}
${this.sourcesYaml(withUpdates)}`,
    );
  }

  async start() {
    if (!existsSync(join(this.ui, 'index.html')))
      throw new Error(`${this.ui}/index.html: the UI is not built (make ui)`);
    this.port = await freePort();
    this.bgpPort = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.conf = join(this.tmp, 'bgpsentry.yaml');
    this.writeConfig(false);
    this.spawn('bgpsentry', this.bin, ['run', '-c', this.conf]);
    await waitFor(() => this.api('/healthz').then(() => true), "the daemon's API");
    await waitFor(async () => {
      const s = await this.api('/api/v1/sources');
      return s.filter((x) => x.name === 'rv' || x.name === 'rrc00').every((x) => x.state === 'done');
    }, 'the MRT replays', 60000);
    await this.startGobgp();
    const { chromium } = await import('playwright-core');
    this.browser = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    mkdirSync(artifacts, { recursive: true });
  }

  /** A second daemon, with a read token: the rv replay alone. */
  async startWithToken(token) {
    const port = await freePort();
    const conf = join(this.tmp, 'token.yaml');
    writeFileSync(
      conf,
      `data_dir: ${this.tmp}/var-token
api:
  listen: 127.0.0.1:${port}
  ui_dir: ${this.ui}
  tokens:
    - {name: viewer, token: ${token}, role: read}
sources:
  - name: rv
    type: mrt
    files: [${RV}]
`,
    );
    this.spawn('bgpsentry-token', this.bin, ['run', '-c', conf]);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(() => fetch(base + '/healthz').then((r) => r.ok), 'the second daemon');
    return base;
  }

  spawn(name, bin, args) {
    const log = join(this.tmp, `${name}.log`);
    const out = openSync(log, 'a');
    const p = spawn(bin, args, { stdio: ['ignore', out, out] });
    p.logFile = log;
    p.name = name;
    this.procs.push(p);
    return p;
  }

  async startGobgp() {
    this.gobgpApi = await freePort();
    const conf = join(this.tmp, 'gobgpd.toml');
    writeFileSync(
      conf,
      `[global.config]
  as = 65010
  router-id = "10.0.0.2"
  port = -1
  local-address-list = ["127.0.0.2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 65000
  [neighbors.timers.config]
    connect-retry = 1
  [neighbors.transport.config]
    local-address = "127.0.0.2"
    remote-port = ${this.bgpPort}
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
`,
    );
    this.spawn('gobgpd', 'gobgpd', ['-t', 'toml', '-f', conf, '--api-hosts', `127.0.0.1:${this.gobgpApi}`, '--pprof-disable']);
    await waitFor(() => this.gobgp('global').status === 0, "gobgpd's API");
    await waitFor(async () => {
      const vps = await this.api('/api/v1/vps');
      return vps.some((v) => v.source === 'lab' && v.state === 'up');
    }, 'the BGP session with gobgpd', 60000);
  }

  gobgp(...args) {
    return spawnSync('gobgp', ['-u', '127.0.0.1', '-p', String(this.gobgpApi), ...args], { encoding: 'utf8', timeout: 30000 });
  }

  /** A route from gobgpd to bgpsentry. */
  announce(prefix, ...attrs) {
    const r = this.gobgp('global', 'rib', 'add', prefix, ...attrs, '-a', 'ipv4');
    if (r.status !== 0) throw new Error(`gobgp: ${r.stderr}`);
  }

  async api(path) {
    const r = await fetch(this.base + path);
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}: ${await r.text()}`);
    return r.json();
  }

  async reload(withUpdates) {
    this.writeConfig(withUpdates);
    const r = await fetch(this.base + '/api/v1/reload', { method: 'POST' });
    if (!r.ok) throw new Error(`reload: HTTP ${r.status}: ${await r.text()}`);
  }

  async page(viewport = { width: 1280, height: 720 }) {
    const ctx = await this.browser.newContext({ viewport });
    const page = await ctx.newPage();
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') page.errors.push(m.text());
    });
    return page;
  }

  async shot(page, name) {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  }

  /** The logs of what was started, for a failure's message. */
  logs() {
    return this.procs
      .map((p) => {
        let t = '';
        try {
          t = readFileSync(p.logFile, 'utf8');
        } catch {
          /* none */
        }
        return `--- ${p.name}:\n${t.slice(-3000)}`;
      })
      .join('\n');
  }

  async stop() {
    if (this.browser) await this.browser.close();
    for (const p of this.procs.reverse()) {
      if (p.exitCode === null) {
        p.kill('SIGTERM');
        await Promise.race([new Promise((r) => p.once('exit', r)), sleep(10000)]);
        if (p.exitCode === null) p.kill('SIGKILL');
      }
    }
    // every daemon stopped cleanly (a sanitizer's report makes it 1)
    const rc = Math.max(0, ...this.procs.filter((p) => p.name.startsWith('bgpsentry')).map((p) => p.exitCode ?? 1));
    if (!process.env.BGPS_KEEP_TMP) rmSync(this.tmp, { recursive: true, force: true });
    return rc;
  }
}
