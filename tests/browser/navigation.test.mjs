// Moving around the dashboard: links and the browser's back and forward buttons change the
// page without reloading it, any address can be opened directly (or reloaded), unknown ones
// say so, and a page asked for while logged out comes back once logged in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { signIn } from '../support/organiser.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const path = (page) => new URL(page.url()).pathname;

test('links, back and forward move between pages without reloading', async () => {
  const { context, page, errors } = await signIn(browser, server);
  await page.getByTestId('new-poll').waitFor();
  // Gone if the page reloads.
  await page.evaluate(() => { window.__stillHere = true; });
  const nav = page.getByRole('navigation');

  await page.getByTestId('nav-team').click();
  await page.getByTestId('organisers').waitFor();
  assert.equal(path(page), '/admin/team');
  assert.equal(await page.getByTestId('nav-team').getAttribute('aria-current'), 'page');
  assert.equal(await nav.getByRole('link', { name: 'Mes consultations' }).getAttribute('aria-current'), null);

  await page.goBack();
  await page.getByTestId('new-poll').waitFor();
  assert.equal(path(page), '/admin/');
  assert.equal(await nav.getByRole('link', { name: 'Mes consultations' }).getAttribute('aria-current'), 'page');
  await page.goForward();
  await page.getByTestId('organisers').waitFor();

  // From the header's brand to the list, then to a new consultation.
  await page.getByRole('link', { name: 'Concerto' }).click();
  await page.getByTestId('new-poll').click();
  await page.waitForURL(/\/admin\/polls\/new$/);
  assert.equal(await page.evaluate(() => window.__stillHere), true, 'the page reloaded');
  // The invitation page's first look at the session is a 401.
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});

test('any address opens directly; unknown ones and ids that cannot be say so', async () => {
  const { context, page, errors } = await signIn(browser, server);
  await page.goto(new URL('admin/team', server.base).href);
  await page.getByTestId('organisers').waitFor();

  for (const wrong of ['admin/nope', 'admin/polls/a%20b', 'admin/polls/a%20b/edit', 'admin/polls/zzzzzzzzzzzz']) {
    await page.goto(new URL(wrong, server.base).href);
    // A well-formed id that does not exist is the poll page's own "not found".
    await page.getByTestId('not-found').or(page.getByTestId('error')).first().waitFor();
    assert.match(await page.locator('main').innerText(), /Cette page n’existe pas/, wrong);
  }
  await page.evaluate(() => { window.__stillHere = true; });
  await page.locator('main').getByRole('link', { name: 'Mes consultations' }).click();
  await page.getByTestId('new-poll').waitFor();
  assert.equal(await page.evaluate(() => window.__stillHere), true, 'the page reloaded');
  assert.deepEqual(errors.filter((e) => !/status of (401|404)/.test(e)), []);
  await context.close();
});

test('a page asked for while logged out shows the login form, then itself', async () => {
  const { context, page, errors, email, password } = await signIn(browser, server);
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  assert.equal(path(page), '/admin/login');

  await page.goto(new URL('admin/team', server.base).href);
  await page.getByTestId('login-form').waitFor();
  assert.equal(path(page), '/admin/team');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('organisers').waitFor();
  assert.equal(path(page), '/admin/team');

  // Logged in, `/login` moves on to the list.
  await page.goto(new URL('admin/login', server.base).href);
  await page.getByTestId('new-poll').waitFor();
  assert.equal(path(page), '/admin/');
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});
