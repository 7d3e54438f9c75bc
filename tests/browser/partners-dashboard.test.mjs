// Partners in the dashboard: the organisation that owns a consultation invites another
// organisation of the same server; the partner accepts, adds its site and gets its snippet and
// QR code; an answer sent with the partner's key counts for it on the owner's page (count and
// share, the cross-tab by partner) and on the partner's (its count and share, the overall
// results, never the answers); the partner cannot open the owner's consultation; the owner
// ends the partnership, and a partner invited again leaves it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServerWithOrgs } from '../support/server.mjs';
import { signIn } from '../support/organiser.mjs';
import { everyKind } from '../support/polls.mjs';
import { assertPageAccessible } from '../support/a11y.mjs';

const PARTNER_SITE = 'https://asso-velo.example';

let server;
let browser;

/**
 * The real server with two organisations: the owner ("Conseil de quartier") and the partner
 * ("Asso vélo"), each with its token (support/server.mjs makes only one).
 */
async function startTwoOrgs() {
  const running = await startServerWithOrgs(['Conseil de quartier', 'Asso vélo']);
  return { ...running, owner: running.orgs[0], partner: running.orgs[1] };
}

/** `route` of the organiser's API with `token`; resolves to the response. */
function api(token, method, route, body) {
  return fetch(new URL(route, server.base), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/** The same, asserting success; resolves to the JSON body. */
async function ok(token, method, route, body) {
  const res = await api(token, method, route, body);
  assert.ok(res.ok, `${method} ${route}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/** A resident's answer, through the partner whose `key` it carries (none: the owner's own). */
async function answer(id, { key, origin, option }) {
  const res = await fetch(new URL(`api/v1/polls/${id}/responses`, server.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({
      submission_id: crypto.randomUUID(),
      answers: { frequence: { option }, note: { rating: 4 }, idees: { text: 'Un secret du quartier' } },
      ...(key ? { partner: key, via: 'site' } : {}),
    }),
  });
  assert.equal(res.status, 201, await res.text());
}

/** Whether an image of the page was loaded and decoded. */
function loaded(img) {
  return img.evaluate((el) => el.complete && el.naturalWidth > 0);
}

before(async () => {
  server = await startTwoOrgs();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('an owner invites a partner, which accepts, adds its site and follows its answers and the overall results', async () => {
  const ownerOrigin = 'https://www.riverains.example';
  const poll = await ok(server.owner.token, 'POST', 'api/v1/org/polls', everyKind(ownerOrigin, 'Les pistes cyclables'));
  const id = poll.id;
  await ok(server.owner.token, 'POST', `api/v1/org/polls/${id}/open`);

  // The owner: no partner yet; the directory offers the other organisation.
  const owner = await signIn(browser, { base: server.base, token: server.owner.token });
  await owner.page.goto(`${server.base}admin/polls/${id}`);
  const section = owner.page.getByTestId('partners');
  await section.getByRole('heading', { name: 'Partenaires' }).waitFor();
  await section.getByTestId('partners-none').waitFor();
  const select = section.getByTestId('partner-org');
  await select.waitFor();

  // Nothing chosen: said before asking the server.
  await section.getByTestId('partner-invite').click();
  await section.getByTestId('error').getByText('Choisissez d’abord une organisation dans la liste.').waitFor();

  await select.selectOption({ label: 'Asso vélo' });
  await section.getByTestId('partner-invite').click();
  await section.getByTestId('partners-status').getByText(/Invitation envoyée/).waitFor();
  const card = section.getByTestId('partner').filter({ hasText: 'Asso vélo' });
  await card.getByTestId('partner-state').getByText('Invitée').waitFor();
  assert.equal(await section.getByTestId('error').count(), 0);

  // The server's refusals, in words: already invited (409), not an organisation here (422).
  await select.selectOption({ label: 'Asso vélo' });
  await section.getByTestId('partner-invite').click();
  await section.getByTestId('error').getByText(/déjà partenaire de la consultation, ou déjà invitée/).waitFor();
  assert.equal(await select.getAttribute('aria-invalid'), 'true');
  await owner.page.route(`**/api/v1/org/polls/${id}/partners`, (route) =>
    route.request().method() === 'POST'
      ? route.continue({ postData: JSON.stringify({ org: 'inconnue0000' }) })
      : route.continue(),
  );
  await section.getByTestId('partner-invite').click();
  await section.getByTestId('error').getByText(/ne peut pas être invitée/).waitFor();
  await owner.page.unroute(`**/api/v1/org/polls/${id}/partners`);

  // The partner: the invitation on its partnerships page, accepted.
  const partner = await signIn(browser, { base: server.base, token: server.partner.token });
  const waiting = partner.page.getByTestId('nav-invitations');
  await waiting.waitFor();
  assert.match(await waiting.innerText(), /^1\s+invitation en attente$/);
  await partner.page.getByTestId('nav-partnerships').click();
  const invitation = partner.page.getByTestId('partnership-invitation');
  await invitation.waitFor();
  assert.match(await invitation.innerText(), /Les pistes cyclables/);
  assert.match(await invitation.innerText(), /Conseil de quartier vous invite à co-organiser/);
  await partner.page.getByTestId('partnerships-none').waitFor();
  await assertPageAccessible(partner.page, 'partnerships with an invitation', partner.errors);
  await invitation.getByTestId('partnership-accept').click();
  await partner.page.getByTestId('partnerships-status').getByText('Invitation acceptée.').waitFor();
  await partner.page.getByTestId('partnership-invitations-none').waitFor();
  await waiting.waitFor({ state: 'detached' });
  const row = partner.page.getByTestId('partnership-row');
  assert.match(await row.innerText(), /Les pistes cyclables\s+Conseil de quartier\s+Ouverte/);
  await row.getByRole('link', { name: 'Les pistes cyclables' }).click();

  // Its page: title, owner, its snippet with its key, its link and QR code.
  await partner.page.getByTestId('partnership-title').getByText('Les pistes cyclables').waitFor();
  assert.equal(await partner.page.getByTestId('partnership-owner').innerText(), 'Organisée par Conseil de quartier');
  assert.equal(await partner.page.getByTestId('partnership-state').innerText(), 'Active');
  const snippet = await partner.page.getByTestId('partnership-snippet').inputValue();
  const key = /data-concerto-partner="([^"]+)"/.exec(snippet)?.[1];
  assert.ok(key, snippet);
  assert.match(snippet, new RegExp(`data-concerto-poll="${id}"`));
  assert.match(await partner.page.getByTestId('partnership-link').innerText(), new RegExp(`/p/${id}\\?partner=${key}&via=qr$`));
  const qr = partner.page.getByTestId('partnership-qr');
  await partner.page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="partnership-qr"]');
    return img?.complete && img.naturalWidth > 0;
  });
  assert.equal(await loaded(qr), true);

  // Its sites: a line that is no site is refused beside it, then corrected and saved.
  const sites = partner.page.getByTestId('partnership-sites');
  await sites.getByTestId('sites-none').waitFor();
  await sites.getByTestId('site-add').click();
  await sites.getByTestId('site-input').fill('asso vélo point fr');
  await sites.getByTestId('sites-save').click();
  const siteError = sites.getByTestId('site-row').getByTestId('site-error');
  await siteError.getByText('ce n’est pas une adresse de site (https://exemple.fr)').waitFor();
  assert.equal(await sites.getByTestId('site-input').getAttribute('aria-invalid'), 'true');
  await sites.getByTestId('sites-status').getByText(/Certains sites sont refusés/).waitFor();
  await sites.getByTestId('site-input').fill(PARTNER_SITE);
  await sites.getByTestId('sites-save').click();
  await sites.getByTestId('sites-status').getByText('Sites enregistrés.').waitFor();
  assert.equal(await siteError.innerText(), '');
  const mine = await ok(server.partner.token, 'GET', `api/v1/org/partnerships/${id}`);
  assert.deepEqual(mine.partnership.origins, [PARTNER_SITE]);

  // Answers: one through the partner's site with its key, one from the owner's own site.
  await answer(id, { key, origin: PARTNER_SITE, option: 'souvent' });
  await answer(id, { origin: ownerOrigin, option: 'jamais' });

  // The partner's page: its count and share, the overall results, no written answer.
  await partner.page.getByTestId('partnership-refresh').click();
  await partner.page
    .getByTestId('partnership-own')
    .getByText('1 réponse par vous, 50\u00a0% du total (2 réponses)')
    .waitFor();
  const results = partner.page.getByTestId('partnership-results');
  assert.equal(await results.getByTestId('results-total').innerText(), '2 réponses');
  const frequence = await results.getByTestId('result-frequence').innerText();
  assert.match(frequence, /Souvent\s+1 \(50\u00a0%\)/);
  assert.match(frequence, /Jamais\s+1 \(50\u00a0%\)/);
  assert.equal(await results.getByTestId('text-search').count(), 0);
  assert.doesNotMatch(await partner.page.locator('main').innerText(), /Un secret du quartier/);
  await assertPageAccessible(partner.page, 'partnership', partner.errors);

  // The owner's page: the breakdown (count and share), the partner's site, snippet and QR.
  await owner.page.reload();
  const breakdown = section.getByTestId('partners-breakdown');
  await breakdown.waitFor();
  assert.equal(
    await breakdown.getByTestId('partner-row').filter({ hasText: 'Asso vélo' }).getByTestId('partner-row-answers').innerText(),
    '1 réponse (50\u00a0%)',
  );
  assert.equal(await breakdown.getByTestId('partner-own-answers').innerText(), '1 réponse (50\u00a0%)');
  assert.equal(await breakdown.getByTestId('partners-total').innerText(), '2 réponses');
  assert.equal(await card.getByTestId('partner-state').innerText(), 'Active');
  assert.equal(await card.getByTestId('partner-answers').innerText(), '1 réponse (50\u00a0%)');
  assert.equal(await card.getByTestId('partner-sites').innerText(), PARTNER_SITE);
  assert.equal(await card.getByTestId('partner-snippet').inputValue(), snippet);
  await owner.page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="partner-qr"]');
    return img?.complete && img.naturalWidth > 0;
  });
  assert.match(await card.getByTestId('partner-qr').getAttribute('src'), new RegExp(`qr\\.svg\\?partner=${key}$`));
  assert.equal(await card.getByTestId('partner-qr').getAttribute('alt'), 'QR code du lien du partenaire Asso vélo');

  // The cross-tab by partner, each group named.
  const crosstab = owner.page.getByTestId('crosstab');
  await crosstab.locator('summary').click();
  await crosstab.getByTestId('crosstab-question').selectOption('frequence');
  await crosstab.getByTestId('crosstab-by').selectOption({ label: 'le partenaire par lequel elle est arrivée' });
  await crosstab.getByTestId('crosstab-show').click();
  const table = crosstab.getByTestId('crosstab-table');
  await table.waitFor();
  const tableText = await table.innerText();
  assert.match(tableText, /Asso vélo\s+1\s+1 \(100\u00a0%\)/);
  assert.match(tableText, /Conseil de quartier\s+1\s+0 \(0\u00a0%\)/);
  await assertPageAccessible(owner.page, 'consultation with a partner', owner.errors);

  // The partner cannot read the owner's consultation: the API says 404, the page says why.
  const forbidden = await api(server.partner.token, 'GET', `api/v1/org/polls/${id}/responses`);
  assert.equal(forbidden.status, 404);
  await partner.page.goto(`${server.base}admin/polls/${id}`);
  await partner.page.getByTestId('poll-not-yours').getByText(/appartient à une autre organisation/).waitFor();
  assert.equal(await partner.page.getByTestId('error').innerText(), 'Cette page n’existe pas.');
  assert.equal(await partner.page.getByTestId('answers').count(), 0);
  await partner.page.getByTestId('to-partnerships').click();
  await partner.page.getByTestId('partnership-row').waitFor();

  // The owner ends the partnership after a confirmation (cancelling keeps it).
  await card.getByTestId('partner-end').click();
  await card.getByTestId('partner-end-confirm').getByText(/Mettre fin à ce partenariat/).waitFor();
  await card.getByTestId('partner-end-confirm').getByRole('button', { name: 'Annuler' }).click();
  assert.equal(await card.getByTestId('partner-state').innerText(), 'Active');
  await card.getByTestId('partner-end').click();
  await card.getByTestId('partner-end-yes').click();
  await section.getByTestId('partners-status').getByText('Partenariat terminé.').waitFor();
  await card.getByTestId('partner-state').getByText('Terminée').waitFor();
  assert.equal(await card.getByTestId('partner-snippet').count(), 0);
  // Its answer keeps counting for it.
  assert.equal(await card.getByTestId('partner-answers').innerText(), '1 réponse (50\u00a0%)');

  // Ended, the partnership is gone from the partner's dashboard.
  await partner.page.goto(`${server.base}admin/partnerships/${id}`);
  await partner.page.getByTestId('partnership-gone').waitFor();
  await partner.page.goto(`${server.base}admin/partnerships`);
  await partner.page.getByTestId('partnerships-none').waitFor();

  // Invited again, the partner accepts on its page and leaves after a confirmation.
  await select.selectOption({ label: 'Asso vélo' });
  await section.getByTestId('partner-invite').click();
  await card.getByTestId('partner-state').getByText('Invitée').waitFor();
  await partner.page.goto(`${server.base}admin/partnerships/${id}`);
  await partner.page.getByTestId('partnership-invited').waitFor();
  await partner.page.getByTestId('partnership-accept').click();
  await partner.page.getByTestId('partnership-state').getByText('Active').waitFor();
  await partner.page.getByTestId('partnership-leave').click();
  await partner.page.getByTestId('partnership-leave-confirm').getByText(/Quitter ce partenariat/).waitFor();
  await partner.page.getByTestId('partnership-leave-yes').click();
  await partner.page.getByTestId('partnerships-none').waitFor();
  assert.equal(new URL(partner.page.url()).pathname, '/admin/partnerships');
  await owner.page.reload();
  await card.getByTestId('partner-state').getByText('Terminée').waitFor();

  // Refusals (404, 409, 422, 400) and the 401 of the first visit, before logging in, are the
  // only errors the consoles saw.
  const unexpected = (errors) => errors.filter((e) => !/status of (400|401|404|409|422)/.test(e));
  assert.deepEqual(unexpected(owner.errors), []);
  assert.deepEqual(unexpected(partner.errors), []);
  await owner.context.close();
  await partner.context.close();
});
