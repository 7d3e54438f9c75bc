// The whole path in a real browser: a partner's page on one origin embeds the snippet of a
// server on another origin; a resident answers on a phone; the organiser's export holds it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, watchErrors, withoutFirstView } from '../support/browser.mjs';
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

/** Locators of one embedded widget. */
function widget(scope) {
  const q = (id) => scope.getByTestId(`question-${id}`);
  return { q, form: scope.getByTestId('poll-form'), submit: scope.getByTestId('submit') };
}

test('a resident answers every kind of question on a partner page at phone size', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('one.html', { poll: id }));

  const w = widget(page);
  await w.form.waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Le square Henri-IV' }).count(), 1);

  // Submitting nothing shows the required questions' messages.
  await w.submit.click();
  await w.q('frequence').getByTestId('error-frequence').waitFor();
  await w.q('note').getByTestId('error-note').waitFor();

  // Validation follows the resident's input: a third choice out of two allowed is flagged…
  await w.q('envies').getByLabel('Des jeux').check();
  await w.q('envies').getByLabel('De l’ombre').check();
  await w.q('envies').getByLabel('Des bancs').check();
  await w.q('envies').getByTestId('error-envies').waitFor();
  // …and the message goes once the answer is fixed.
  await w.q('envies').getByLabel('Des bancs').uncheck();
  await w.q('envies').getByTestId('error-envies').waitFor({ state: 'detached' });

  await w.q('frequence').getByLabel(/Autre/).check();
  await w.q('frequence').getByRole('textbox').fill('Le marché du samedi');
  await w.q('note').getByLabel('4', { exact: true }).check();
  await w.q('rue').getByRole('textbox').fill('Rue des Lilas');
  await w.q('idees').getByRole('textbox').fill('Des fontaines, <b>svp</b> =1+1');
  await w.q('frequence').getByTestId('error-frequence').waitFor({ state: 'detached' });
  await w.q('note').getByTestId('error-note').waitFor({ state: 'detached' });

  await w.submit.click();
  await page.getByTestId('thanks').waitFor();
  await page.getByTestId('results').waitFor();
  assert.match(await page.getByTestId('results-total').innerText(), /1/);
  assert.match(await page.getByTestId('result-note-4').innerText(), /100\s?%/);

  // Nothing wider than the phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px`);

  // The organiser's export holds exactly this answer, formulas neutralised.
  const csv = await server.exportCsv(id);
  const lines = csv.trim().split('\r\n');
  assert.equal(lines.length, 2, csv);
  assert.match(lines[1], /Le marché du samedi/);
  assert.match(lines[1], /Des jeux; De l’ombre/);
  assert.match(lines[1], /,4,Rue des Lilas,/);
  assert.match(lines[1], /Des fontaines, <b>svp<\/b> =1\+1/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('two placeholders on one page get two independent widgets', async () => {
  const first = await server.openPoll(everyKind(host.origin, 'Première consultation'));
  const second = await server.openPoll(everyKind(host.origin, 'Seconde consultation'));
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('two.html', { first, second }));

  const one = widget(page.locator('#first'));
  const two = widget(page.locator('#second'));
  await one.form.waitFor();
  await two.form.waitFor();
  assert.equal(await page.locator('#first').getByRole('heading', { name: 'Première consultation' }).count(), 1);
  assert.equal(await page.locator('#second').getByRole('heading', { name: 'Seconde consultation' }).count(), 1);
  // Each in its own shadow root.
  const roots = await page.evaluate(() =>
    [...document.querySelectorAll('[data-concerto-poll]')].map((el) => el.shadowRoot !== null),
  );
  assert.deepEqual(roots, [true, true]);

  // Answering the second leaves the first untouched.
  await two.q('frequence').getByLabel('Souvent').check();
  await two.q('note').getByLabel('2', { exact: true }).check();
  await two.submit.click();
  await page.locator('#second').getByTestId('thanks').waitFor();
  assert.equal(await page.locator('#first').getByTestId('thanks').count(), 0);
  await one.form.waitFor();
  assert.equal(await one.q('frequence').getByLabel('Souvent').isChecked(), false);

  assert.equal((await server.results(second)).total, 1);
  assert.equal((await server.results(first)).total, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an unknown consultation says so', async () => {
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('one.html', { poll: 'nothing-here' }));
  await page.getByTestId('state-not-found').waitFor();
  await context.close();
});

test('a network failure offers a retry that then loads the consultation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const api = `${server.base}api/v1/polls/${id}`;
  await withoutFirstView(page, server.base, id);
  await page.route(api, (route) => route.abort('internetdisconnected'));
  await page.goto(host.url('one.html', { poll: id }));
  await page.getByTestId('state-network-error').waitFor();
  await page.unroute(api);
  await page.getByTestId('retry').click();
  await widget(page).form.waitFor();
  await context.close();
});

test('the language follows the placeholder, then the page, then the browser', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser, { locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto(host.url('english.html', { poll: id }));
  await widget(page).form.waitFor();
  assert.equal(await page.getByTestId('concerto-widget').getAttribute('lang'), 'en');
  await page.goto(host.url('one.html', { poll: id }));
  await widget(page).form.waitFor();
  assert.equal(await page.getByTestId('concerto-widget').getAttribute('lang'), 'fr');
  // The host page's own <html> is left as it was, and no cookie is set.
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute('lang')), 'fr');
  assert.deepEqual(await context.cookies(), []);
  await context.close();

  const english = await phone(browser, { locale: 'en-GB' });
  const englishPage = await english.newPage();
  await englishPage.goto(host.url('bare.html', { poll: id }));
  await widget(englishPage).form.waitFor();
  assert.equal(await englishPage.getByTestId('concerto-widget').getAttribute('lang'), 'en');
  assert.equal(await englishPage.evaluate(() => document.documentElement.hasAttribute('lang')), false);
  await english.close();
});

test('the standalone page works on its own, under its strict policy', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const wasms = [];
  page.on('request', (r) => {
    if (r.url().endsWith('.wasm')) wasms.push(r.url());
  });
  await page.goto(`${server.base}p/${id}`);
  const w = widget(page);
  await w.form.waitFor();
  await w.q('frequence').getByLabel('Jamais').check();
  await w.q('note').getByLabel('1', { exact: true }).check();
  await w.submit.click();
  await page.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 1);
  // The page's head preloads the wasm and embed.js takes that download over: one request.
  assert.equal(await page.locator('head link[rel="preload"][href="/widget/concerto-widget_bg.wasm"]').count(), 1);
  assert.deepEqual(wasms, [`${server.base}widget/concerto-widget_bg.wasm`]);
  assert.deepEqual(errors, []);
  await context.close();
});
