// The first view: the server renders the consultation's form from the widget's own
// components, and the resident reads and answers it before the wasm has arrived. The tests
// hold the wasm's response to prove it, then let it through and check that the widget took
// the form over without losing anything. The standalone page also works with JavaScript off.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, watchErrors } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';
import { axeWidget, describeViolations } from '../support/a11y.mjs';

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

/** Holds the widget's wasm until `release()` is called; `requested` resolves once asked for. */
async function holdWasm(page) {
  let release;
  const released = new Promise((r) => {
    release = r;
  });
  let requested;
  const asked = new Promise((r) => {
    requested = r;
  });
  await page.route('**/widget/concerto-widget_bg.wasm', async (route) => {
    requested();
    await released;
    await route.continue();
  });
  return { release, requested: asked };
}

/**
 * Opens a new consultation (closed first when `closed`) on the partner page, at phone size,
 * with the widget's wasm held: the first view is all the page has until `wasm.release()`.
 */
async function openWithWasmHeld({ closed = false } = {}) {
  const id = await server.openPoll(everyKind(host.origin));
  if (closed) await server.closePoll(id);
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const wasm = await holdWasm(page);
  await page.goto(host.url('one.html', { poll: id }));
  return { id, context, page, errors, wasm };
}

/** Whether the widget has taken the first view over (set by embed.js after `mount`). */
function mounted(page) {
  return page.evaluate(() => document.querySelector('[data-concerto-poll]').getAttribute('data-concerto-mounted'));
}

/** Waits until the widget has taken the first view over. */
function untilMounted(page) {
  return page.waitForFunction(
    () => document.querySelector('[data-concerto-poll]').getAttribute('data-concerto-mounted') === 'true',
  );
}

/** What has the focus inside the widget: its id, or its name and value. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.querySelector('[data-concerto-poll]').shadowRoot.activeElement;
    return el ? { id: el.id, name: el.getAttribute('name'), value: el.value } : null;
  });
}

test('the first question shows and takes answers before the wasm has loaded, and the widget keeps them', async () => {
  const { id, context, page, errors, wasm } = await openWithWasmHeld();

  // The whole form is there, in the widget's shadow root, while the wasm is still held.
  await page.getByRole('heading', { name: 'Le square Henri-IV' }).waitFor();
  await wasm.requested;
  for (const q of ['frequence', 'envies', 'note', 'rue', 'idees']) {
    assert.ok(await page.getByTestId(`question-${q}`).isVisible(), `question ${q} is visible`);
  }
  assert.equal(await mounted(page), 'pending');

  // Native controls answer at once.
  await page.getByTestId('question-frequence').getByLabel(/Autre/).check();
  const other = page.getByTestId('question-frequence').getByRole('textbox');
  await other.fill('Le marché');
  await page.getByTestId('question-envies').getByLabel('Des bancs').check();
  await page.getByTestId('question-note').getByLabel('4', { exact: true }).check();
  const idea = page.getByTestId('question-idees').getByRole('textbox');
  await idea.fill('Des fontaines');
  await idea.press('ArrowLeft');
  const before = await focused(page);
  assert.equal(await mounted(page), 'pending', 'the wasm was still held while answering');

  wasm.release();
  await untilMounted(page);

  // Nothing chosen or typed was lost, and the focus (and the cursor) stayed.
  assert.equal(await page.getByTestId('question-frequence').getByLabel(/Autre/).isChecked(), true);
  assert.equal(await other.inputValue(), 'Le marché');
  assert.equal(await page.getByTestId('question-envies').getByLabel('Des bancs').isChecked(), true);
  assert.equal(await page.getByTestId('question-note').getByLabel('4', { exact: true }).isChecked(), true);
  assert.equal(await idea.inputValue(), 'Des fontaines');
  assert.deepEqual(await focused(page), before);
  const cursor = await idea.evaluate((el) => el.selectionStart);
  assert.equal(cursor, 'Des fontaines'.length - 1);

  // The widget now runs: it counts characters as the resident types, and sends.
  await idea.press('End');
  await idea.type('!');
  await page.getByTestId('question-idees').getByText(/14\s/).waitFor();
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  const results = await server.results(id);
  assert.equal(results.total, 1);
  const csv = await server.exportCsv(id);
  assert.match(csv, /Le marché/);
  assert.match(csv, /Des fontaines!/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a send pressed before the wasm is ready waits, says so, then sends once', async () => {
  const { id, context, page, errors, wasm } = await openWithWasmHeld();
  await page.getByTestId('question-frequence').waitFor();
  await page.getByTestId('question-frequence').getByLabel('Souvent').check();
  await page.getByTestId('question-note').getByLabel('5', { exact: true }).check();
  await page.getByTestId('submit').click();
  // It says it is sending, and the page did not go anywhere.
  assert.match(await page.getByTestId('submit').innerText(), /Envoi/);
  assert.equal(await page.getByTestId('submit').getAttribute('aria-disabled'), 'true');
  assert.match(page.url(), /one\.html/);

  wasm.release();
  await page.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a send pressed before the wasm is ready with a missing answer shows what to fix', async () => {
  const { id, context, page, wasm } = await openWithWasmHeld();
  await page.getByTestId('question-frequence').waitFor();
  await page.getByTestId('submit').click();
  wasm.release();
  await page.getByTestId('error-frequence').waitFor();
  await page.getByTestId('error-note').waitFor();
  assert.equal((await server.results(id)).total, 0);
  await context.close();
});

test('a closed consultation says so before the wasm has loaded, then shows its results', async () => {
  const { id, context, page, errors, wasm } = await openWithWasmHeld({ closed: true });
  await page.getByTestId('state-closed').waitFor();
  assert.match(await page.getByTestId('state-closed').innerText(), /close/);
  assert.equal(await page.getByTestId('poll-form').count(), 0);
  assert.equal(await mounted(page), 'pending');
  wasm.release();
  await page.getByTestId('results').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the snippet\'s preload lines fetch the first view and the wasm beside embed.js, and embed.js uses them', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const views = [];
  const stylesheets = [];
  const wasms = [];
  page.on('request', (r) => {
    if (r.url().includes(`/api/v1/polls/${id}/view`)) views.push(r.url());
    if (r.url().endsWith('/widget.css')) stylesheets.push(r.url());
    if (r.url().endsWith('.wasm')) wasms.push(r.url());
  });
  const wasm = await holdWasm(page);
  await page.goto(host.url('preload.html', { poll: id }));
  await page.getByRole('heading', { name: 'Le square Henri-IV' }).waitFor();
  assert.equal(await mounted(page), 'pending', 'shown before the wasm');
  // One request: embed.js took the preloaded response instead of asking again, and styled
  // the view with the stylesheet it carries (no request for the file).
  assert.deepEqual(views, [`${server.base}api/v1/polls/${id}/view?lang=fr`]);
  const color = await page.getByTestId('submit').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(color, 'rgb(29, 95, 191)', 'the send button has the widget\'s accent');
  wasm.release();
  await untilMounted(page);
  // The preloaded wasm is the one the widget runs: fetched once, not again by embed.js.
  assert.deepEqual(wasms, [`${server.base}widget/concerto-widget_bg.wasm`]);
  await page.getByTestId('question-frequence').getByLabel('Souvent').check();
  await page.getByTestId('question-note').getByLabel('2', { exact: true }).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 1);
  assert.equal(views.length, 1);
  assert.deepEqual(stylesheets, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('choosing "other" does not flag the question before the resident could type', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('one.html', { poll: id }));
  await untilMounted(page);
  const q = page.getByTestId('question-frequence');
  await q.getByLabel(/Autre/).check();
  await q.getByRole('textbox').waitFor();
  assert.equal(await q.getByTestId('error-frequence').count(), 0);
  assert.equal(await q.getAttribute('class'), 'cc-question');
  // Leaving it empty is flagged.
  await page.getByTestId('question-envies').getByLabel('Des jeux').focus();
  await q.getByTestId('error-frequence').waitFor();
  await context.close();
});

test('the standalone page works with JavaScript off: errors beside the questions, then thanks and results', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.base}p/${id}`);
  await page.getByRole('heading', { name: 'Le square Henri-IV', level: 2 }).waitFor();

  // Sent with one required question missing and a text too long: both named, focus on the first.
  await page.getByTestId('question-note').getByLabel('3', { exact: true }).check();
  await page.getByTestId('question-rue').getByRole('textbox').fill('Rue des Lilas');
  await page.getByTestId('submit').click();
  await page.getByTestId('error-frequence').waitFor();
  assert.match(await page.getByTestId('error-frequence').innerText(), /répondre à cette question/);
  assert.equal(await page.getByTestId('error-note').count(), 0);
  assert.match(await page.getByTestId('form-error').innerText(), /corriger/);
  // What was answered is still there.
  assert.equal(await page.getByTestId('question-note').getByLabel('3', { exact: true }).isChecked(), true);
  assert.equal(await page.getByTestId('question-rue').getByRole('textbox').inputValue(), 'Rue des Lilas');
  assert.equal((await focused(page))?.name, 'frequence');

  await page.getByTestId('question-frequence').getByLabel('Parfois').check();
  const submissionId = await page.locator('input[name="submission.id"]').inputValue();
  assert.match(submissionId, /^[0-9a-f-]{36}$/);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  await page.getByTestId('results').waitFor();
  assert.match(await page.getByTestId('results-total').innerText(), /1/);

  // The same form posted again (a double click, a reload that posts again) stores nothing more.
  const again = await fetch(`${server.base}p/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'submission.id': submissionId, frequence: 'parfois', note: '3', rue: 'Rue des Lilas' }),
  });
  assert.equal(again.status, 200);
  assert.match(await again.text(), /data-testid="thanks"/);
  assert.equal((await server.results(id)).total, 1);
  await context.close();
});

test('the standalone page without JavaScript speaks English when asked', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser, { javaScriptEnabled: false, locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${server.base}p/${id}`);
  await page.getByTestId('submit').click();
  await page.getByTestId('error-frequence').waitFor();
  assert.match(await page.getByTestId('submit').innerText(), /Send my answers/);
  assert.match(await page.getByTestId('form-error').innerText(), /need fixing/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await context.close();
});

test('the first view, before the wasm, and the standalone page\'s errors without the widget have no WCAG A or AA violation', { timeout: 120_000 }, async () => {
  const { id, context, page, wasm } = await openWithWasmHeld();
  await page.getByTestId('question-frequence').waitFor();
  await page.getByTestId('question-frequence').getByLabel(/Autre/).check();
  let { violations } = await axeWidget(page);
  assert.equal(violations.length, 0, `first view:\n${describeViolations(violations)}`);
  assert.equal(await mounted(page), 'pending');
  wasm.release();
  await context.close();

  // The page the server sends back with errors, as a browser without JavaScript gets it (axe
  // itself needs scripts: here the widget's are refused instead, so the markup stays the
  // server's).
  const plain = await phone(browser);
  const standalone = await plain.newPage();
  await standalone.route('**/embed.js', (route) => route.abort());
  await standalone.goto(`${server.base}p/${id}`);
  await standalone.getByTestId('question-rue').getByRole('textbox').fill('Rue des Lilas');
  await standalone.getByTestId('submit').click();
  await standalone.getByTestId('error-frequence').waitFor();
  ({ violations } = await axeWidget(standalone));
  assert.equal(violations.length, 0, `standalone page with errors:\n${describeViolations(violations)}`);
  await plain.close();
});

test('residents read until when a consultation is open, the same before and after the wasm', async () => {
  const closes = new Date(Date.UTC(2031, 11, 31, 17, 0)).toISOString();
  const id = await server.openPoll({ ...everyKind(host.origin), closes_at: closes });
  // In the town's time zone (the server's default), as most residents are.
  const context = await phone(browser, { timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const wasm = await holdWasm(page);
  await page.goto(host.url('one.html', { poll: id }));
  const dates = page.getByTestId('poll-dates');
  await dates.waitFor();
  assert.notEqual(await mounted(page), 'true');
  assert.equal(await dates.innerText(), 'Ouverte jusqu’au 31 décembre 2031 à 18:00.');
  wasm.release();
  await untilMounted(page);
  assert.equal(await dates.innerText(), 'Ouverte jusqu’au 31 décembre 2031 à 18:00.');
  assert.deepEqual(errors, []);
  await context.close();
});
