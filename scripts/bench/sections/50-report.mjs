// Report benchmark: open the report on Trends for 50 metrics × 10k runs, as the panel does it.
// The real ReportHost answers a real page in headless Chromium over a stand-in message channel;
// measured: host view-model time, render time in the page (reply received → first chart drawn)
// and the bytes posted to the webview.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { median, ms, ratio } from '../lib.mjs';

const METRICS = 50;
const DAY = 86_400_000;
/** The generated history ends here; the report's clock is pinned to it. */
const DATA_END = Date.UTC(2026, 0, 1);

function metricId(m) {
  return `metric-${String(m).padStart(2, '0')}`;
}

/** A store with `runs` runs of 50 metrics (two label metrics), over a year, 70 % on main. */
async function reportStore(ctx, runs) {
  const file = path.join(ctx.cacheDir, `report-${METRICS}x${runs}-v1.db`);
  if (existsSync(file)) return file;
  mkdirSync(ctx.cacheDir, { recursive: true });
  const { loadSqlJs } = ctx.out('src/core/store/sqljs.js');
  const { migrate } = ctx.out('src/core/store/schema.js');
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  migrate(db);
  db.run('BEGIN');
  const def = db.prepare('INSERT INTO metric_definitions (id, type, unit, direction) VALUES (?, ?, ?, ?)');
  const units = ['bytes', 'percent', 'duration', 'integer', 'decimal'];
  for (let m = 0; m < METRICS; m++) {
    const label = m >= METRICS - 2;
    def.run([metricId(m), label ? 'label' : 'numeric', label ? null : units[m % units.length], label ? null : m % 2 ? 'lower-is-better' : 'higher-is-better']);
  }
  def.free();
  const build = db.prepare('INSERT INTO build_contexts (id, commit_sha, branch, run_id, run_number, event_name, timestamp, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const value = db.prepare('INSERT INTO metric_values (metric_id, build_id, value_numeric, value_label) VALUES (?, ?, ?, ?)');
  const end = DATA_END;
  for (let i = 0; i < runs; i++) {
    const branch = i % 10 < 7 ? 'main' : i % 10 < 9 ? 'feature' : `topic-${i % 13}`;
    const timestamp = new Date(end - (runs - i) * ((365 * DAY) / runs)).toISOString();
    build.run([i + 1, createHash('sha1').update(`report ${i}`).digest('hex'), branch, `r-${i}`, i + 1, i % 5 === 0 ? 'save' : 'ci', timestamp, i % 5 === 0 ? 1 : 0]);
    for (let m = 0; m < METRICS; m++) {
      if (m >= METRICS - 2) value.run([metricId(m), i + 1, null, `v${Math.floor(i / 2500)}.${m}`]);
      else value.run([metricId(m), i + 1, 1000 * (m + 1) + Math.sin(i / 97 + m) * 50 + (i % 997 === 0 ? 400 : 0) + i * 0.01, null]);
    }
  }
  build.free();
  value.free();
  db.run("INSERT INTO store_meta (key, value) VALUES ('journal_seq', '0')");
  db.run('COMMIT');
  writeFileSync(`${file}.tmp`, db.export());
  db.close();
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Opens the panel page on Trends and returns timings and bytes of one cold open. */
async function openOnce(ctx, browser, store, dir, range, scrollAll = false) {
  const { ReportHost } = ctx.out('src/core/report/host.js');
  const { panelHtml } = ctx.out('src/core/report/panelHtml.js');
  const { STANDALONE_THEME_CSS } = ctx.out('src/core/report/standaloneTheme.js');
  const dist = path.join(ctx.root, 'dist');
  const file = path.join(dir, 'panel.html');
  writeFileSync(file, panelHtml({ nonce: 'YmVuY2g=', cspSource: 'file:', scriptUri: `file://${dist}/webview.js`, styleUri: `file://${dist}/webview.css` }));
  const hostTimes = {};
  const posted = [];
  let page;
  let opened;
  const pageReady = new Promise((resolve) => (opened = resolve));
  const source = { store, folderName: 'bench', currentBranch: async () => 'feature', referenceBranch: async () => 'main', now: () => DATA_END };
  const logger = {
    trace() {},
    info() {},
    warn: (m) => console.error(m),
    error: (m) => console.error(m),
    debug: (m) => {
      const match = /report: (\w+) answered in (\d+) ms/.exec(m);
      if (match) hostTimes[match[1]] ??= Number(match[2]);
    },
  };
  const host = new ReportHost({
    source: async () => source,
    post: async (message) => {
      posted.push({ type: message.type, bytes: Buffer.byteLength(JSON.stringify(message)) });
      return (await pageReady).evaluate((m) => window.postMessage(m, '*'), message);
    },
    logger,
    runAll: async () => {},
    copy: async () => {},
  });
  host.navigate({ view: 'trends' });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.exposeBinding('toHost', (_s, json) => void host.receive(JSON.parse(json)));
  await context.addInitScript(([css, saved]) => {
    window.acquireVsCodeApi = () => ({ postMessage: (m) => window.toHost(JSON.stringify(m)), getState: () => saved, setState() {} });
    window.addEventListener('message', (e) => {
      if (e.data?.type === 'reply' && e.data.result?.series && window.trendsReplyAt === undefined) window.trendsReplyAt = performance.now();
    });
    document.addEventListener('DOMContentLoaded', () => {
      document.body.classList.add('vscode-dark');
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      document.adoptedStyleSheets = [sheet];
      new MutationObserver((_, observer) => {
        if (document.querySelector('.chart-card.drawn')) {
          window.firstChartAt = performance.now();
          observer.disconnect();
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] });
    });
  }, [STANDALONE_THEME_CSS, { view: 'trends', range, includeDirty: false }]);
  page = await context.newPage();
  await page.goto(`file://${file}`);
  opened(page);
  await page.waitForFunction(() => window.firstChartAt !== undefined, null, { timeout: 60_000 });
  const { replyAt, drawnAt } = await page.evaluate(() => ({ replyAt: window.trendsReplyAt, drawnAt: window.firstChartAt }));
  const charts = await page.locator('.chart-card').count();
  const trendsBytes = posted.filter((p) => p.type === 'reply').reduce((max, p) => Math.max(max, p.bytes), 0);
  // Everything posted up to and including the reply that drew the first chart.
  const firstReply = posted.findIndex((p) => p.type === 'reply');
  const firstBytes = posted.slice(0, firstReply + 1).reduce((s, p) => s + p.bytes, 0);
  // Then scroll through every chart, as a user reading the whole page would.
  let allBytes;
  if (scrollAll) {
    for (const card of await page.locator('.chart-card').all()) await card.scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => document.querySelector('.trends')?.dataset.loadedCharts === String(n), charts, { timeout: 120_000 });
    allBytes = posted.reduce((s, p) => s + p.bytes, 0);
  }
  await context.close();
  return { host: hostTimes.trends, render: drawnAt - replyAt, bytes: firstBytes, trendsBytes, charts, allBytes };
}

/**
 * A page's Trends batches with thresholds: the charts ask for their data a few metrics at a time
 * as they scroll into view, and every reply carries HEAD's limits (an evaluate(): git + store).
 * One ReportBackend per page (what ReportHost does) reuses them; the naive reference builds a
 * backend per message (what it did before), so every batch evaluates again.
 */
async function pageBatches(ctx) {
  const commits = ctx.quick ? 200 : 1000;
  const metrics = 10;
  const batches = 10;
  const { openStore } = ctx.out('src/core/store/sqlStore.js');
  const { ReportHost } = ctx.out('src/core/report/host.js');
  const { ReportBackend } = ctx.out('src/core/report/backend.js');
  const dir = ctx.tempDir();
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  let stream = '';
  for (let i = 0; i < commits; i++) stream += `commit refs/heads/main\nmark :${i + 1}\ncommitter B <b@example.com> ${1_700_000_000 + i * 3600} +0000\ndata 2\nc\n${i ? `from :${i}\n` : ''}\n`;
  stream += `commit refs/heads/feature\ncommitter B <b@example.com> ${1_700_000_000 + commits * 3600} +0000\ndata 2\nf\nfrom :${commits}\n\n`;
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream });
  execFileSync('git', ['checkout', '-q', 'feature'], { cwd: dir });
  const shas = execFileSync('git', ['rev-list', '--reverse', 'main'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  const store = await openStore(path.join(dir, 'bench.db'));
  const definitions = Array.from({ length: metrics }, (_, k) => ({ id: `m${k}`, type: 'numeric', unit: 'bytes', direction: 'lower-is-better' }));
  const config = {
    metrics: Object.fromEntries(definitions.map((d) => [d.id, { type: 'numeric', unit: 'bytes', direction: 'lower-is-better', command: 'x', timeout: 1000, onSave: false, thresholds: { test: 't-test', maxIncreasePercent: 5, max: '2 kB' } }])),
    baseline: { referenceBranch: 'main', maxAgeDays: 90 },
  };
  const end = 1_700_000_000_000 + commits * 3_600_000;
  const build = (sha, branch, i) => ({ commitSha: sha, branch, runId: `r${i}`, event: 'ci', timestamp: new Date(1_700_000_000_000 + i * 3_600_000).toISOString(), dirty: false });
  for (let i = 0; i < commits; i++) {
    await store.recordBuild({ build: build(shas[i], 'main', i), definitions, results: definitions.map((d, k) => ({ metric: d.id, status: 'ok', value: 1000 + ((i * 7 + k) % 50), durationMs: 1 })) });
  }
  await store.recordBuild({ build: build(head, 'feature', commits), definitions, results: definitions.map((d) => ({ metric: d.id, status: 'ok', value: 1100, durationMs: 1 })) });
  const source = { store, folderName: 'bench', cwd: dir, config, currentBranch: async () => 'feature', referenceBranch: async () => 'main', now: () => end };
  const query = (k) => ({ range: 'all', branches: [], includeDirty: false, width: 400, metrics: [`m${k}`] });
  const quiet = { trace() {}, debug() {}, info() {}, warn: (m) => console.error(m), error: (m) => console.error(m) };

  const perPage = async () => {
    const host = new ReportHost({ source: async () => source, post: async () => {}, logger: quiet, runAll: async () => {}, copy: async () => {} });
    await host.receive({ type: 'ready' });
    const t0 = performance.now();
    for (let k = 0; k < batches; k++) await host.receive({ type: 'request', id: k, request: { kind: 'trends', query: query(k) } });
    return performance.now() - t0;
  };
  const perMessage = async () => {
    const t0 = performance.now();
    for (let k = 0; k < batches; k++) {
      const reply = await new ReportBackend(source).handle({ kind: 'trends', query: query(k) });
      if (!reply.limits) throw new Error('bench: the naive reference got no limits');
    }
    return performance.now() - t0;
  };
  try {
    await perPage();
    await perMessage();
    const ours = [];
    const naive = [];
    for (let i = 0; i < (ctx.quick ? 3 : 5); i++) {
      ours.push(await perPage());
      naive.push(await perMessage());
    }
    const [o, n] = [median(ours), median(naive)];
    return {
      columns: ['', 'one backend per page', 'a backend per message (naive)', 'ratio', 'target', 'met'],
      rows: [[`${batches} Trends batches of one page`, ms(o), ms(n), ratio(o, n), '≤ 0.5×', o <= n / 2 ? 'yes' : 'NO']],
      notes: [`${commits} runs of ${metrics} metrics with 3 rules each (max, maxIncreasePercent, t-test) in a real git repository; one metric per batch; medians of ${ours.length}, in-process store, each after its own page's ready`],
    };
  } finally {
    await store.close();
  }
}

export const sections = [
  { name: 'report: Trends batches of one page (HEAD\'s limits)', description: "Every Trends reply carries HEAD's limits; one backend per page evaluates them once.", run: pageBatches },
  {
    name: 'report: open Trends on 50 metrics × 10k runs',
    description: 'Panel page in headless Chromium + real ReportHost over the in-process store; target: host + render < 500 ms, payload < 2 MB.',
    async run(ctx) {
      const runs = ctx.quick ? 2000 : 10_000;
      const { openStore } = ctx.out('src/core/store/sqlStore.js');
      const { chromium } = ctx.require('playwright-core');
      const storeFile = await reportStore(ctx, runs);
      const store = await openStore(storeFile);
      const browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--headless'],
      });
      const { openStoreInWorker } = ctx.out('src/core/store/workerClient.js');
      // The extension keeps the store in a worker thread; every reply crosses it once more.
      const workerStore = await openStoreInWorker(storeFile, { workerScript: path.join(ctx.root, 'dist', 'storeWorker.js') });
      const cases = [
        ['90d', '90d', store],
        ['all', 'all', store],
        ['90d, worker store', '90d', workerStore],
      ];
      const ranges = cases.map((c) => c[0]);
      const results = {};
      try {
        const dir = ctx.tempDir();
        await openOnce(ctx, browser, store, dir, 'all'); // warm-up: JIT, sql.js statement cache, Chromium caches
        await openOnce(ctx, browser, workerStore, dir, '90d');
        for (const [name, range, source] of cases) {
          results[name] = [];
          for (let i = 0; i < (ctx.quick ? 2 : 5); i++) results[name].push(await openOnce(ctx, browser, source, dir, range, i === 0));
        }
      } finally {
        await browser.close();
        await store.close();
        await workerStore.close();
      }
      const mb = (n) => `${(n / 1e6).toFixed(2)} MB`;
      const column = (f) => ranges.map((r) => f(results[r]));
      const host = (s) => median(s.map((x) => x.host));
      const render = (s) => median(s.map((x) => x.render));
      return {
        columns: ['', ...ranges.map((r) => `range ${r}`), 'target'],
        rows: [
          ['host: trends view model', ...column((s) => ms(host(s))), ''],
          ['webview: reply → first chart drawn', ...column((s) => ms(render(s))), ''],
          ['first chart (host + render)', ...column((s) => ms(host(s) + render(s))), '< 500 ms'],
          ['bytes posted until the first chart', ...column((s) => mb(s[0].bytes)), '< 2 MB'],
          ['  largest single reply', ...column((s) => mb(s[0].trendsBytes)), ''],
          ['bytes posted after scrolling through all charts', ...column((s) => mb(s[0].allBytes)), ''],
          ['charts on the page', ...column((s) => String(s[0].charts)), ''],
        ],
        notes: [
          `${METRICS} metrics × ${runs} runs (${(METRICS * runs).toLocaleString('en-US')} values) over a year; current + reference branch (the default selection), clean runs, 1280 px wide page`,
          `medians of ${results[ranges[0]].length} cold page opens after a warm-up; host = ReportHost answering from the in-process store, or from the worker-thread store as in the extension`,
        ],
      };
    },
  },
];
