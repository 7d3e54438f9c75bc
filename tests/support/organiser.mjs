// A new organiser of the test server's organisation, signed in through an invitation in a
// browser context of their own, as a person would be.

import { watchErrors } from './browser.mjs';

/**
 * Invites and signs in an organiser named Inès; resolves to `{ context, page, errors, email,
 * password }` on the dashboard. `viewport` defaults to a desktop window.
 */
export async function signIn(browser, server, viewport = { width: 1280, height: 900 }) {
  const res = await fetch(new URL('api/v1/org/invitations', server.base), {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}` },
  });
  const { url } = await res.json();
  const context = await browser.newContext({ locale: 'fr-FR', viewport });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  const email = `${crypto.randomUUID()}@riverains.example`;
  const password = 'un mot de passe assez long';
  await page.getByTestId('invitation-email').fill(email);
  await page.getByTestId('invitation-name').fill('Inès');
  await page.getByTestId('invitation-password').fill(password);
  await page.getByTestId('invitation-submit').click();
  await page.getByTestId('who').waitFor();
  return { context, page, errors, email, password };
}
