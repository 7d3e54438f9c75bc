// axe-core (WCAG 2.1 A and AA) on the widget in every state it can be in, on a well-formed
// partner page so that only the widget's own faults count.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, watchErrors, withoutFirstView } from '../support/browser.mjs';
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

/** Opens the partner page embedding `poll` on a phone; returns the page and its context. */
async function open(poll, { fixture = 'a11y.html', beforeGoto } = {}) {
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  if (beforeGoto) await beforeGoto(page);
  await page.goto(host.url(fixture, { poll }));
  return { context, page, errors };
}

/** Asserts that axe finds no violation in the widget as it is now. */
async function assertAccessible(page, state) {
  const { violations } = await axeWidget(page);
  assert.equal(violations.length, 0, `${state}:\n${describeViolations(violations)}`);
}

/** Answers the required questions of `everyKind`, and one of each other kind. */
async function answerEverything(page) {
  await page.getByTestId('question-frequence').getByLabel('Souvent').check();
  await page.getByTestId('question-envies').getByLabel('Des jeux').check();
  await page.getByTestId('question-note').getByLabel('4', { exact: true }).check();
  await page.getByTestId('question-rue').getByRole('textbox').fill('Rue des Lilas');
  await page.getByTestId('question-idees').getByRole('textbox').fill('Des fontaines');
}

test('the form with every kind of question has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page, errors } = await open(id);
  await page.getByTestId('poll-form').waitFor();
  await assertAccessible(page, 'form');
  // With "other" chosen, its text box is there too.
  await page.getByTestId('question-frequence').getByLabel(/Autre/).check();
  await page.getByTestId('question-frequence').getByRole('textbox').waitFor();
  await assertAccessible(page, 'form with "other" chosen');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the form in English has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page } = await open(id, { fixture: 'a11y-en.html' });
  await page.getByTestId('poll-form').waitFor();
  assert.equal(await page.getByTestId('concerto-widget').getAttribute('lang'), 'en');
  await assertAccessible(page, 'English form');
  await context.close();
});

test('the validation errors after an empty submit have no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page } = await open(id);
  await page.getByTestId('submit').click();
  await page.getByTestId('error-frequence').waitFor();
  await page.getByTestId('error-note').waitFor();
  // A rule broken as the resident types: a third choice out of two allowed.
  for (const label of ['Des jeux', 'De l’ombre', 'Des bancs']) {
    await page.getByTestId('question-envies').getByLabel(label).check();
  }
  await page.getByTestId('error-envies').waitFor();
  await page.getByTestId('form-error').waitFor();
  await assertAccessible(page, 'validation errors');
  await context.close();
});

test('the form while it is sending has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  const { context, page } = await open(id, {
    beforeGoto: (p) =>
      p.route(`${server.base}api/v1/polls/${id}/responses`, async (route) => {
        await held;
        await route.continue();
      }),
  });
  await page.getByTestId('poll-form').waitFor();
  await answerEverything(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('submit').and(page.locator('[aria-disabled="true"]')).waitFor();
  assert.match(await page.getByTestId('status').innerText(), /Envoi de vos réponses/);
  await assertAccessible(page, 'sending');
  release();
  await page.getByTestId('thanks').waitFor();
  await context.close();
});

test('an answer waiting offline, with its try-now button, has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page } = await open(id, {
    beforeGoto: (p) => p.route(`${server.base}api/v1/polls/${id}/responses`, (route) => route.abort('internetdisconnected')),
  });
  await page.getByTestId('poll-form').waitFor();
  await answerEverything(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('waiting').waitFor();
  await assertAccessible(page, 'waiting offline');
  await context.close();
});

test('the thanks and the results have no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page, errors } = await open(id);
  await page.getByTestId('poll-form').waitFor();
  await page.getByTestId('question-frequence').getByLabel(/Autre/).check();
  await page.getByTestId('question-frequence').getByRole('textbox').fill('Le marché');
  await page.getByTestId('question-envies').getByLabel('Des jeux').check();
  await page.getByTestId('question-note').getByLabel('4', { exact: true }).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  await page.getByTestId('results').waitFor();
  await assertAccessible(page, 'thanks and results');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the thanks when results come at closing have no WCAG A or AA violation', async () => {
  const id = await server.openPoll({ ...everyKind(host.origin), results_visibility: 'after_closing' });
  const { context, page } = await open(id);
  await page.getByTestId('poll-form').waitFor();
  await answerEverything(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  await assertAccessible(page, 'thanks without results');
  await context.close();
});

test('a closed consultation showing its results has no WCAG A or AA violation', async () => {
  const id = await server.openPoll({ ...everyKind(host.origin), results_visibility: 'after_closing' });
  await server.closePoll(id);
  const { context, page } = await open(id);
  await page.getByTestId('state-closed').waitFor();
  await page.getByTestId('results').waitFor();
  await assertAccessible(page, 'closed with results');
  await context.close();
});

test('a closed consultation with private results has no WCAG A or AA violation', async () => {
  const id = await server.openPoll({ ...everyKind(host.origin), results_visibility: 'organisers_only' });
  await server.closePoll(id);
  const { context, page } = await open(id);
  await page.getByTestId('state-closed').waitFor();
  await assertAccessible(page, 'closed without results');
  await context.close();
});

test('a consultation not open yet has no WCAG A or AA violation', async () => {
  const opens = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const id = await server.openPoll({ ...everyKind(host.origin), opens_at: opens });
  const { context, page } = await open(id);
  await page.getByTestId('state-not-yet-open').waitFor();
  await assertAccessible(page, 'not yet open');
  await context.close();
});

test('an unknown consultation has no WCAG A or AA violation', async () => {
  const { context, page } = await open('nothing-here');
  await page.getByTestId('state-not-found').waitFor();
  await assertAccessible(page, 'not found');
  await context.close();
});

test('a consultation that could not be loaded has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page } = await open(id, {
    beforeGoto: async (p) => {
      await withoutFirstView(p, server.base, id);
      await p.route(`${server.base}api/v1/polls/${id}`, (route) => route.abort('internetdisconnected'));
    },
  });
  await page.getByTestId('state-network-error').waitFor();
  await assertAccessible(page, 'network error');
  await context.close();
});

test('the loading state has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  const { context, page } = await open(id, {
    beforeGoto: async (p) => {
      await withoutFirstView(p, server.base, id);
      await p.route(`${server.base}api/v1/polls/${id}`, async (route) => {
        await held;
        await route.continue();
      });
    },
  });
  await page.getByTestId('state-loading').waitFor();
  await assertAccessible(page, 'loading');
  release();
  await page.getByTestId('poll-form').waitFor();
  await context.close();
});

test('the thanks and the results in English have no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page } = await open(id, { fixture: 'a11y-en.html' });
  await page.getByTestId('poll-form').waitFor();
  await page.getByTestId('question-frequence').getByLabel('Souvent').check();
  await page.getByTestId('question-note').getByLabel('2', { exact: true }).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('results').waitFor();
  assert.equal(await page.getByTestId('concerto-widget').getAttribute('lang'), 'en');
  await assertAccessible(page, 'English thanks and results');
  await context.close();
});

test('a later visit to a consultation answered on this device has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page } = await open(id);
  await page.getByTestId('poll-form').waitFor();
  await answerEverything(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  await page.reload();
  await page.getByTestId('thanks').waitFor();
  assert.equal(await page.getByTestId('poll-form').count(), 0);
  await assertAccessible(page, 'answered before');
  await context.close();
});

test('the thanks offering another answer has no WCAG A or AA violation', async () => {
  const id = await server.openPoll({ ...everyKind(host.origin), allow_multiple_answers: true });
  const { context, page } = await open(id);
  await page.getByTestId('poll-form').waitFor();
  await answerEverything(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('answer-again').waitFor();
  await assertAccessible(page, 'answer again');
  await context.close();
});

test('a widget themed with a pale accent has no WCAG A or AA violation', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const { context, page } = await open(id, { fixture: 'a11y-themed.html' });
  await page.getByTestId('poll-form').waitFor();
  // The theme reached the widget: the button is drawn in the yellow, not the default blue.
  const button = await page.getByTestId('submit').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(button, 'rgb(245, 196, 0)');
  await page.getByTestId('question-note').getByLabel('3', { exact: true }).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('error-frequence').waitFor();
  await assertAccessible(page, 'themed form with errors');
  await page.getByTestId('question-frequence').getByLabel('Parfois').check();
  await page.getByTestId('submit').click();
  await page.getByTestId('results').waitFor();
  await assertAccessible(page, 'themed results');
  await context.close();
});
