// Never losing an answer: the device's outbox keeps an answer the network or the server did
// not take, sends it again (same submission id) when the connection returns or after a
// reload, and the device remembers that the consultation was answered. No cookies.

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

/** Answers the required questions of `everyKind`. */
async function answer(page) {
  await page.getByTestId('poll-form').waitFor();
  await page.getByTestId('question-frequence').getByLabel('Souvent').check();
  await page.getByTestId('question-note').getByLabel('4', { exact: true }).check();
}

/** Records the submission id of every answer the page posts to the server. */
function recordPosts(page, id) {
  const ids = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith(`/api/v1/polls/${id}/responses`)) {
      ids.push(r.postDataJSON().submission_id);
    }
  });
  return ids;
}

/** The outbox records in the page's localStorage, parsed. */
function outboxes(page) {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('concerto:v1:outbox:'))
      .map((k) => JSON.parse(localStorage.getItem(k))),
  );
}

async function until(check, what, ms = 10000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('an answer given offline waits on the device, survives a reload and is stored once when the network returns', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const posted = recordPosts(page, id);
  await page.goto(host.url('one.html', { poll: id }));
  await answer(page);

  await context.setOffline(true);
  // Long enough after the form was shown to tell an id made then from one made at the send.
  await page.waitForTimeout(500);
  const sentAt = Date.now();
  await page.getByTestId('submit').click();
  const waiting = page.getByTestId('waiting');
  await waiting.waitFor();
  assert.match(await waiting.innerText(), /En attente de connexion… votre réponse sera envoyée automatiquement/);
  assert.equal(await page.getByTestId('poll-form').isHidden(), true);
  assert.match(await page.getByTestId('status').textContent(), /En attente de connexion/);
  const [kept] = await outboxes(page);
  assert.equal(kept.length, 1);
  assert.deepEqual(kept[0].answers, { frequence: { option: 'souvent' }, note: { rating: 4 } });

  // The server stays unreachable across a reload: the reloaded widget shows the answer waiting.
  let refused = 0;
  const route = `${server.base}api/v1/polls/${id}/responses`;
  await page.route(route, (r) => {
    refused += 1;
    return r.abort('internetdisconnected');
  });
  await context.setOffline(false);
  await page.reload();
  await waiting.waitFor();
  await until(() => refused >= 1, 'the reloaded widget to try sending');
  assert.equal((await server.results(id)).total, 0);

  // The network returns: the `online` event sends it.
  await page.unroute(route);
  await context.setOffline(true);
  await context.setOffline(false);
  await page.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 1);
  assert.ok(posted.length >= 2, `posted ${posted.length} times`);
  assert.deepEqual(new Set(posted), new Set([kept[0].submission_id]), 'every try used the same submission id');
  // A version 7 id, its time that of the first send (not of the form's display).
  const [, hex] = /^([0-9a-f]{8}-[0-9a-f]{4})-7[0-9a-f]{3}-[89ab]/.exec(kept[0].submission_id) ?? [];
  assert.ok(hex, `a version 7 id: ${kept[0].submission_id}`);
  const madeAt = parseInt(hex.replace('-', ''), 16);
  assert.ok(madeAt >= sentAt - 100 && madeAt <= sentAt + 5000, `made at ${madeAt}, sent at ${sentAt}`);
  assert.deepEqual(await outboxes(page), []);
  assert.deepEqual(await context.cookies(), []);
  await context.close();
});

test('a server error keeps the answer waiting and the backoff timer sends it without any network event', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const posted = recordPosts(page, id);
  let failed = 0;
  await page.route(`${server.base}api/v1/polls/${id}/responses`, (r) => {
    if (failed < 1) {
      failed += 1;
      return r.fulfill({ status: 503, headers: { 'access-control-allow-origin': host.origin }, body: '' });
    }
    return r.continue();
  });
  await page.goto(host.url('one.html', { poll: id }));
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('waiting').waitFor();
  await page.getByTestId('thanks').waitFor({ timeout: 10000 });
  assert.equal(failed, 1);
  assert.equal(posted.length, 2);
  assert.equal(posted[0], posted[1]);
  assert.equal((await server.results(id)).total, 1);
  // The 503 itself is logged by the browser as a failed resource; nothing else went wrong.
  assert.deepEqual(errors.filter((e) => !/status of 503/.test(e)), []);
  await context.close();
});

test('a double tap on send sends the answers once', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  const posted = recordPosts(page, id);
  await page.route(`${server.base}api/v1/polls/${id}/responses`, async (r) => {
    await new Promise((done) => setTimeout(done, 300));
    return r.continue();
  });
  await page.goto(host.url('one.html', { poll: id }));
  await answer(page);
  // Two presses in the same task, before the page can re-render the button as disabled.
  await page.getByTestId('submit').evaluate((button) => {
    button.click();
    button.click();
  });
  await page.getByTestId('thanks').waitFor();
  assert.equal(posted.length, 1);
  assert.equal((await server.results(id)).total, 1);
  await context.close();
});

test('a consultation answered on this device shows the thanks instead of the form on the next visit', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('one.html', { poll: id }));
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();

  await page.reload();
  await page.getByTestId('thanks').waitFor();
  assert.match(await page.getByTestId('thanks').innerText(), /déjà répondu/);
  await page.getByTestId('results').waitFor();
  assert.equal(await page.getByTestId('poll-form').count(), 0);
  assert.equal(await page.getByTestId('answer-again').count(), 0);
  assert.deepEqual(await context.cookies(), []);
  await context.close();
});

test('when several answers are allowed the resident answers again with a new submission id', async () => {
  const id = await server.openPoll({ ...everyKind(host.origin), allow_multiple_answers: true });
  const context = await phone(browser);
  const page = await context.newPage();
  const posted = recordPosts(page, id);
  await page.goto(host.url('one.html', { poll: id }));
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();

  await page.getByTestId('answer-again').click();
  await page.getByTestId('poll-form').waitFor();
  assert.equal(await page.getByTestId('question-frequence').getByLabel('Souvent').isChecked(), false);
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  assert.equal(posted.length, 2);
  assert.notEqual(posted[0], posted[1]);
  assert.equal((await server.results(id)).total, 2);

  // A later visit offers the form again.
  await page.reload();
  await page.getByTestId('poll-form').waitFor();
  await context.close();
});

test('a page where localStorage throws still takes an answer', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await phone(browser);
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The document is sandboxed', 'SecurityError');
      },
    });
  });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('one.html', { poll: id }));
  assert.equal(await page.evaluate(() => { try { localStorage; return false; } catch { return true; } }), true);
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 1);
  assert.deepEqual(errors, []);
  await context.close();
});
