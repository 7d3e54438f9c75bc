// Unbreakable on host pages: a hostile page (aggressive global CSS, right-to-left, an odd root
// font size, a strict Content-Security-Policy without 'unsafe-inline', its own wasm-bindgen
// globals and module) leaves the widget looking and working as on a neutral page, and the
// widget changes nothing outside its shadow root.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { launch, watchErrors } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';

let server;
let host;
let browser;

before(async () => {
  server = await startServer();
  host = await startHost(server.base);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

/** A desktop window wide enough for the widget's maximum width on both pages. */
function desktop() {
  return browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1, locale: 'fr-FR' });
}

/** The widget's own box as a PNG, once its form is shown. */
async function shot(page) {
  await page.getByTestId('poll-form').waitFor();
  await page.evaluate(() => document.fonts.ready);
  return page.getByTestId('concerto-widget').screenshot({ animations: 'disabled', caret: 'hide' });
}

/** Share of pixels whose colour differs by more than a small threshold on any channel. */
function difference(a, b) {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  // A box at a fractional offset may round to one pixel more or less.
  assert.ok(
    Math.abs(x.width - y.width) <= 1 && Math.abs(x.height - y.height) <= 1,
    `the widget is ${x.width}×${x.height} on one page and ${y.width}×${y.height} on the other`,
  );
  const width = Math.min(x.width, y.width);
  const height = Math.min(x.height, y.height);
  let differing = 0;
  for (let row = 0; row < height; row += 1) {
    for (let col = 0; col < width; col += 1) {
      const i = (row * x.width + col) * 4;
      const j = (row * y.width + col) * 4;
      const delta = Math.max(
        Math.abs(x.data[i] - y.data[j]),
        Math.abs(x.data[i + 1] - y.data[j + 1]),
        Math.abs(x.data[i + 2] - y.data[j + 2]),
      );
      if (delta > 24) differing += 1;
    }
  }
  return differing / (width * height);
}

/** The host page's own elements (everything outside the placeholder) and document state. */
function hostSnapshot(page) {
  return page.evaluate(() => {
    const props = [
      'display', 'color', 'background-color', 'font-family', 'font-size', 'line-height', 'direction',
      'margin-top', 'padding-top', 'border-top-style', 'text-transform', 'letter-spacing', 'float', 'width',
    ];
    const placeholder = document.querySelector('[data-concerto-poll]');
    const elements = [...document.querySelectorAll('*')].filter(
      (el) => el !== placeholder && !placeholder.contains(el) && el.tagName !== 'SCRIPT',
    );
    return {
      html: [...document.documentElement.attributes].map((a) => `${a.name}=${a.value}`),
      head: [...document.head.children].map((el) => el.outerHTML),
      styleSheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      cookie: document.cookie,
      elements: elements.map((el) => {
        const s = getComputedStyle(el);
        return [el.tagName, el.id, [...el.attributes].map((a) => `${a.name}=${a.value}`).join(' '), ...props.map((p) => s.getPropertyValue(p))];
      }),
    };
  });
}

test('the widget on a hostile page looks as it does on a neutral page', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await desktop();
  const neutral = await context.newPage();
  await neutral.goto(host.url('neutral.html', { poll: id }));
  const expected = await shot(neutral);
  const hostile = await context.newPage();
  await hostile.goto(host.url('hostile.html', { poll: id }));
  const actual = await shot(hostile);
  const share = difference(expected, actual);
  assert.ok(share < 0.005, `${(share * 100).toFixed(2)} % of the widget's pixels differ`);
  // The comparison can tell: the host page's own heading is styled by its hostile CSS.
  assert.equal(await hostile.locator('#host-title').evaluate((el) => getComputedStyle(el).textTransform), 'uppercase');
  await context.close();
});

test('mounting the widget changes nothing on the host page outside its placeholder', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await desktop();
  const before = await context.newPage();
  // The same page without the widget: the loader never arrives.
  await before.route(`${server.base}embed.js`, (r) => r.abort());
  await before.goto(host.url('hostile.html', { poll: id }));
  await before.waitForFunction(() => window.hostModule?.ready === true);
  const without = await hostSnapshot(before);

  const after = await context.newPage();
  await after.goto(host.url('hostile.html', { poll: id }));
  await after.getByTestId('poll-form').waitFor();
  const withWidget = await hostSnapshot(after);
  assert.ok(without.elements.length > 10, 'the snapshot covers the host page');
  assert.deepEqual(withWidget, without);
  // The host's own wasm-bindgen global and module are untouched, and were not called.
  assert.deepEqual(
    await after.evaluate(() => [wasm_bindgen.__host, window.hostAppCalls, window.hostModule.name]),
    [true, 0, 'host-app'],
  );
  assert.deepEqual(await context.cookies(), []);
  await context.close();
});

test('the widget works under a strict policy without unsafe-inline, results bars included', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await desktop();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('hostile.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();

  await page.getByTestId('question-frequence').getByLabel('Souvent').check();
  await page.getByTestId('question-note').getByLabel('4', { exact: true }).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  await page.getByTestId('results').waitFor();
  assert.equal((await server.results(id)).total, 1);

  // A bar at 100 % fills its track: its width is set through the CSSOM, which CSP allows.
  const [fill, track] = await page
    .getByTestId('result-note-4')
    .locator('.cc-bar__fill')
    .evaluate((el) => [el.getBoundingClientRect().width, el.parentElement.getBoundingClientRect().width]);
  assert.ok(track > 50 && Math.abs(fill - track) <= 2, `bar ${fill}px in a ${track}px track`);
  assert.deepEqual(await page.evaluate(() => window.cspViolations), []);
  assert.deepEqual(errors, []);

  // The page really is strict: an inline style of its own is refused, and reported.
  const probe = await page.evaluate(async () => {
    const p = document.createElement('p');
    p.setAttribute('style', 'color: rgb(1, 2, 3) !important');
    document.body.append(p);
    const applied = getComputedStyle(p).color === 'rgb(1, 2, 3)';
    await new Promise((r) => setTimeout(r, 100));
    return { applied, violations: window.cspViolations };
  });
  assert.equal(probe.applied, false, 'the fixture page does not enforce its policy');
  assert.equal(probe.violations.length, 1, 'the violation watcher sees violations');
  await context.close();
});

test('a page running its own Leptos app keeps it, and the widget works beside it', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await desktop();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('host-leptos.html', { poll: id }));
  const own = page.locator('#host-leptos');
  const widget = page.locator('[data-concerto-poll]');
  // The host's app is really running: its own instance rendered its own state.
  await own.getByTestId('state-not-found').waitFor();
  await widget.getByTestId('poll-form').waitFor();
  const instances = await page.evaluate(() => {
    const embedded = performance.getEntriesByType('resource').map((e) => e.name);
    return embedded.filter((n) => n.includes('concerto-widget.js')).length;
  });
  assert.equal(instances, 2, 'two copies of the glue were loaded: the host\'s and the widget\'s');

  await widget.getByTestId('question-frequence').getByLabel('Souvent').check();
  await widget.getByTestId('question-note').getByLabel('5', { exact: true }).check();
  await widget.getByTestId('submit').click();
  await widget.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 1);
  // The host's app is untouched by the widget's work.
  assert.equal(await own.getByTestId('state-not-found').count(), 1);
  assert.equal(await own.getByTestId('thanks').count(), 0);
  assert.equal(await page.evaluate(() => typeof window.hostLeptos.mount), 'function');
  assert.deepEqual(errors.filter((e) => !e.includes('404')), []);
  await context.close();
});
