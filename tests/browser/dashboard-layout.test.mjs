// The dashboard fits the screen: the editor's fields are as tall as their content, the
// preview sits beside the form on a desktop (scrolling on its own) and below it on a phone,
// always reachable to its last question; and a consultation can start from a template.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';
import { assertPageAccessible } from '../support/a11y.mjs';
import { signIn } from '../support/organiser.mjs';

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

/** Fields taller than what they hold (by more than a pixel or two), with their heights. */
function tallFields(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('.cc-admin-field')]
      .filter((f) => f.offsetParent !== null && f.children.length > 0)
      .map((f) => {
        const kids = [...f.children].filter((c) => c.offsetParent !== null).map((c) => c.getBoundingClientRect());
        const content = Math.max(...kids.map((r) => r.bottom)) - Math.min(...kids.map((r) => r.top));
        return { text: f.textContent.trim().slice(0, 40), height: f.getBoundingClientRect().height, content };
      })
      .filter((f) => f.height > f.content + 2),
  );
}

for (const viewport of [
  { width: 1280, height: 900 },
  { width: 390, height: 844 },
]) {
  test(`the editor fits a ${viewport.width} px screen: compact fields, the whole preview reachable`, async () => {
    const id = await server.openPoll(everyKind(host.origin));
    const { context, page, errors } = await signIn(browser, server, viewport);
    await page.goto(`${server.base}admin/polls/${id}/edit`);
    await page.getByTestId('title-input').waitFor();
    const preview = page.locator('.cc-admin-editor__preview');
    const last = preview.locator('[data-testid="question-idees"]');
    await last.waitFor();

    assert.deepEqual(await tallFields(page), []);
    const noSideScroll = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    assert.ok(noSideScroll, 'the page scrolls sideways');

    const form = await page.locator('.cc-admin-editor > section').boundingBox();
    const aside = await preview.boundingBox();
    if (viewport.width >= 1000) {
      // Beside the form, held in view, scrolling on its own to the last question.
      assert.ok(aside.x >= form.x + form.width, `preview at ${aside.x}, form ends at ${form.x + form.width}`);
      assert.ok(aside.height <= viewport.height, `the preview is ${aside.height}px tall`);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const stuck = await preview.boundingBox();
      const scrolled = await page.evaluate(() => window.scrollY);
      assert.ok(
        stuck.y >= -1 && stuck.y + stuck.height <= viewport.height + 1,
        `the preview scrolled away: at ${stuck.y} (was ${aside.y}) once the page scrolled by ${scrolled}px`,
      );
    } else {
      assert.ok(aside.y >= form.y + form.height, 'the preview is below the form on a phone');
    }
    await last.scrollIntoViewIfNeeded();
    const box = await last.boundingBox();
    const frame = await preview.boundingBox();
    assert.ok(box && box.height > 0, 'the last question of the preview has no box');
    assert.ok(box.y >= frame.y - 1 && box.y + box.height <= frame.y + frame.height + 1, 'the last question is cut off');
    assert.ok(box.y + box.height <= viewport.height + 1 && box.y >= 0, 'the last question cannot be brought into view');
    await assertPageAccessible(page, `editor at ${viewport.width} px`, errors);
    await context.close();
  });
}

test('an organiser starts a consultation from a built-in template, in their language', async () => {
  const { context, page, errors } = await signIn(browser, server);
  await page.goto(`${server.base}admin/`);
  const templates = page.getByTestId('templates');
  await templates.getByRole('button', { name: 'Créer un brouillon : Le réaménagement de la place : votre avis' }).waitFor();
  assert.equal(await templates.getByRole('button').count(), 3);
  await assertPageAccessible(page, 'list with templates', errors);

  await page.getByTestId('template-redevelopment').click();
  const title = page.getByTestId('title-input');
  await title.waitFor();
  assert.match(await title.inputValue(), /réaménagement de la place/);
  const prompts = page.getByTestId('question-editor').getByTestId('prompt');
  assert.equal(await prompts.count(), 4);
  assert.equal(await prompts.nth(2).inputValue(), 'Que pensez-vous du projet présenté ?');

  // A draft of the organisation, with both languages' texts, nothing published.
  const res = await fetch(new URL('api/v1/org/polls', server.base), {
    headers: { authorization: `Bearer ${server.token}` },
  });
  const polls = await res.json();
  const made = (Array.isArray(polls) ? polls : polls.polls).find(
    (p) => (p.spec.title.fr ?? p.spec.title) === 'Le réaménagement de la place : votre avis',
  );
  assert.ok(made, JSON.stringify(polls));
  assert.equal(made.state, 'draft');
  assert.equal(made.spec.title.en, 'Redeveloping the square: your views');
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});

test('an open consultation shows its results first, and prints as a report of them', async () => {
  const closes = new Date(Date.UTC(2031, 11, 31, 12, 0)).toISOString();
  const id = await server.openPoll({ ...everyKind(host.origin), closes_at: closes });
  const res = await fetch(new URL(`api/v1/polls/${id}/responses`, server.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: host.origin },
    body: JSON.stringify({ submission_id: crypto.randomUUID(), answers: { frequence: { option: 'souvent' }, note: { rating: 4 } } }),
  });
  assert.equal(res.status, 201);
  const { context, page, errors } = await signIn(browser, server);
  await page.goto(`${server.base}admin/polls/${id}`);
  await page.getByTestId('result-note').waitFor();
  // The closing time set in the editor, which residents see too.
  assert.match(await page.getByTestId('poll-dates').innerText(), /^clôture le 31 décembre 2031 à \d\d:00$/);
  const order = await page.evaluate(() =>
    [...document.querySelectorAll('.cc-admin-main section[aria-labelledby]')].map((s) => s.getAttribute('aria-labelledby')),
  );
  const [results, share] = [order.indexOf('cc-admin-results-title'), order.indexOf('cc-admin-share-title')];
  assert.ok(results >= 0 && share >= 0 && results < share, `results after sharing: ${order}`);

  const shown = (selector) => page.locator(selector).first().isVisible();
  const left = ['.cc-admin-header', '[data-testid="answers"]', '[data-testid="refresh"]', '[data-testid="edit"]',
    'section[aria-labelledby="cc-admin-share-title"]', 'section[aria-labelledby="cc-admin-exports-title"]'];
  // On screen, every one of them shows.
  for (const selector of left) assert.equal(await shown(selector), true, `${selector} is not on the page`);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await shown('[data-testid="poll-title"]'), true);
  assert.equal(await shown('[data-testid="result-note"]'), true);
  assert.equal(await shown('[data-testid="results-total"]'), true);
  for (const hidden of left) assert.equal(await shown(hidden), false, `${hidden} is printed`);
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});

test('the timeline has one bar per day, days without answers included, along a date axis', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page, errors } = await signIn(browser, server);
  // Answers on three days over five: what the server sends for it (its days are the town's).
  await page.route('**/timeline', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        interval: 'day',
        periods: [
          { start: '2026-11-28T00:00:00+01:00', count: 4 },
          { start: '2026-11-30T00:00:00+01:00', count: 1 },
          { start: '2026-12-02T00:00:00+01:00', count: 2 },
        ],
      }),
    }),
  );
  await page.goto(`${server.base}admin/polls/${id}`);
  const timeline = page.getByTestId('timeline');
  await timeline.waitFor();
  assert.match(await timeline.locator('figcaption').innerText(), /7 réponses sur 5 jours/);
  const days = timeline.getByTestId('timeline-day');
  assert.deepEqual(await days.evaluateAll((d) => d.map((e) => e.dataset.day)), [
    '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02',
  ]);
  assert.equal(await days.nth(0).locator('.cc-admin-visually-hidden').innerText(), '28 nov. : 4 réponses');
  assert.equal(await days.nth(1).locator('.cc-admin-visually-hidden').innerText(), '29 nov. : 0 réponse');
  assert.equal(await days.nth(4).locator('.cc-admin-timeline__label').innerText(), '2 déc.');
  const heights = await days.locator('.cc-admin-timeline__bar').evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().height));
  assert.ok(heights[0] > heights[4] && heights[4] > heights[2] && heights[2] > 0 && heights[1] === 0, `${heights}`);
  await assertPageAccessible(page, 'results with a timeline', errors);
  await context.close();
});
