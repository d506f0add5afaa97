// Times the web UI's pages in Debian's Chromium against a running daemon:
// for each page, from navigation to its data shown (main[data-loaded]),
// cold (a new browser context: nothing cached) and warm (the same
// context again). Medians of RUNS. Prints a table and one JSON line.
//   node bench/ui_pages.mjs BASE_URL PREFIX [RUNS]
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../ui/package.json'));
const { chromium } = require('playwright-core');

const [base, prefix, runsArg] = process.argv.slice(2);
if (!base || !prefix) {
  console.error('usage: node bench/ui_pages.mjs BASE_URL PREFIX [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 7);
const exe = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find(existsSync);
const pages = [
  ['overview', '/#/', '[data-testid="ov-routes"][data-value]'],
  ['looking glass', `/#/lg?q=${encodeURIComponent(prefix)}`, '[data-testid="lg-route"]'],
  ['AS-path graph', `/#/lg?q=${encodeURIComponent(prefix)}`, '[data-testid="lg-graph"][data-nodes]'],
  ['sources & VPs', '/#/sources', '[data-testid="vp-row"]'],
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const browser = await chromium.launch({
  executablePath: exe,
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const out = {};
for (const [name, hash, ready] of pages) {
  const cold = [], warm = [];
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    for (const into of [cold, warm]) {
      const t0 = performance.now();
      await page.goto(base + hash);
      await page.waitForSelector(ready, { timeout: 30000 });
      into.push(performance.now() - t0);
      await page.goto('about:blank');
    }
    await ctx.close();
  }
  out[name] = { cold_ms: median(cold), warm_ms: median(warm), cold_max_ms: Math.max(...cold) };
  console.log(`${name.padEnd(14)} cold ${median(cold).toFixed(0).padStart(5)} ms (max ${Math.max(...cold).toFixed(0)})  warm ${median(warm).toFixed(0).padStart(5)} ms   (medians of ${runs})`);
}
await browser.close();
console.log(JSON.stringify(out));
