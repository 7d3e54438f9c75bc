// A partner's doors in a real browser: its snippet on its own site (another origin than the
// owner's, allowed only as the partner's site), a malformed key in that snippet, and its QR
// link to the standalone page with JavaScript on and off. Each answer reads back, in the
// owner's API, with the partner it came through and its door.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, watchErrors } from '../support/browser.mjs';
import { startServerWithOrgs } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';
import { AxeBuilder } from '@axe-core/playwright';
import { WCAG_TAGS, assertPageAccessible, describeViolations } from '../support/a11y.mjs';

let server;
let ownerSite;
let partnerSite;
let browser;

/**
 * The real server with two organisations, the owner ("Conseil de quartier") and the partner
 * ("Asso vélo"), each with its id and token (support/server.mjs makes only one).
 */
async function startTwoOrgs() {
  const running = await startServerWithOrgs(['Conseil de quartier', 'Asso vélo']);
  return { ...running, owner: running.orgs[0], partner: running.orgs[1] };
}

/** `route` of the organiser's API with `token`; the parsed body, failing on an error. */
async function api(token, method, route, body) {
  const res = await fetch(new URL(route, server.base), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/**
 * An open consultation of the owner, embeddable from the owner's site only, co-hosted by the
 * partner from its own site: invited by the owner, accepted by the partner, who adds its
 * site. Returns its id and the partner's key and QR link.
 */
async function partneredPoll() {
  const { owner, partner } = server;
  const poll = await api(owner.token, 'POST', 'api/v1/org/polls', everyKind(ownerSite.origin));
  await api(owner.token, 'POST', `api/v1/org/polls/${poll.id}/open`);
  const invited = await api(owner.token, 'POST', `api/v1/org/polls/${poll.id}/partners`, { org: partner.org });
  await api(partner.token, 'POST', `api/v1/org/partnerships/${poll.id}/accept`);
  const active = await api(partner.token, 'PUT', `api/v1/org/partnerships/${poll.id}/origins`, {
    origins: [partnerSite.origin],
  });
  assert.equal(active.state, 'active');
  assert.equal(invited.key, active.key);
  return { id: poll.id, key: active.key, link: active.qr_link };
}

/** The owner's stored answers of consultation `id`, newest first. */
async function answers(id) {
  return (await api(server.owner.token, 'GET', `api/v1/org/polls/${id}/responses`)).responses;
}

async function answer(scope) {
  await scope.getByTestId('question-frequence').getByLabel('Souvent').check();
  await scope.getByTestId('question-note').getByLabel('4', { exact: true }).check();
  await scope.getByTestId('submit').click();
  await scope.getByTestId('thanks').waitFor();
}

before(async () => {
  server = await startTwoOrgs();
  ownerSite = await startHost(server.base);
  // Another port: another origin, which only the partnership allows.
  partnerSite = await startHost(server.base);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await partnerSite?.stop();
  await ownerSite?.stop();
  await server?.stop();
});

test('a resident answers through the partner\'s snippet on the partner\'s own site, and the answer counts for the partner', async () => {
  const { id, key } = await partneredPoll();
  assert.notEqual(partnerSite.origin, ownerSite.origin);
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const sent = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith(`/api/v1/polls/${id}/responses`)) sent.push(r.postDataJSON());
  });
  await page.goto(partnerSite.url('partner.html', { poll: id, partner: key }));
  await page.locator('[data-concerto-mounted="true"]').waitFor();
  await answer(page);

  assert.equal(sent.length, 1);
  assert.equal(sent[0].partner, key);
  assert.equal(sent[0].via, 'site');
  const [stored] = await answers(id);
  assert.equal(stored.partner, server.partner.org);
  assert.equal(stored.via, 'site');
  assert.deepEqual(errors, []);

  // The owner's own site: the same widget, no partner.
  const own = await context.newPage();
  await own.goto(ownerSite.url('one.html', { poll: id }));
  await own.locator('[data-concerto-mounted="true"]').waitFor();
  await answer(own);
  const [mine] = await answers(id);
  assert.equal(mine.partner, undefined);
  assert.equal(mine.via, 'site');
  await context.close();
});

test('a malformed key in a partner\'s snippet is told once on the console and the resident still answers', async () => {
  const { id } = await partneredPoll();
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  // Capitals and a letter the keys never use: not a key (the host keeps letters and digits).
  await page.goto(partnerSite.url('partner.html', { poll: id, partner: 'ABCDEFGHIJK0' }));
  await page.locator('[data-concerto-mounted="true"]').waitFor();
  await answer(page);
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /data-concerto-partner is not a partner key.*ABCDEFGHIJK0/);
  const [stored] = await answers(id);
  assert.equal(stored.partner, undefined);
  assert.equal(stored.via, 'site');
  assert.equal((await answers(id)).length, 1);
  await context.close();
});

test('an answer that waits on the device keeps its partner and door, whatever the page that sends it later', async () => {
  const { id, key } = await partneredPoll();
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(partnerSite.url('partner.html', { poll: id, partner: key }));
  await page.locator('[data-concerto-mounted="true"]').waitFor();
  await page.getByTestId('question-frequence').getByLabel('Parfois').check();
  await page.getByTestId('question-note').getByLabel('2', { exact: true }).check();
  await context.setOffline(true);
  await page.getByTestId('submit').click();
  await page.getByTestId('waiting').waitFor();
  const kept = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((k) => k.startsWith('concerto:v1:outbox:'))
      .map((k) => JSON.parse(localStorage.getItem(k))),
  );
  assert.equal(kept.length, 1);
  assert.equal(kept[0][0].partner, key);
  assert.equal(kept[0][0].via, 'site');
  await page.close();

  // Back online, a page of the same site whose placeholder names no partner: the answer goes
  // from the outbox as it was given.
  await context.setOffline(false);
  const later = await context.newPage();
  const errors = watchErrors(later);
  await later.goto(partnerSite.url('partner.html', { poll: id, partner: '' }));
  await later.getByTestId('thanks').waitFor();
  const [stored] = await answers(id);
  assert.equal(stored.submission_id, kept[0][0].submission_id);
  assert.equal(stored.partner, server.partner.org);
  assert.equal(stored.via, 'site');
  assert.equal((await answers(id)).length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the partner\'s QR link opens the standalone page, whose answer counts for the partner as from a QR code', async () => {
  const { id, key, link } = await partneredPoll();
  assert.equal(link, `${server.base}p/${id}?partner=${key}&via=qr`);
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(link);
  await page.locator('[data-concerto-mounted="true"]').waitFor();
  assert.equal(await page.locator('[data-concerto-poll]').getAttribute('data-concerto-partner'), key);
  await answer(page);
  const [stored] = await answers(id);
  assert.equal(stored.partner, server.partner.org);
  assert.equal(stored.via, 'qr');
  assert.deepEqual(errors, []);
  await context.close();

  // With JavaScript off, the form's hidden fields carry them.
  const plain = await phone(browser, { javaScriptEnabled: false });
  const noScript = await plain.newPage();
  await noScript.goto(link);
  await answer(noScript);
  const [posted] = await answers(id);
  assert.notEqual(posted.submission_id, stored.submission_id);
  assert.equal(posted.partner, server.partner.org);
  assert.equal(posted.via, 'qr');

  // An old flyer with a key that is none of the partners': the page opens as the owner's.
  await noScript.goto(`${server.base}p/${id}?partner=abcdefghijkm&via=qr`);
  await answer(noScript);
  const [old] = await answers(id);
  assert.equal(old.partner, undefined);
  assert.equal(old.via, 'qr');
  await plain.close();
});

test('the public results page and its embed on the partner\'s site list who brought the answers, small groups hidden', async () => {
  const { id, key } = await partneredPoll();
  // Seven through the partner's site, two through the owner's: under five, the owner's count is
  // hidden, and so is the partner's, which with the total would give it away.
  const send = async (origin, partner) => {
    const body = { submission_id: crypto.randomUUID(), answers: { frequence: { option: 'souvent' }, note: { rating: 4 } } };
    if (partner) body.partner = partner;
    const res = await fetch(new URL(`api/v1/polls/${id}/responses`, server.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, await res.text());
  };
  for (let i = 0; i < 7; i++) await send(partnerSite.origin, key);
  for (let i = 0; i < 2; i++) await send(ownerSite.origin, null);
  const counts = (scope) =>
    scope.getByTestId('partner-count').evaluateAll((items) =>
      items.map((li) => [li.querySelector('.cc-partners__name').textContent, li.querySelector('.cc-partners__count').textContent]),
    );
  const expected = [
    ['Conseil de quartier', 'moins de 5 réponses'],
    ['Asso vélo', 'moins de 5 réponses'],
  ];

  // The page, with JavaScript off.
  const context = await phone(browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  const errors = watchErrors(page);
  assert.equal((await page.goto(new URL(`p/${id}/results`, server.base).href)).status(), 200);
  await page.getByRole('heading', { name: 'Réponses par partenaire' }).waitFor();
  assert.deepEqual(await counts(page), expected);
  await page.getByText('un nombre sous 5 n’est pas publié', { exact: false }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
  // Accessible (axe runs as a script: a context that allows them).
  const axeContext = await browser.newContext({ locale: 'fr-FR' });
  const axePage = await axeContext.newPage();
  const axeErrors = watchErrors(axePage);
  await axePage.goto(new URL(`p/${id}/results`, server.base).href);
  await axePage.getByTestId('partner-count').first().waitFor();
  await assertPageAccessible(axePage, 'results page with partners', axeErrors);
  assert.deepEqual(axeErrors, []);
  await axeContext.close();

  // The results' snippet on the partner's own site (an origin only the partnership allows).
  const embedContext = await phone(browser);
  const embed = await embedContext.newPage();
  await embed.goto(partnerSite.url('results.html', { poll: id }));
  const results = embed.locator('[data-concerto-results]').first();
  await results.getByTestId('public-results').waitFor();
  assert.deepEqual(await counts(results), expected);
  const inEmbed = await new AxeBuilder({ page: embed }).include('[data-concerto-results]').withTags(WCAG_TAGS).analyze();
  assert.deepEqual(inEmbed.violations, [], describeViolations(inEmbed.violations));
  await embedContext.close();
});
