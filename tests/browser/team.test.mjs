// The team page: the organisation's organisers, a new invitation's link to copy, pending
// invitations withdrawn after a confirmation (the link then stops working).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { assertPageAccessible } from '../support/a11y.mjs';
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

test('an organiser sees the team, invites, copies the link and revokes an invitation', async () => {
  const { context, page, errors } = await signIn(browser, server);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.base).origin });
  await page.getByTestId('nav-team').click();
  const organisers = page.getByTestId('organisers');
  await organisers.waitFor();
  assert.match(await organisers.getByTestId('organiser-row').first().innerText(), /Inès\s+.+@riverains\.example/);
  // The test server's own first invitation (made with the organisation's token) may wait too.
  const rows = page.getByTestId('pending-row');
  await page.getByTestId('pending').or(page.getByTestId('pending-none')).first().waitFor();
  const before = await rows.count();

  await page.getByTestId('invite').click();
  const link = page.getByTestId('invitation-url');
  await link.waitFor();
  const url = await link.inputValue();
  assert.match(url, new RegExp(`^${server.base}admin/invitation#cci_`));
  await page.getByTestId('copy-invitation-url').click();
  await page.getByTestId('copy-invitation-url-status').getByText('Lien copié.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  // Newest first, made by Inès.
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pending-row"]').length === n + 1, before);
  assert.match(await rows.first().innerText(), /Inès/);
  await assertPageAccessible(page, 'team', errors);

  // Withdrawn after a confirmation; cancelling keeps it.
  await rows.first().getByTestId('revoke').click();
  await page.getByTestId('revoke-confirm').getByText(/Le lien ne fonctionnera plus/).waitFor();
  await page.getByTestId('revoke-confirm').getByRole('button', { name: 'Annuler' }).click();
  assert.equal(await rows.count(), before + 1);
  await rows.first().getByTestId('revoke').click();
  await page.getByTestId('revoke-yes').click();
  await page.getByTestId('team-status').getByText('Invitation retirée.').waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="pending-row"]').length === n, before);

  // The link no longer works.
  const token = url.split('#')[1];
  const res = await fetch(new URL('api/v1/auth/invitations/accept', server.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(server.base).origin },
    body: JSON.stringify({ token, email: 'tard@riverains.example', name: 'Tard', password: 'un mot de passe assez long' }),
  });
  assert.equal(res.status, 404);
  assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), []);
  await context.close();
});
