// `cargo xtask bench`: how fast a resident sees and can answer the first question, on a phone
// with a slow CPU and network, for a Concerto consultation embedded in a partner's page, for
// its standalone page, for the same form made with SurveyJS, and for a plain HTML form (the
// reference every ratio is taken against). Prints markdown tables of medians; exits non-zero
// only when a page failed to load or a figure could not be taken.
//
//   node tests/bench/first-view.mjs [--smoke] [--runs N] [--profiles slow,4g,unthrottled] [--json FILE]
//
// CONCERTO_SERVER_BIN and CONCERTO_WIDGET_DIR name the server and the widget bundle, as for
// the browser tests.

import { chromium } from 'playwright-core';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer } from '../support/server.mjs';
import { everyKind } from '../support/polls.mjs';
import { startBenchHost } from './host.mjs';
import { surveyJsModel, plainForm } from './forms.mjs';
import { probe } from './probe.mjs';

/** Network profiles (CDP emulation: latency added to each request, throughput shared by the page). */
const PROFILES = {
  slow: { label: 'slow', latency: 400, throughput: 50 * 1024, about: '400 ms round trip, 50 KB/s each way' },
  '4g': { label: '4G', latency: 150, throughput: 200 * 1024, about: '150 ms round trip, 200 KB/s each way' },
  unthrottled: { label: 'unthrottled', latency: 0, throughput: -1, about: 'loopback, no emulation' },
};
/** CPU slowdown, as a mid-range phone's against this machine. */
const CPU_SLOWDOWN = 4;
/** Longest a single load may take, whatever the profile. */
const LOAD_TIMEOUT_MS = 90_000;
/** Longest the whole run may take. */
const RUN_TIMEOUT_MS = 45 * 60_000;
/** A load ends once no request has been in flight for this long (after every mark). */
const QUIET_MS = 500;

function parseArgs(argv) {
  const opts = { smoke: false, runs: 6, profiles: ['slow', '4g', 'unthrottled'], json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smoke') opts.smoke = true;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--profiles') opts.profiles = argv[++i].split(',');
    else if (a === '--json') opts.json = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (opts.smoke) {
    opts.runs = 1;
    opts.profiles = ['4g'];
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1 || opts.runs > 50) throw new Error('--runs takes 1 to 50');
  for (const p of opts.profiles) if (!PROFILES[p]) throw new Error(`unknown profile ${p} (${Object.keys(PROFILES)})`);
  return opts;
}

/** The pages compared, in table order; `plain` is the reference. */
function pages(server, host, pollId) {
  return [
    { key: 'embedded', title: 'Concerto embedded', kind: 'concerto', url: host.url('embedded.html') },
    { key: 'bare', title: 'embedded, two-line snippet', kind: 'concerto', url: host.url('embedded-bare.html') },
    { key: 'standalone', title: 'Concerto `/p/{id}`', kind: 'concerto', url: new URL(`p/${pollId}`, server.base).href },
    { key: 'surveyjs', title: 'SurveyJS', kind: 'surveyjs', url: host.url('surveyjs.html') },
    { key: 'plain', title: 'plain HTML form', kind: 'plain', url: host.url('plain.html') },
  ];
}

/** Same flags as the browser tests, and no name resolves but loopback's: nothing leaves the machine. */
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Rejects after `ms` with `what` in the message. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${(ms / 1000).toFixed(0)} s`)), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One load of `page` under `profile` in a fresh context; returns its figures. */
async function measure(browser, page, profile) {
  const started = Date.now();
  const left = () => LOAD_TIMEOUT_MS - (Date.now() - started);
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
    serviceWorkers: 'block',
  });
  try {
    // Marks as the page reports them, each with the promise waiting for it.
    const waiters = new Map();
    const reported = {};
    const details = {};
    const waitMark = (name) => {
      if (name in reported) return Promise.resolve(reported[name]);
      if (!waiters.has(name)) {
        let resolve;
        const promise = new Promise((r) => (resolve = r));
        waiters.set(name, { promise, resolve });
      }
      return waiters.get(name).promise;
    };
    await context.exposeBinding('__benchMark', (_source, name, at, detail) => {
      reported[name] = at;
      details[name] = detail;
      waiters.get(name)?.resolve(at);
    });
    await context.addInitScript(probe, page.kind);
    const tab = await context.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(`page error: ${e.message}`));

    const cdp = await context.newCDPSession(tab);
    const requests = new Map();
    const inflight = new Set();
    let lastActivity = Date.now();
    const failures = [];
    cdp.on('Network.requestWillBeSent', (e) => {
      if (!/^https?:/.test(e.request.url)) return;
      requests.set(e.requestId, { url: e.request.url, bytes: 0 });
      inflight.add(e.requestId);
      lastActivity = Date.now();
    });
    cdp.on('Network.responseReceived', (e) => {
      if (e.response.status >= 400 && requests.has(e.requestId)) {
        failures.push(`${e.response.url} answered ${e.response.status}`);
      }
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      r.bytes = e.encodedDataLength;
      inflight.delete(e.requestId);
      lastActivity = Date.now();
    });
    cdp.on('Network.loadingFailed', (e) => {
      const r = requests.get(e.requestId);
      if (!r) return;
      inflight.delete(e.requestId);
      lastActivity = Date.now();
      // A request the page itself cancelled is not a failure to load.
      if (!e.canceled) failures.push(`${r.url} failed: ${e.errorText}`);
    });
    await cdp.send('Network.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    if (profile.throughput > 0) {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: profile.latency,
        downloadThroughput: profile.throughput,
        uploadThroughput: profile.throughput,
      });
    }

    const fail = (what) => {
      const detail = [...failures, ...errors].join('; ');
      return new Error(`${page.title} (${profile.label}): ${what}${detail ? ` (${detail})` : ''}`);
    };
    await tab.goto(page.url, { waitUntil: 'commit', timeout: left() });
    await within(left(), 'the first question did not appear', waitMark('visible')).catch((e) => {
      throw fail(e.message);
    });

    // Tap the first question's first option as soon as it shows, like an impatient resident:
    // at the point the page reported (a plain mouse event, as a finger's tap would be, without
    // Playwright's actionability checks, whose injected script alone costs hundreds of
    // milliseconds on a throttled CPU). If that tap misses (the layout moved), a Playwright
    // click on the label, which waits until it can hit it; the load is then marked.
    let retried = false;
    const point = details.visible;
    if (point) await tab.mouse.click(point.x, point.y);
    const tapped = point
      ? await within(Math.min(5000, left()), 'tap', waitMark('checked')).then(
          () => true,
          () => false,
        )
      : false;
    if (!tapped) {
      retried = true;
      const question =
        page.kind === 'concerto'
          ? tab.locator('[data-concerto-poll] [data-testid^="question-"]').first()
          : page.kind === 'surveyjs'
            ? tab.locator('.sd-question').first()
            : tab.locator('fieldset').first();
      const option = question.locator('label').filter({ has: tab.locator('input[type="radio"]') }).first();
      await option.click({ timeout: left() }).catch((e) => {
        throw fail(`could not click the first option: ${e.message.split('\n')[0]}`);
      });
      await within(left(), 'the click on the first option never checked it', waitMark('checked')).catch((e) => {
        throw fail(e.message);
      });
    }
    if (page.kind === 'concerto') {
      const outcome = await within(
        left(),
        'the widget never mounted',
        Promise.race([waitMark('mounted').then(() => 'mounted'), waitMark('error').then(() => 'error')]),
      ).catch((e) => {
        throw fail(e.message);
      });
      if (outcome === 'error') throw fail('embed.js marked the placeholder data-concerto-mounted="error"');
    }
    // Let the requests the page still makes (results, fonts…) finish, so bytes are complete.
    while (inflight.size > 0 || Date.now() - lastActivity < QUIET_MS) {
      if (left() <= 0) throw fail(`requests still in flight: ${[...inflight].map((id) => requests.get(id)?.url)}`);
      await sleep(50);
    }
    if (failures.length > 0) throw fail('a request failed');

    const marks = await tab.evaluate(() => ({ ...window.__benchMarks }));
    // When the wasm's last byte arrived (resource timing gives start and end times even
    // across origins): what the takeover waits for the download, and what it waits after.
    const wasm = await tab.evaluate(
      () => performance.getEntriesByType('resource').find((e) => e.name.endsWith('_bg.wasm'))?.responseEnd ?? null,
    );
    // Each request's start and last byte (ms), the page's first: in the JSON only, to see
    // what waits for what.
    const timeline = await tab.evaluate(() =>
      [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map(
        (e) => `${Math.round(e.startTime)}\t${Math.round(e.responseEnd)}\t${e.name.replace(/^.*\//, '')}`,
      ),
    );
    const kept = await tab.evaluate(() => window.__benchFirstRadio()?.checked === true);
    const bytes = [...requests.values()].reduce((sum, r) => sum + r.bytes, 0);
    return {
      visible: marks.visible,
      clicked: marks.clicked ?? null,
      checked: marks.checked,
      mounted: marks.mounted ?? null,
      wasm,
      bytes,
      requests: requests.size,
      kept,
      retried,
      errors,
      urls: [...requests.values()].map((r) => `${r.bytes}\t${r.url}`),
      timeline,
    };
  } finally {
    await context.close();
  }
}

function median(values) {
  const v = values.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

const seconds = (ms) => (ms == null ? '–' : `${(ms / 1000).toFixed(2)} s`);
const kilobytes = (b) => (b == null ? '–' : `${(b / 1024).toFixed(1)} KB`);
const ratio = (a, b) => (a == null || b == null || b === 0 ? null : a / b);
const times = (r) => (r == null ? '' : `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`);

/** Medians of each figure for each page over `loads`. */
function medians(loads) {
  const out = {};
  for (const [key, list] of Object.entries(loads)) {
    out[key] = {};
    for (const figure of ['visible', 'checked', 'wasm', 'mounted', 'bytes', 'requests']) {
      out[key][figure] = median(list.map((l) => l[figure]));
    }
    out[key].n = list.length;
    out[key].lost = list.filter((l) => !l.kept).length;
    out[key].retried = list.filter((l) => l.retried).length;
  }
  return out;
}

/** The markdown table of one profile. */
function profileTable(list, m, profile, runs) {
  const ref = m.plain;
  const lines = [
    `### ${profile.label}: ${profile.about}, CPU ${CPU_SLOWDOWN}× slower; medians of ${runs} load${runs > 1 ? 's' : ''}`,
    '',
    `| | ${list.map((p) => p.title).join(' | ')} |`,
    `| --- |${list.map(() => ' ---: |').join('')}`,
  ];
  const row = (label, figure, fmt, withRatio) =>
    `| ${label} | ${list
      .map((p) => {
        const v = m[p.key][figure];
        const r = withRatio && p.key !== 'plain' ? ratio(v, ref[figure]) : null;
        return `${fmt(v)}${r == null ? '' : ` (${times(r)})`}`;
      })
      .join(' | ')} |`;
  lines.push(row('first question visible', 'visible', seconds, true));
  lines.push(row('first interaction took effect', 'checked', seconds, true));
  lines.push(row('wasm downloaded', 'wasm', seconds, false));
  lines.push(row('wasm took over', 'mounted', seconds, false));
  lines.push(row('bytes on the wire', 'bytes', kilobytes, true));
  lines.push(row('requests', 'requests', (v) => (v == null ? '–' : String(v)), false));
  lines.push('');
  lines.push('(×: against the plain HTML form in the same run.)');
  const c = m.embedded;
  const s = m.surveyjs;
  lines.push(
    `Concerto embedded against SurveyJS: first question visible ${times(ratio(c.visible, s.visible))}, ` +
      `first interaction ${times(ratio(c.checked, s.checked))}, bytes ${times(ratio(c.bytes, s.bytes))}.`,
  );
  for (const p of list) {
    if (m[p.key].retried > 0) {
      lines.push(`Note: on ${p.title}, the first tap missed in ${m[p.key].retried} load(s) (the layout moved); a second click counted.`);
    }
    if (m[p.key].lost > 0) {
      lines.push(`Note: on ${p.title}, the first option was no longer checked at the end of ${m[p.key].lost} load(s).`);
    }
  }
  return lines.join('\n');
}

/** The table of the brief: first question visible per throttled profile, and bytes. */
function summaryTable(list, byProfile, allLoads) {
  const cell = (v, ref, sjs, fmt, key) => {
    if (key === 'plain') return fmt(v);
    const parts = [`${times(ratio(v, ref))} plain`];
    if (key !== 'surveyjs') parts.push(`${times(ratio(v, sjs))} SurveyJS`);
    return `${fmt(v)} (${parts.join(', ')})`;
  };
  const lines = [`| | ${list.map((p) => p.title).join(' | ')} |`, `| --- |${list.map(() => ' ---: |').join('')}`];
  for (const [name, m] of Object.entries(byProfile)) {
    if (name === 'unthrottled') continue;
    lines.push(
      `| first question visible, ${PROFILES[name].label} | ${list
        .map((p) => cell(m[p.key].visible, m.plain.visible, m.surveyjs.visible, seconds, p.key))
        .join(' | ')} |`,
    );
  }
  const bytes = Object.fromEntries(list.map((p) => [p.key, median(allLoads[p.key].map((l) => l.bytes))]));
  lines.push(
    `| bytes on the wire | ${list.map((p) => cell(bytes[p.key], bytes.plain, bytes.surveyjs, kilobytes, p.key)).join(' | ')} |`,
  );
  return lines.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const runStarted = Date.now();
  const server = await startServer();
  let host;
  let browser;
  try {
    let pollId = null;
    const spec = () => everyKind(host.origin);
    const base = () => server.base.replace(/\/$/, '');
    const preload = () =>
      `<link rel="preload" href="${base()}/api/v1/polls/${pollId}/view?lang=fr" as="fetch" crossorigin>\n` +
      `<link rel="preload" href="${base()}/widget/concerto-widget_bg.wasm" as="fetch" crossorigin fetchpriority="low">`;
    host = await startBenchHost({
      // The snippet as the dashboard gives it, and without its optional preload lines.
      'embedded.html': () => ({ SERVER: base(), POLL: pollId, PRELOAD: preload() }),
      'embedded-bare.html': () => ({ file: 'embedded.html', SERVER: base(), POLL: pollId, PRELOAD: '' }),
      'surveyjs.html': () => ({ SURVEY_JSON: JSON.stringify(surveyJsModel(spec())).replace(/</g, '\\u003c') }),
      'plain.html': () => ({ FORM: plainForm(spec()) }),
    });
    pollId = await server.openPoll(spec());
    const list = pages(server, host, pollId);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: BROWSER_ARGS });
    const version = browser.version();
    console.error(`bench: Chromium ${version}, server ${server.base}, partner pages ${host.origin}`);

    // One unmeasured load of each page first: the server's and the host's caches (and the
    // compression of SurveyJS's bundles) warm up, so the first measured load is not an outlier.
    if (!opts.smoke) {
      for (const p of list) await measure(browser, p, PROFILES.unthrottled);
    }

    const raw = {};
    const byProfile = {};
    const allLoads = Object.fromEntries(list.map((p) => [p.key, []]));
    for (const name of opts.profiles) {
      const profile = PROFILES[name];
      const loads = Object.fromEntries(list.map((p) => [p.key, []]));
      for (let round = 0; round < opts.runs; round++) {
        // Round-robin, starting each round one page later, so that no page always follows
        // the same one.
        for (let i = 0; i < list.length; i++) {
          if (Date.now() - runStarted > RUN_TIMEOUT_MS) throw new Error(`the run took longer than ${RUN_TIMEOUT_MS / 60000} min`);
          const p = list[(round + i) % list.length];
          const r = await measure(browser, p, profile);
          loads[p.key].push(r);
          allLoads[p.key].push(r);
          console.error(
            `  ${profile.label} #${round + 1} ${p.title}: visible ${seconds(r.visible)}, checked ${seconds(r.checked)}` +
              `${r.mounted == null ? '' : `, wasm ${seconds(r.wasm)}, mounted ${seconds(r.mounted)}`}, ${kilobytes(r.bytes)} in ${r.requests} requests`,
          );
        }
      }
      raw[name] = loads;
      byProfile[name] = medians(loads);
    }

    // Every page must have produced every figure of every load.
    const missing = [];
    for (const [name, loads] of Object.entries(raw)) {
      for (const p of list) {
        for (const [i, l] of loads[p.key].entries()) {
          const need = ['visible', 'checked', 'bytes', 'requests', ...(p.kind === 'concerto' ? ['mounted'] : [])];
          for (const f of need) if (typeof l[f] !== 'number' || !(l[f] > 0)) missing.push(`${p.title} ${name} #${i + 1}: ${f}`);
        }
      }
    }
    if (missing.length > 0) throw new Error(`figures missing: ${missing.join(', ')}`);

    const out = [
      `## First view (Chromium ${version}, 390×844 phone viewport, fresh context per load, encodings sent: ${host.encodings().join(', ')})`,
      '',
    ];
    for (const name of opts.profiles) out.push(profileTable(list, byProfile[name], PROFILES[name], opts.runs), '');
    out.push('### Summary', '', summaryTable(list, byProfile, allLoads), '');
    console.log(out.join('\n'));
    if (opts.json) {
      mkdirSync(path.dirname(opts.json), { recursive: true });
      writeFileSync(opts.json, JSON.stringify({ chromium: version, opts, medians: byProfile, loads: raw }, null, 2));
      console.error(`bench: every load's figures in ${opts.json}`);
    }
  } finally {
    await browser?.close();
    await host?.stop();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(`\nbench failed: ${e.message}`);
  process.exit(1);
});
