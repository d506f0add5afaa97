// The web UI in Debian's Chromium against a real daemon (harness.mjs):
// every page's values checked against the API's answers, search, the
// AS-path graph, comparison, shared URLs, live updates with no reload,
// keyboard use, contrast and width. Screenshots of every page go to
// BGPS_UI_ARTIFACTS (build/ui-artifacts by default).
//   node --test ui/e2e/          (BGPSENTRY=path/to/bgpsentry)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { World, artifacts, missing, sleep, waitFor } from './harness.mjs';

const PREFIX = '12.0.48.0/20'; // in both RouteViews 2014 and RIS 2002, differing
const AGGREGATE = '12.129.0.0/18'; // with more-specifics in the RIBs
const NEW = '203.0.113.0/24'; // announced by gobgpd during the tests

const why = missing();
const w = why ? null : new World();
const timings = {};

/** The hash route, and the page once its data is shown. */
async function show(page, hash) {
  await page.goto(`${w.base}/#${hash}`);
  await loaded(page);
}

async function loaded(page) {
  await page.waitForSelector('main[data-loaded="true"]:not([data-loading="true"])', { timeout: 15000 });
}

async function values(page, sel, attr = 'data-value') {
  return page.$$eval(sel, (els, a) => els.map((e) => e.getAttribute(a)), attr);
}

async function value(page, sel, attr = 'data-value') {
  const v = await page.getAttribute(sel, attr);
  assert.notEqual(v, null, `${sel} has no ${attr}`);
  return v;
}

const num = async (page, sel) => Number(await value(page, sel));
const sorted = (xs) => [...xs].map(String).sort();

/** Routes of a prefix as the API has them: VP id and path. */
const routeKeys = (routes) => sorted(routes.map((r) => `${r.vp.id}|${r.as_path}`));

/** The AS path's ASes, prepends collapsed, AS sets as one. */
function hops(path) {
  const out = [];
  for (const t of path.match(/\{[^}]*\}|\S+/g) ?? []) if (out[out.length - 1] !== t) out.push(t);
  return out;
}

/** WCAG 2 contrast of every visible text against its background, in the
 * page: the texts that fail (ratio below 4.5, or 3 for large text). */
async function contrastFailures(page) {
  return page.evaluate(() => {
    const rgb = (s) => {
      const m = s.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const lum = ({ r, g, b }) => {
      const f = (c) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      // the colours painted under el, topmost first, blended down
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      let out = { r: 255, g: 255, b: 255 };
      for (const c of layers.reverse()) out = { r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a), b: c.b * c.a + out.b * (1 - c.a) };
      return out;
    };
    const fails = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      seen.add(el);
      const st = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (st.visibility === 'hidden' || st.display === 'none' || box.width === 0 || box.height === 0) continue;
      if (el.closest('[aria-hidden="true"], .sr-only, .visually-hidden')) continue;
      const fg = rgb(st.color);
      if (!fg || fg.a === 0) continue;
      const bg = background(el);
      const f = { r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a) };
      const [l1, l2] = [lum(f), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(st.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) fails.push(`${n.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)} (${st.color} on rgb(${bg.r},${bg.g},${bg.b}))`);
    }
    return fails;
  });
}

/** The page does not scroll sideways at this width, nor do its tables
 * inside their boxes. */
async function fitsWidth(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1 &&
    [...document.querySelectorAll('.table-wrap')].every((e) => e.scrollWidth <= e.clientWidth + 1));
}

describe('web UI', { skip: why ?? false, timeout: 600000 }, () => {
  before(async () => {
    try {
      await w.start();
    } catch (e) {
      e.message += `\n${w.logs()}`;
      throw e;
    }
  });

  after(async () => {
    if (!w) return;
    writeFileSync(join(artifacts, 'timings.json'), JSON.stringify(timings, null, 2) + '\n');
    const rc = await w.stop();
    assert.equal(rc, 0, 'the daemon exited with an error');
  });

  it('overview: sources, VPs, RIB and memory as the API has them, first page under 1 s', async () => {
    const page = await w.page();
    const t0 = Date.now();
    await page.goto(`${w.base}/`);
    await page.waitForSelector('[data-testid="ov-routes"][data-value]');
    timings.overview_first_page_ms = Date.now() - t0;
    assert.ok(timings.overview_first_page_ms < 1000, `first page in ${timings.overview_first_page_ms} ms`);
    await loaded(page);
    // the RIB is still (the replays are done, gobgpd sends nothing yet):
    // what the page shows after its next poll is what the API says
    const stats = await w.api('/api/v1/stats');
    await waitFor(async () => (await num(page, '[data-testid="ov-routes"]')) === stats.routes, 'the routes shown');
    assert.equal(await num(page, '[data-testid="ov-vps-up"]'), stats.vps_up);
    assert.equal(await num(page, '[data-testid="ov-vps-down"]'), stats.vps - stats.vps_up);
    assert.equal(await num(page, '[data-testid="ov-prefixes"]'), stats.prefixes.ipv4 + stats.prefixes.ipv6);
    assert.equal(await num(page, '[data-testid="ov-memory"]'), stats.memory.total_bytes);
    const sources = await w.api('/api/v1/sources');
    assert.equal(await num(page, '[data-testid="ov-sources-total"]'), sources.length);
    for (const s of sources) {
      const row = `[data-testid="ov-source"][data-source="${s.name}"]`;
      assert.equal(await value(page, row, 'data-state'), s.state, s.name);
      assert.equal(await num(page, `${row} [data-col="vps"]`), s.vps, s.name);
      assert.equal(await num(page, `${row} [data-col="vps_up"]`), s.vps_up, s.name);
      assert.equal(await num(page, `${row} [data-col="routes"]`), s.routes, s.name);
    }
    assert.deepEqual(sorted(await values(page, '[data-testid="ov-source"]', 'data-source')), sorted(sources.map((s) => s.name)));
    // recent source events: the API's, newest first
    const ev = await w.api('/api/v1/events');
    assert.ok(ev.events.length >= 6, 'each source was added and came up');
    await waitFor(async () => (await values(page, '[data-testid="ov-event"]', 'data-seq')).join() ===
      ev.events.map((e) => String(e.seq)).reverse().slice(0, 50).join(), 'the events shown');
    assert.ok(await page.isVisible('[data-testid="ov-sparkline"] canvas'), 'a sparkline');
    assert.ok(await fitsWidth(page));
    await w.shot(page, 'overview');
    assert.deepEqual(page.errors, []);
  });

  it('looking glass: a prefix searched by keyboard, its routes per source as the API has them', async () => {
    const page = await w.page();
    await show(page, '/lg');
    // by keyboard: the box is labelled, typed in, Enter searches
    await page.getByLabel('Prefix or ASN').focus();
    await page.keyboard.type(PREFIX);
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="lg-prefix"][data-prefix="${PREFIX}"]`);
    await loaded(page);
    assert.match(decodeURIComponent(page.url()), new RegExp(`#/lg\\?.*q=${PREFIX.replace('.', '\\.')}`));
    const want = (await w.api(`/api/v1/prefix/${PREFIX}`)).prefixes[0];
    assert.equal(await num(page, '[data-testid="lg-vps-seeing"]'), want.summary.vps_seeing);
    assert.equal(await num(page, '[data-testid="lg-vps-up"]'), want.summary.vps_up);
    assert.equal(await num(page, '[data-testid="lg-routes"]'), want.summary.routes);
    assert.deepEqual(sorted(await values(page, '[data-testid="lg-origin"]', 'data-asn')), sorted(want.summary.origins));
    assert.deepEqual(sorted(await values(page, '[data-testid="lg-upstream"]', 'data-asn')), sorted(want.summary.upstreams));
    for (const s of want.sources) {
      const v = `[data-testid="lg-visibility"][data-source="${s.source}"]`;
      assert.equal(Number(await value(page, v, 'data-seeing')), s.vps_seeing, s.source);
      assert.equal(Number(await value(page, v, 'data-up')), s.vps_up, s.source);
    }
    // a group per source with routes, each route once
    const groups = sorted(new Set(want.routes.map((r) => r.source)));
    assert.deepEqual(sorted(await values(page, '[data-testid="lg-group"]', 'data-source')), groups);
    const rows = await page.$$eval('[data-testid="lg-route"]', (els) => els.map((e) => `${e.dataset.vpId}|${e.dataset.path}`));
    assert.deepEqual(sorted(rows), routeKeys(want.routes));
    for (const g of groups) {
      const n = await page.$$eval(`[data-testid="lg-group"][data-source="${g}"] [data-testid="lg-route"]`, (e) => e.length);
      assert.equal(n, want.routes.filter((r) => r.source === g).length, g);
    }
    // the filter box: an AS number keeps the routes through it (or
    // from a VP in it), and goes into the URL
    await page.fill('[data-testid="lg-filter"]', 'AS3356');
    const through = want.routes.filter((r) => hops(r.as_path).includes('3356') || r.vp.asn === 3356);
    assert.ok(through.length > 0 && through.length < want.routes.length);
    await waitFor(async () => sorted(await values(page, '[data-testid="lg-route"]', 'data-vp-id')).join() === sorted(through.map((r) => r.vp.id)).join(), 'the filtered routes');
    assert.match(decodeURIComponent(page.url()), /rf=AS3356/);
    await page.fill('[data-testid="lg-filter"]', '');
    assert.ok(await fitsWidth(page));
    await w.shot(page, 'looking-glass');
    assert.deepEqual(page.errors, []);
  });

  it('the AS-path graph: the origin at the centre, every VP on the edge, edges weighted by VPs', async () => {
    const page = await w.page();
    await show(page, `/lg?q=${encodeURIComponent(PREFIX)}`);
    await page.waitForSelector('[data-testid="lg-graph"][data-nodes]');
    await page.waitForFunction(() => window.__bgpsGraph && window.__bgpsGraph.nodes().length > 0);
    const want = (await w.api(`/api/v1/prefix/${PREFIX}`)).prefixes[0];
    const nodes = await page.$$eval('[data-testid="lg-graph-node"]', (els) => els.map((e) => ({ ...e.dataset })));
    const byRole = (r) => nodes.filter((n) => n.role === r);
    assert.deepEqual(sorted(byRole('origin').map((n) => n.asn)), sorted(want.summary.origins));
    assert.deepEqual(sorted(byRole('vp').map((n) => n.vpId)), sorted(new Set(want.routes.map((r) => r.vp.id))));
    // every AS on the paths is a node; those not origins are transit
    const ases = new Set(want.routes.flatMap((r) => hops(r.as_path)));
    for (const o of want.summary.origins) ases.delete(String(o));
    assert.deepEqual(sorted(byRole('transit').map((n) => n.asn)), sorted(ases));
    // weights: the VPs whose path goes through each AS
    for (const n of [...byRole('transit'), ...byRole('origin')]) {
      const through = new Set(want.routes.filter((r) => hops(r.as_path).includes(n.asn)).map((r) => r.vp.id));
      assert.equal(Number(n.weight), through.size, `AS${n.asn}`);
    }
    assert.equal(Number(await value(page, '[data-testid="lg-graph"]', 'data-nodes')), nodes.length);
    // each edge, from the VP's side to the origin's, weighted by the VPs
    // whose path has it
    const id = (t) => (t.startsWith('{') ? `set:${t.slice(1, -1).split(/[ ,]+/).map(Number).sort((a, b) => a - b).join(',')}` : `as:${t}`);
    const wantEdges = new Map();
    for (const r of want.routes) {
      const ids = [`vp:${r.vp.id}`, ...hops(r.as_path).map(id)];
      for (let i = 0; i + 1 < ids.length; i++) {
        const k = `${ids[i]}>${ids[i + 1]}`;
        if (!wantEdges.has(k)) wantEdges.set(k, new Set());
        wantEdges.get(k).add(r.vp.id);
      }
    }
    const edges = await page.$$eval('[data-testid="lg-graph-edge"]', (els) => els.map((e) => `${e.dataset.source}>${e.dataset.target}=${e.dataset.weight}`));
    assert.deepEqual(sorted(edges), sorted([...wantEdges].map(([k, v]) => `${k}=${v.size}`)));
    assert.equal(Number(await value(page, '[data-testid="lg-graph"]', 'data-edges')), wantEdges.size);
    // drawn: cytoscape holds the same nodes and edges
    assert.deepEqual(await page.evaluate(() => [window.__bgpsGraph.nodes().length, window.__bgpsGraph.edges().length]), [nodes.length, wantEdges.size]);
    // on the canvas: the origin at the centre of the drawing, each VP
    // farther from it than any AS
    const pos = await page.evaluate((ns) => {
      const cy = window.__bgpsGraph;
      return ns.map((n) => ({ role: n.role, ...cy.getElementById(n.id).position() }));
    }, nodes);
    const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cyy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    const origin = pos.find((p) => p.role === 'origin');
    assert.ok(Math.hypot(origin.x - cx, origin.y - cyy) < span * 0.1, 'the origin at the centre');
    const d = (p) => Math.hypot(p.x - origin.x, p.y - origin.y);
    const nearestVp = Math.min(...pos.filter((p) => p.role === 'vp').map(d));
    const farthestAs = Math.max(...pos.filter((p) => p.role !== 'vp').map(d));
    assert.ok(nearestVp > farthestAs, `VPs (from ${nearestVp}) outside the ASes (to ${farthestAs})`);
    await page.locator('[data-testid="lg-graph"]').scrollIntoViewIfNeeded();
    await w.shot(page, 'as-path-graph');
    assert.deepEqual(page.errors, []);
  });

  it('compare two sources side by side, differences marked', async () => {
    const page = await w.page();
    await show(page, `/lg?q=${encodeURIComponent(PREFIX)}`);
    await page.selectOption('[data-testid="lg-cmp-a"]', 'rv');
    await page.selectOption('[data-testid="lg-cmp-b"]', 'rrc00');
    await page.waitForSelector('[data-testid="lg-compare"]');
    await loaded(page);
    const want = (await w.api(`/api/v1/compare?prefix=${PREFIX}&a=rv&b=rrc00`)).prefixes[0];
    const only = async (side) => page.$$eval(`[data-testid="cmp-path"][data-only="${side}"]`, (els) => els.length);
    await waitFor(async () => (await only('a')) === want.paths_only_in_a.length, 'paths only in A');
    assert.equal(await only('b'), want.paths_only_in_b.length);
    const a = await page.textContent('[data-testid="cmp-a"]');
    const b = await page.textContent('[data-testid="cmp-b"]');
    for (const p of want.paths_only_in_a) assert.ok(a.includes(p), p);
    for (const p of want.paths_only_in_b) assert.ok(b.includes(p), p);
    for (const u of want.upstreams_only_in_a) assert.ok(a.includes(String(u)), `upstream ${u}`);
    // marked by more than colour: words say which side
    assert.match(await page.textContent('[data-testid="lg-compare"]'), /only in A/i);
    const bgOnly = await page.$eval('[data-testid="cmp-path"][data-only="a"]', (e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(bgOnly, 'rgba(0, 0, 0, 0)', 'a difference is highlighted');
    await page.locator('[data-testid="lg-compare"]').scrollIntoViewIfNeeded();
    await w.shot(page, 'compare');
    assert.deepEqual(page.errors, []);
  });

  it('more- and less-specifics, and a shared URL restores the view', async () => {
    const page = await w.page();
    await show(page, `/lg?q=${encodeURIComponent(AGGREGATE)}`);
    await page.check('[data-testid="lg-more"]');
    await loaded(page);
    const want = await w.api(`/api/v1/prefix/${AGGREGATE}?more_specifics=1`);
    assert.ok(want.prefixes.length > 3);
    await waitFor(async () => sorted(await values(page, '[data-testid="lg-prefix"]', 'data-prefix')).join() ===
      sorted(want.prefixes.map((p) => p.prefix)).join(), 'every more-specific listed');
    await page.selectOption('[data-testid="lg-cmp-a"]', 'rv');
    await page.selectOption('[data-testid="lg-cmp-b"]', 'rrc00');
    await page.waitForSelector('[data-testid="lg-compare"]');
    await loaded(page);
    await w.shot(page, 'more-specifics');
    const url = page.url();
    const rows = sorted(await values(page, '[data-testid="lg-route"]', 'data-path'));
    // a new browser context, the URL alone
    const other = await w.page();
    await other.goto(url);
    await loaded(other);
    await other.waitForSelector('[data-testid="lg-compare"]');
    assert.equal(await other.isChecked('[data-testid="lg-more"]'), true);
    assert.equal(await other.inputValue('[data-testid="lg-input"]'), AGGREGATE);
    assert.equal(await other.inputValue('[data-testid="lg-cmp-a"]'), 'rv');
    assert.equal(await other.inputValue('[data-testid="lg-cmp-b"]'), 'rrc00');
    assert.deepEqual(sorted(await values(other, '[data-testid="lg-prefix"]', 'data-prefix')), sorted(want.prefixes.map((p) => p.prefix)));
    assert.deepEqual(sorted(await values(other, '[data-testid="lg-route"]', 'data-path')), rows);
    // less-specifics of the /20: itself and what covers it
    await show(other, `/lg?q=${encodeURIComponent(PREFIX)}&less=1`);
    const less = await w.api(`/api/v1/prefix/${PREFIX}?less_specifics=1`);
    assert.ok(less.prefixes.length >= 2);
    assert.equal(await other.isChecked('[data-testid="lg-less"]'), true);
    await waitFor(async () => sorted(await values(other, '[data-testid="lg-prefix"]', 'data-prefix')).join() ===
      sorted(less.prefixes.map((p) => p.prefix)).join(), 'the less-specifics listed');
    assert.deepEqual([...page.errors, ...other.errors], []);
  });

  it('an ASN: what it originates, its neighbours', async () => {
    const page = await w.page();
    await show(page, '/lg');
    await page.fill('[data-testid="lg-input"]', 'AS1742');
    await page.click('[data-testid="lg-submit"]');
    await page.waitForSelector('[data-testid="asn-view"][data-asn="1742"]');
    await loaded(page);
    const want = await w.api('/api/v1/asn/1742');
    assert.deepEqual(sorted(await values(page, '[data-testid="asn-originated"]', 'data-prefix')), sorted(want.originated.map((o) => o.prefix)));
    assert.deepEqual(sorted(await values(page, '[data-testid="asn-upstream"]', 'data-asn')), sorted(want.upstreams.map((u) => u.asn)));
    assert.deepEqual(sorted(await values(page, '[data-testid="asn-downstream"]', 'data-asn')), sorted(want.downstreams.map((u) => u.asn)));
    assert.equal(await num(page, '[data-testid="asn-vps-seeing"]'), want.vps_seeing);
    await w.shot(page, 'asn');
    // a bad query is refused in the page, with no request
    await page.fill('[data-testid="lg-input"]', '12.0.0.0/33');
    await page.click('[data-testid="lg-submit"]');
    await page.waitForSelector('[data-testid="lg-error"]');
    assert.deepEqual(page.errors, []);
  });

  it('sources and VPs: every one as the API has it; filter and sort, kept in the URL', async () => {
    const page = await w.page();
    await show(page, '/sources');
    const sources = await w.api('/api/v1/sources');
    for (const s of sources) {
      const row = `[data-testid="src-row"][data-source="${s.name}"]`;
      assert.equal(await value(page, row, 'data-state'), s.state);
      for (const k of ['vps', 'vps_up', 'routes', 'gaps_total'])
        assert.equal(await num(page, `${row} [data-col="${k}"]`), s[k], `${s.name} ${k}`);
    }
    const vps = await w.api('/api/v1/vps');
    assert.deepEqual(sorted(await values(page, '[data-testid="vp-row"]', 'data-vp-id')), sorted(vps.map((v) => v.id)));
    assert.equal(await num(page, '[data-testid="vp-count"]'), vps.length);
    await w.shot(page, 'sources');
    // filter on an AS number: the VPs with it in their name, address,
    // ASN or source
    await page.fill('[data-testid="vp-filter"]', '7018');
    const match = vps.filter((v) => [v.name, v.address, String(v.asn), v.source].some((f) => f.includes('7018')));
    assert.ok(match.length >= 1);
    await waitFor(async () => sorted(await values(page, '[data-testid="vp-row"]', 'data-vp-id')).join() === sorted(match.map((v) => v.id)).join(), 'the filtered VPs');
    assert.equal(await num(page, '[data-testid="vp-count"]'), match.length);
    await page.fill('[data-testid="vp-filter"]', '');
    // sort by IPv4 routes, largest first
    await page.click('[data-sort="routes_v4"]');
    let order = await values(page, '[data-testid="vp-row"]', 'data-vp-id');
    const v4 = new Map(vps.map((v) => [String(v.id), v.routes_v4]));
    const asc = order.map((id) => v4.get(id));
    if (asc[0] > asc[asc.length - 1]) asc.reverse();
    else await page.click('[data-sort="routes_v4"]');
    order = await values(page, '[data-testid="vp-row"]', 'data-vp-id');
    const desc = order.map((id) => v4.get(id));
    for (let i = 1; i < desc.length; i++) assert.ok(desc[i - 1] >= desc[i], `sorted at ${i}: ${desc[i - 1]} then ${desc[i]}`);
    // a state filter, then the URL alone restores both
    await page.selectOption('[data-testid="vp-state"]', 'up');
    const up = vps.filter((v) => v.state === 'up').length;
    await waitFor(async () => (await num(page, '[data-testid="vp-count"]')) === up, 'the VPs up');
    const other = await w.page();
    await other.goto(page.url());
    await loaded(other);
    assert.equal(await other.inputValue('[data-testid="vp-state"]'), 'up');
    assert.equal(await num(other, '[data-testid="vp-count"]'), up);
    assert.deepEqual(await values(other, '[data-testid="vp-row"]', 'data-vp-id'), await values(page, '[data-testid="vp-row"]', 'data-vp-id'));
    assert.deepEqual([...page.errors, ...other.errors], []);
  });

  it('new routes appear with no reload: the looking glass, the overview and the graph follow', async () => {
    const lg = await w.page();
    await show(lg, `/lg?q=${encodeURIComponent(NEW)}`);
    const ov = await w.page();
    await show(ov, '/');
    await lg.evaluate(() => (window.__noReload = 1));
    await ov.evaluate(() => (window.__noReload = 1));
    assert.equal(await lg.$$eval('[data-testid="lg-route"]', (e) => e.length), 0);
    // live by the daemon's RIS Live stream (no token here)
    await lg.waitForSelector('[data-testid="lg-live"][data-mode="ws"]');
    const lab = (await w.api('/api/v1/vps')).find((v) => v.source === 'lab');
    const before = (await w.api('/api/v1/stats')).routes;
    const t0 = Date.now();
    w.announce(NEW, 'aspath', '64500', 'nexthop', '127.0.0.2');
    await lg.waitForSelector(`[data-testid="lg-route"][data-vp-id="${lab.id}"]`, { timeout: 10000 });
    timings.new_route_shown_ms = Date.now() - t0;
    assert.equal(await value(lg, `[data-testid="lg-route"][data-vp-id="${lab.id}"]`, 'data-path'), '65010 64500');
    await lg.waitForSelector('[data-testid="lg-origin"][data-asn="64500"]');
    await lg.waitForSelector('[data-testid="lg-graph-node"][data-role="origin"][data-asn="64500"]');
    await ov.waitForFunction((n) => Number(document.querySelector('[data-testid="ov-routes"]')?.dataset.value) === n, before + 1, { timeout: 10000 });
    assert.equal(await lg.evaluate(() => window.__noReload), 1, 'the looking glass was not reloaded');
    assert.equal(await ov.evaluate(() => window.__noReload), 1, 'the overview was not reloaded');
    await w.shot(lg, 'new-route');
    assert.deepEqual([...lg.errors, ...ov.errors], []);
  });

  it('live: a source added by a reload shows its events, rate and sparkline with no page reload', async () => {
    const page = await w.page();
    await show(page, '/');
    await page.evaluate(() => (window.__noReload = 1));
    const points0 = Number(await value(page, '[data-testid="ov-sparkline"]', 'data-points'));
    await w.reload(true);
    await page.waitForSelector('[data-testid="ov-source"][data-source="rrc15"]', { timeout: 10000 });
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="ov-rate"]')?.dataset.value) > 0, null, { timeout: 15000 });
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="ov-event"]')].some((e) => e.textContent.includes('rrc15')), null, { timeout: 10000 });
    await sleep(2500);
    const points = Number(await value(page, '[data-testid="ov-sparkline"]', 'data-points'));
    assert.ok(points >= points0 + 2, `the sparkline grows (${points0} then ${points})`);
    // the rate shown is the sum of the sources' rates at one of the
    // last polls: close to the API's now
    const rate = (await w.api('/api/v1/sources')).reduce((a, s) => a + s.events_per_s_1m, 0);
    assert.ok(rate > 0);
    assert.equal(await page.evaluate(() => window.__noReload), 1);
    await w.shot(page, 'overview-live');
    const src = await w.page();
    await show(src, '/sources');
    await src.waitForSelector('[data-testid="src-row"][data-source="rrc15"]');
    await w.shot(src, 'sources-live');
    assert.deepEqual([...page.errors, ...src.errors], []);
  });

  it('with tokens: the UI asks for one, then shows the data; live by polling', async () => {
    const token = 'ui-read-token-0123456789';
    const base = await w.startWithToken(token);
    const page = await w.page();
    await page.goto(`${base}/#/lg?q=${encodeURIComponent(PREFIX)}`);
    await page.waitForSelector('[data-testid="auth-form"]');
    await page.fill('[data-testid="auth-token"]', 'wrong-token-0123456789');
    await page.click('[data-testid="auth-submit"]');
    await page.waitForSelector('[data-testid="auth-form"]');
    assert.match(await page.textContent('[data-testid="auth-form"]'), /not accepted/);
    await page.fill('[data-testid="auth-token"]', token);
    await page.click('[data-testid="auth-submit"]');
    await page.waitForSelector(`[data-testid="lg-prefix"][data-prefix="${PREFIX}"]`, { timeout: 30000 });
    await loaded(page);
    const r = await fetch(`${base}/api/v1/prefix/${PREFIX}`, { headers: { Authorization: `Bearer ${token}` } });
    const want = (await r.json()).prefixes[0];
    await waitFor(async () => (await page.$$eval('[data-testid="lg-route"]', (e) => e.length)) === want.routes.length, 'the routes');
    // the stream cannot carry the token: polling instead
    assert.equal(await value(page, '[data-testid="lg-live"]', 'data-mode'), 'polling');
    await page.click('[data-testid="nav-overview"]');
    await page.waitForSelector('[data-testid="ov-routes"][data-value]');
    await w.shot(page, 'with-token');
    // 401s were expected before the token; nothing else went wrong
    assert.deepEqual(page.errors.filter((e) => !/401/.test(e)), []);
  });

  it('every page: keyboard first, WCAG AA contrast, no sideways scroll at 1280 and 1024 wide', async () => {
    for (const vp of [{ width: 1280, height: 720 }, { width: 1024, height: 640 }]) {
      const page = await w.page(vp);
      for (const [name, hash] of [['overview', '/'], ['lg', `/lg?q=${encodeURIComponent(PREFIX)}&a=rv&b=rrc00`], ['sources', '/sources']]) {
        await show(page, hash);
        if (name === 'lg') await page.waitForSelector('[data-testid="lg-compare"]');
        const fails = await contrastFailures(page);
        assert.deepEqual(fails, [], `${name} at ${vp.width}: text below WCAG AA contrast`);
        assert.ok(await fitsWidth(page), `${name} scrolls sideways at ${vp.width}`);
        await w.shot(page, `${name}-${vp.width}`);
      }
      // Tab from the top: the skip link first, then the navigation,
      // which Enter follows
      await show(page, '/');
      await page.keyboard.press('Tab');
      assert.match(await page.evaluate(() => document.activeElement.textContent), /skip/i);
      let onNav = false;
      for (let i = 0; i < 6 && !onNav; i++) {
        await page.keyboard.press('Tab');
        onNav = await page.evaluate(() => document.activeElement.dataset.testid === 'nav-sources');
      }
      assert.ok(onNav, 'the navigation is reached by Tab');
      // a focus ring is drawn
      const outline = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 || s.boxShadow !== 'none';
      });
      assert.ok(outline, 'the focused link is marked');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="src-row"]');
      assert.match(page.url(), /#\/sources/);
      assert.deepEqual(page.errors, []);
    }
  });
});
