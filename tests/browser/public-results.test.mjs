// The public results, for the whole town: the server's page read with JavaScript off (and
// printed), and the results' snippet on a partner page of another origin under a strict CSP.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { launch, phone, watchErrors } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';
import { WCAG_TAGS, assertPageAccessible, describeViolations } from '../support/a11y.mjs';

let server;
let host;
let browser;
let id;

/** Three residents' answers: two "souvent", one "jamais"; ratings 5, 4 and 4. */
const ANSWERS = [
  { frequence: { option: 'souvent' }, note: { rating: 5 } },
  { frequence: { option: 'souvent' }, note: { rating: 4 } },
  { frequence: { option: 'jamais' }, note: { rating: 4 }, rue: { text: '<b>rue</b>' } },
];

before(async () => {
  server = await startServer();
  host = await startHost(server.base);
  browser = await launch();
  id = await server.openPoll(everyKind(host.origin, 'Le square <em>Henri-IV</em>'));
  for (const answers of ANSWERS) {
    const res = await fetch(new URL(`api/v1/polls/${id}/responses`, server.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: host.origin },
      body: JSON.stringify({ submission_id: crypto.randomUUID(), answers }),
    });
    assert.equal(res.status, 201, await res.text());
  }
});

after(async () => {
  await browser?.close();
  await host?.stop();
  await server?.stop();
});

/** The fill's width as a share of its track, in whole percent, for bar `testid` under `scope`. */
function barShare(scope, testid) {
  return scope.getByTestId(testid).evaluate((bar) => {
    const fill = bar.querySelector('.cc-bar__fill').getBoundingClientRect().width;
    const track = bar.querySelector('.cc-bar__track').getBoundingClientRect().width;
    return Math.round((100 * fill) / track);
  });
}

/** Asserts that bar `testid` is drawn `percent` % long (to one point: the track's border). */
async function assertBar(scope, testid, percent) {
  const share = await barShare(scope, testid);
  assert.ok(Math.abs(share - percent) <= 1, `${testid}: ${share} % drawn, ${percent} % expected`);
}

test('with JavaScript off the public results page shows every chart and the counts', async () => {
  const context = await phone(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const res = await page.goto(new URL(`p/${id}/results`, server.base).href);
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
  // The organiser's markup is text.
  await page.getByRole('heading', { level: 2, name: 'Le square <em>Henri-IV</em>' }).waitFor();
  assert.equal(await page.locator('em').count(), 0);
  assert.equal((await page.getByTestId('results-count').textContent()).trim(), '3');
  assert.match(await page.getByTestId('results-total').textContent(), /3\s+participants/);
  assert.equal(
    (await page.getByTestId('participation-rule').textContent()).trim(),
    'Les réponses ne sont pas limitées à une par personne.',
  );
  for (const q of ['frequence', 'envies', 'note', 'rue', 'idees']) {
    await page.getByTestId(`result-${q}`).waitFor();
  }
  // Bars drawn by the server's stylesheet alone: 2 of 3, 1 of 3, none.
  await assertBar(page, 'result-frequence-souvent', 66);
  await assertBar(page, 'result-frequence-jamais', 33);
  await assertBar(page, 'result-frequence-parfois', 0);
  assert.match(await page.getByTestId('result-note-mean').textContent(), /4,3 sur 5/);
  // Its links: to answer (it is open) and to the English page.
  await page.getByTestId('answer-link').waitFor();
  await page.getByTestId('other-language').click();
  await page.getByText('Answers are not limited to one per person.').waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await page.getByTestId('results-total').textContent(), /3\s+respondents/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the public results page has no accessibility violation, in both languages', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  for (const lang of ['fr', 'en']) {
    await page.goto(new URL(`p/${id}/results?lang=${lang}`, server.base).href);
    await page.getByTestId('public-results').waitFor();
    await assertPageAccessible(page, `results page (${lang})`, errors);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('printed, the page has no buttons and its bars are black on white', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(new URL(`p/${id}/results`, server.base).href);
  await page.getByTestId('answer-link').waitFor();
  await page.emulateMedia({ media: 'print' });
  await page.getByTestId('answer-link').waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('other-language').isVisible(), false);
  assert.equal(await page.locator('a').count(), 2, 'the links are still in the page');
  const fill = await page
    .getByTestId('result-frequence-souvent')
    .locator('.cc-bar__fill')
    .evaluate((el) => {
      const s = getComputedStyle(el);
      return { border: s.borderTopColor, width: parseFloat(s.borderTopWidth) };
    });
  // A border prints where a background would be dropped.
  assert.equal(fill.border, 'rgb(0, 0, 0)');
  assert.ok(fill.width > 4, `border of ${fill.width}px`);
  await assertBar(page, 'result-frequence-souvent', 66);
  await page.emulateMedia({ media: 'screen' });
  assert.equal(await page.getByTestId('answer-link').isVisible(), true);
  await context.close();
});

test('where the results are not public the page says so in the resident’s language', async () => {
  const spec = { ...everyKind(host.origin), results_visibility: 'after_closing' };
  const hidden = await server.openPoll(spec);
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const res = await page.goto(new URL(`p/${hidden}/results`, server.base).href);
  assert.equal(res.status(), 403);
  await page.getByRole('heading', { level: 2, name: 'Results not public' }).waitFor();
  await page.getByText('will be published when it closes').waitFor();
  assert.equal(await page.getByTestId('results').count(), 0);
  // Still open: the way to answer, and the French page.
  await page.getByTestId('answer-link').waitFor();
  await assertPageAccessible(page, 'results not public', errors);
  // A 403 is logged by the browser as a failed resource: nothing else may be.
  assert.deepEqual(errors.filter((e) => !/status of 403/.test(e)), []);
  await server.closePoll(hidden);
  assert.equal((await page.goto(new URL(`p/${hidden}/results`, server.base).href)).status(), 200);
  await page.getByTestId('public-results').waitFor();
  await context.close();
});

test('the results snippet shows them on a partner page of another origin with a strict CSP', async () => {
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(host.url('results.html', { poll: id }));
  const [french, english] = [page.locator('[data-concerto-results]').first(), page.getByTestId('english')];
  await french.getByTestId('public-results').waitFor();
  await english.getByTestId('public-results').waitFor();
  assert.equal(await french.evaluate((el) => el.shadowRoot !== null), true);
  assert.equal((await french.getByTestId('results-count').textContent()).trim(), '3');
  assert.match(await french.getByTestId('results-total').textContent(), /3\s+participants/);
  assert.match(await english.getByTestId('results-total').textContent(), /3\s+respondents/);
  await english.getByText('Answers are not limited to one per person.').waitFor();
  assert.equal(await french.locator('em').count(), 0);
  // Lengths set through the CSSOM: the page's CSP refuses style attributes, not that.
  await assertBar(french, 'result-frequence-souvent', 66);
  await assertBar(english, 'result-frequence-jamais', 33);
  // The host's hostile CSS stays outside (it sets uppercase on everything).
  assert.equal(await page.locator('#host-title').evaluate((el) => getComputedStyle(el).textTransform), 'uppercase');
  const inside = await french.getByTestId('results-total').evaluate((el) => getComputedStyle(el).textTransform);
  assert.equal(inside, 'none');
  // No wasm, no glue: only the loader, the stylesheet and the results' HTML.
  assert.ok(!asked.some((p) => p.startsWith('/widget/concerto-widget')), asked.join(' '));
  assert.ok(asked.includes(`/api/v1/polls/${id}/results/view`), asked.join(' '));

  const results = await new AxeBuilder({ page }).include('[data-concerto-results]').withTags(WCAG_TAGS).analyze();
  const inShadow = [...results.passes, ...results.violations].some((rule) =>
    rule.nodes.some((n) => Array.isArray(n.target[0]) && n.target[0].length > 1),
  );
  assert.ok(inShadow, 'axe looked inside the shadow roots');
  assert.deepEqual(results.violations, [], describeViolations(results.violations));
  assert.deepEqual(
    errors.filter((e) => !/Applying inline style violates/.test(e)),
    [],
  );
  await context.close();
});

test('the results snippet says so when the results are not public', async () => {
  const hidden = await server.openPoll({ ...everyKind(host.origin), results_visibility: 'organisers_only' });
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('results.html', { poll: hidden }));
  await page.locator('[data-concerto-results]').first().getByText('Les résultats de cette consultation ne sont pas publics.').waitFor();
  await page.getByTestId('english').getByText('The results of this consultation are not public.').waitFor();
  await context.close();
});
