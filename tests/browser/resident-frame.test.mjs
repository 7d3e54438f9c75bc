// The iframe alternative: /embed/{id} in an iframe that embed-frame.js keeps as tall as its
// content through postMessage, origins checked on both sides.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, watchErrors } from '../support/browser.mjs';
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

/** The iframe's height on the page and its content's height inside. */
async function heights(page) {
  const frame = page.locator('[data-concerto-frame] iframe');
  const outer = await frame.evaluate((el) => el.getBoundingClientRect().height);
  const inner = await page.frameLocator('[data-concerto-frame] iframe').locator('body').evaluate((b) => b.getBoundingClientRect().height);
  return { outer, inner };
}

async function until(check, what, ms = 10000) {
  const end = Date.now() + ms;
  let last;
  while (!(last = await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return last;
}

test('the iframe grows with its content when validation messages appear', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('frame.html', { poll: id }));
  const inside = page.frameLocator('[data-concerto-frame] iframe');
  await inside.getByTestId('poll-form').waitFor();
  // Sized to its content: no scrolling inside the iframe.
  const first = await until(async () => {
    const h = await heights(page);
    return Math.abs(h.outer - h.inner) <= 1 && h.inner > 300 && h;
  }, 'the iframe to take its content height');

  await inside.getByTestId('submit').click();
  await inside.getByTestId('error-frequence').waitFor();
  const grown = await until(async () => {
    const h = await heights(page);
    return h.outer > first.outer && Math.abs(h.outer - h.inner) <= 1 && h;
  }, 'the iframe to grow');
  assert.ok(grown.outer > first.outer, `${grown.outer}px after, ${first.outer}px before`);

  // A message from anything but the iframe (here, the page itself) is ignored.
  await page.evaluate(() => window.postMessage({ type: 'concerto:height', height: 5 }, '*'));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await heights(page)).outer, grown.outer);

  // The iframe works: an answer sent from it is stored.
  await inside.getByTestId('question-frequence').getByLabel('Souvent').check();
  await inside.getByTestId('question-note').getByLabel('3', { exact: true }).check();
  await inside.getByTestId('submit').click();
  await inside.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the iframe page may be framed and may post only to the consultation allowed origins', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const allowed = await fetch(`${server.base}embed/${id}?origin=${encodeURIComponent(host.origin)}`);
  assert.equal(allowed.status, 200);
  assert.match(allowed.headers.get('content-security-policy'), new RegExp(`frame-ancestors ${host.origin}$`));
  assert.match(await allowed.text(), new RegExp(`data-target-origin="${host.origin}"`));

  // Another origin is neither a frame ancestor nor a message target.
  const other = await fetch(`${server.base}embed/${id}?origin=${encodeURIComponent('https://evil.example')}`);
  assert.doesNotMatch(other.headers.get('content-security-policy'), /evil/);
  const html = await other.text();
  assert.doesNotMatch(html, /evil|data-target-origin/);

  // Framed by a page of another origin, the browser refuses to show it.
  const context = await phone(browser);
  const page = await context.newPage();
  const blocked = [];
  page.on('console', (m) => {
    if (/frame-ancestors/.test(m.text())) blocked.push(m.text());
  });
  await page.goto(host.url('frame.html', { poll: id }).replace('localhost', '127.0.0.1'));
  await until(() => blocked.length > 0, 'the browser to refuse the frame');
  assert.equal(await page.frameLocator('[data-concerto-frame] iframe').getByTestId('poll-form').count(), 0);
  await context.close();
});
