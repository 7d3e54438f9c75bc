// The answers of a consultation in the dashboard: listed newest first, filtered by an
// option, opened whole, one deleted after a confirmation (the results follow at once), then
// all of them; the page stays accessible throughout.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { signIn } from '../support/organiser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';
import { assertPageAccessible } from '../support/a11y.mjs';

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

async function submit(id, answers) {
  const res = await fetch(new URL(`api/v1/polls/${id}/responses`, server.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: host.origin },
    body: JSON.stringify({ submission_id: crypto.randomUUID(), answers }),
  });
  assert.equal(res.status, 201, await res.clone().text());
}

/** A logged-in organiser of the test organisation, on a page of its own. */
function organiser() {
  return signIn(browser, server);
}

test('an organiser reads, filters and deletes answers, and the results follow', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  await submit(id, { frequence: { option: 'souvent' }, note: { rating: 4 }, rue: { text: 'Rue des Lilas' } });
  await submit(id, { frequence: { option: 'jamais' }, envies: { options: ['jeux', 'bancs'] }, note: { rating: 2 } });
  await submit(id, { frequence: { other: 'Le dimanche' }, note: { rating: 5 }, idees: { text: '<b>Des fontaines</b>' } });
  const { context, page, errors } = await organiser();
  await page.goto(`${server.base}admin/polls/${id}`);
  const answers = page.getByTestId('answers');
  await answers.getByTestId('answers-total').getByText('3 réponses').waitFor();
  const rows = answers.getByTestId('answer-row');
  assert.equal(await rows.count(), 3);
  // Newest first; the summary is the first question's answer.
  assert.match(await rows.nth(0).innerText(), /autre : Le dimanche/);
  assert.match(await rows.nth(2).innerText(), /Souvent/);
  await assertPageAccessible(page, 'answers', errors);

  // Opened whole: every question, texts as text.
  await rows.nth(0).getByTestId('answer-open').click();
  const details = answers.getByTestId('answer-details');
  await details.waitFor();
  const text = await details.innerText();
  assert.match(text, /Votre satisfaction\s+5 \/ 5/);
  assert.match(text, /Une idée \?\s+<b>Des fontaines<\/b>/);
  assert.match(text, /Votre rue\s+sans réponse/);

  // Filtered by an option of the multiple choice.
  await answers.getByTestId('answers-filter-answer').selectOption('envies:jeux');
  await answers.getByTestId('answers-filter').getByRole('button').click();
  await answers.getByTestId('answers-total').getByText('1 réponse').waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.nth(0).innerText(), /Jamais/);

  // Deleted after a confirmation; the results no longer count it.
  await rows.nth(0).getByTestId('answer-delete').click();
  await answers.getByTestId('answer-confirm').getByText(/Supprimer définitivement cette réponse/).waitFor();
  await answers.getByTestId('answer-delete-yes').click();
  await answers.getByTestId('answers-none').waitFor();
  await page.getByTestId('results-total').getByText('2 réponses').waitFor();
  assert.equal((await server.results(id)).total, 2);
  // A rating's bars carry the scale's end labels at its ends.
  const labels = await page.getByTestId('result-note').locator('.cc-admin-bar__label').allInnerTexts();
  assert.deepEqual(labels, ['1 (Pas du tout)', '2', '3', '4', '5 (Tout à fait)']);
  assert.match(await answers.getByTestId('answers-status').innerText(), /Réponse supprimée/);

  // Every answer, after a confirmation that can be cancelled.
  await answers.getByTestId('answers-filter-answer').selectOption('');
  await answers.getByTestId('answers-filter').getByRole('button').click();
  await answers.getByTestId('answers-total').getByText('2 réponses').waitFor();
  await answers.getByTestId('answers-delete-all').click();
  await answers.getByTestId('answers-confirm-all').getByRole('button', { name: 'Annuler' }).click();
  assert.equal((await server.results(id)).total, 2);
  await answers.getByTestId('answers-delete-all').click();
  await assertPageAccessible(page, 'confirmation', errors);
  await answers.getByTestId('answers-delete-all-yes').click();
  await answers.getByTestId('answers-none').waitFor();
  await page.getByTestId('results-total').getByText('0 réponse').waitFor();
  assert.equal((await server.results(id)).total, 0);
  // But the browser's note of the 401 asking who is logged in, before the invitation.
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});

test('closing waits for a confirmation, and deleting a consultation for its title', async () => {
  const id = await server.openPoll(everyKind(host.origin, 'Le kiosque'));
  await submit(id, { frequence: { option: 'souvent' }, note: { rating: 3 } });
  const { context, page, errors } = await organiser();
  await page.goto(`${server.base}admin/polls/${id}`);
  await page.getByTestId('poll-state').getByText('Ouverte').waitFor();

  // Duplicated as a new draft, opened in the editor; the original keeps its answer.
  await page.getByTestId('duplicate').click();
  const title = page.getByTestId('title-input');
  await title.waitFor();
  assert.equal(await title.inputValue(), 'Le kiosque (copie)');
  assert.doesNotMatch(page.url(), new RegExp(id));
  await page.goto(`${server.base}admin/polls/${id}`);
  await page.getByTestId('poll-state').getByText('Ouverte').waitFor();

  // "Clôturer" asks first; cancelling keeps it open.
  await page.getByTestId('close').click();
  const confirm = page.getByTestId('close-confirm');
  await confirm.getByText(/Les habitants ne pourront plus répondre/).waitFor();
  await confirm.getByRole('button', { name: 'Annuler' }).click();
  await page.getByTestId('close').waitFor();
  assert.equal(await page.getByTestId('poll-state').innerText(), 'Ouverte');
  await page.getByTestId('close').click();
  await page.getByTestId('close-yes').click();
  await page.getByTestId('poll-state').getByText('Clôturée').waitFor();

  // Deleting it with its answer needs its title typed.
  await page.getByTestId('delete-poll').click();
  const yes = page.getByTestId('delete-poll-yes');
  assert.equal(await yes.isDisabled(), true);
  await page.getByTestId('delete-poll-title').fill('Le kiosk');
  assert.equal(await yes.isDisabled(), true);
  await assertPageAccessible(page, 'deletion', errors);
  await page.getByTestId('delete-poll-title').fill('Le kiosque');
  await yes.click();
  await page.getByTestId('poll-list').or(page.getByTestId('no-polls')).first().waitFor();
  assert.equal(await page.getByTestId(`poll-row-${id}`).count(), 0);
  const res = await fetch(new URL(`api/v1/org/polls/${id}`, server.base), {
    headers: { authorization: `Bearer ${server.token}` },
  });
  assert.equal(res.status, 404);
  // The list page's log says who deleted it, with how many answers, and nothing they said.
  const entry = page.getByTestId('activity-row').filter({ hasText: 'Le kiosque' });
  await entry.waitFor();
  assert.match(await entry.innerText(), /Inès \(.+@riverains\.example\)\s+Consultation supprimée\s+Le kiosque\s+1/);
  await assertPageAccessible(page, 'list with its log', errors);
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});
