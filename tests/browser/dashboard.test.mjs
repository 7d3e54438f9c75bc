// The organiser dashboard in a real browser: an organiser accepts their invitation, logs
// out and in, builds a consultation with every kind of question while the live preview
// follows, opens it, copies the snippet; a resident answers it on a partner's page of
// another origin; the dashboard's counts and bars change live and the exports hold the answer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, watchErrors } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { assertPageAccessible } from '../support/a11y.mjs';

const EMAIL = 'secretaire@riverains.example';
const PASSWORD = 'un mot de passe assez long';
// Organiser text must be shown as text, never run.
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

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

/** An invitation link for the organisation, as `POST /api/v1/org/invitations` makes one. */
async function invitation() {
  const res = await fetch(new URL('api/v1/org/invitations', server.base), {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}` },
  });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).url;
}

/** Errors of the page, but the browser's own note of each 401 (asking who is logged in
 * before logging in gets one, as do the refusals the test provokes). */
function unexpected(errors) {
  return errors.filter((e) => !/status of (401|409|429)/.test(e));
}

/** Locators of the editor's question `i` (0-based). */
function question(page, i) {
  const q = page.getByTestId('question-editor').nth(i);
  return {
    q,
    prompt: q.getByTestId('prompt'),
    kind: q.getByTestId('kind'),
    option: (j) => q.getByTestId('option-label').nth(j),
  };
}

test('an organiser builds, previews, opens, shares and follows a consultation', async () => {
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.base).origin });
  const page = await context.newPage();
  const errors = watchErrors(page);
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    d.dismiss();
  });

  // The invitation: choose credentials, land logged in on the (empty) list.
  await page.goto(await invitation());
  await page.getByTestId('invitation-email').fill(EMAIL);
  await page.getByTestId('invitation-name').fill('Zoé');
  await page.getByTestId('invitation-password').fill(PASSWORD);
  await page.getByTestId('invitation-submit').click();
  await page.getByTestId('no-polls').waitFor();
  assert.match(await page.getByTestId('who').innerText(), /Zoé · Conseil de quartier/);
  const cookies = await context.cookies();
  assert.deepEqual(
    cookies.map((c) => [c.name, c.httpOnly, c.sameSite]),
    [['concerto_session', true, 'Strict']],
  );
  await assertPageAccessible(page, 'list', errors);

  // Log out, then a wrong password is refused in words, and the right one logs in.
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  assert.equal(new URL(page.url()).pathname, '/admin/login');
  await assertPageAccessible(page, 'login', errors);
  await page.getByTestId('login-email').fill(EMAIL);
  await page.getByTestId('login-password').fill('pas le bon mot de passe');
  await page.getByTestId('login-submit').click();
  assert.match(await page.getByTestId('error').innerText(), /incorrect/);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('no-polls').waitFor();

  // A new consultation; the preview follows each keystroke.
  await page.getByTestId('new-poll').click();
  const preview = page.getByTestId('preview');
  await page.getByTestId('title-input').pressSequentially('Le square');
  await preview.getByRole('heading', { name: 'Le square' }).waitFor();
  await page.getByTestId('title-input').pressSequentially(' Henri-IV');
  await preview.getByRole('heading', { name: 'Le square Henri-IV' }).waitFor();
  // In both languages: the preview shows the organiser's language's version.
  await page.getByTestId('bilingual').check();
  await page.getByTestId('title-en').fill('The Henri-IV square');
  await page.getByTestId('switch-language').click();
  await preview.getByRole('heading', { name: 'The Henri-IV square' }).waitFor();
  assert.equal(await page.getByTestId('save').innerText(), 'Save');
  await page.getByTestId('switch-language').click();
  await preview.getByRole('heading', { name: 'Le square Henri-IV' }).waitFor();
  await page.getByTestId('description-input').fill(`Dites-nous tout. ${XSS}`);
  await preview.getByText(`Dites-nous tout. ${XSS}`).waitFor();

  // 1: single choice, required, with "other"; the options typed in the wrong order, then moved.
  const q1 = question(page, 0);
  await q1.prompt.fill(`Vous y allez souvent ? ${XSS}`);
  await q1.q.getByTestId('required').check();
  await q1.option(0).fill('Parfois');
  await q1.option(1).fill('Souvent');
  await q1.q.getByTestId('add-option').click();
  await q1.option(2).fill('Jamais');
  await q1.q.getByTestId('option-up').nth(1).click();
  assert.deepEqual(await q1.q.getByTestId('option-label').evaluateAll((els) => els.map((e) => e.value)), [
    'Souvent',
    'Parfois',
    'Jamais',
  ]);
  await q1.q.getByTestId('allow-other').check();
  const pq1 = preview.getByTestId('question-q1');
  await pq1.getByLabel('Jamais').waitFor();
  assert.deepEqual(await pq1.locator('input[type=radio]').evaluateAll((els) => els.map((e) => e.labels[0].textContent.trim())).then((l) => l.slice(0, 3)), [
    'Souvent',
    'Parfois',
    'Jamais',
  ]);
  await pq1.getByLabel(/Autre/).waitFor();

  // 2: multiple choice, at most two.
  await page.getByTestId('add-question').click();
  const q2 = question(page, 1);
  await q2.kind.selectOption('multiple_choice');
  await q2.prompt.fill('Qu’aimeriez-vous y trouver ?');
  await q2.option(0).fill('Des jeux');
  await q2.option(1).fill('De l’ombre');
  await q2.q.getByTestId('add-option').click();
  await q2.option(2).fill('Des bancs');
  await q2.q.getByTestId('add-option').click();
  await q2.option(3).fill(XSS);
  await preview.getByText(XSS, { exact: true }).waitFor();
  await q2.q.getByTestId('option-remove').nth(3).click();
  await q2.q.getByTestId('max-selections').fill('2');

  // 3: rating from 1 to 5, required.
  await page.getByTestId('add-question').click();
  const q3 = question(page, 2);
  await q3.kind.selectOption('rating');
  await q3.prompt.fill('Votre satisfaction');
  await q3.q.getByTestId('required').check();
  await q3.q.getByTestId('min-label').fill('Pas du tout');
  await q3.q.getByTestId('max-label').fill('Tout à fait');

  // 4 and 5: short and long text; the long one added first, then moved below.
  await page.getByTestId('add-question').click();
  await question(page, 3).kind.selectOption('long_text');
  await question(page, 3).prompt.fill('Une idée ?');
  await page.getByTestId('add-question').click();
  await question(page, 4).kind.selectOption('short_text');
  await question(page, 4).prompt.fill('Votre rue');
  await question(page, 4).q.getByTestId('question-up').click();
  assert.equal(await question(page, 3).prompt.inputValue(), 'Votre rue');
  assert.equal(await question(page, 4).prompt.inputValue(), 'Une idée ?');
  const previewPrompts = await preview.locator('fieldset legend').allInnerTexts();
  assert.equal(previewPrompts.length, 5, previewPrompts.join(' | '));
  assert.match(previewPrompts[3], /Votre rue/);
  assert.match(previewPrompts[4], /Une idée/);

  // The made-up ids of the questions, in order (see crates/dashboard/src/draft.rs).
  const ids = await preview
    .locator('fieldset[data-testid^="question-"]')
    .evaluateAll((els) => els.map((e) => e.dataset.testid.slice('question-'.length)));
  assert.equal(ids.length, 5);
  const [, multiple, rating, , long] = ids;

  // The preview checks answers as the widget does.
  await preview.getByTestId('question-q1').getByLabel('Souvent').check();
  await preview.getByTestId(`question-${rating}`).getByLabel('4', { exact: true }).check();

  await page.getByTestId('origins').fill(host.origin);
  await assertPageAccessible(page, 'editor', errors);
  assert.equal(await page.getByTestId('editor-errors').count(), 0);
  await page.getByTestId('save').click();

  // The consultation's page: a draft, then open.
  await page.getByTestId('poll-state').waitFor();
  const id = new URL(page.url()).pathname.split('/').pop();
  assert.match(id, /^[A-Za-z0-9_-]+$/);
  assert.equal(await page.getByTestId('poll-state').innerText(), 'Brouillon');
  assert.equal(await page.getByTestId('poll-title').innerText(), 'Le square Henri-IV');
  await page.getByTestId('open').click();
  await page.getByTestId('close').waitFor();
  assert.equal(await page.getByTestId('poll-state').innerText(), 'Ouverte');
  assert.match(await page.getByTestId('results-total').innerText(), /^0 réponse$/);
  await assertPageAccessible(page, 'consultation', errors);

  // The snippet goes to the clipboard as shown.
  await page.getByTestId('copy-snippet').click();
  await page.getByTestId('copy-snippet-status').getByText('Code copié.').waitFor();
  const snippet = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(snippet, await page.getByTestId('snippet').inputValue());
  assert.equal(
    snippet,
    `<link rel="preload" href="${server.base}api/v1/polls/${id}/view?lang=fr" as="fetch" crossorigin>\n` +
      `<link rel="preload" href="${server.base}widget/concerto-widget_bg.wasm" as="fetch" crossorigin fetchpriority="low">\n` +
      `<script src="${server.base}embed.js" async></script>\n<div data-concerto-poll="${id}"></div>`,
  );
  assert.equal(await page.getByTestId('standalone-link').getAttribute('href'), `${server.base}p/${id}`);
  // The public results: their page, and their snippet with the same loader.
  assert.equal(await page.getByTestId('results-page-link').getAttribute('href'), `${server.base}p/${id}/results`);
  assert.equal(
    await page.getByTestId('results-snippet').inputValue(),
    `<script src="${server.base}embed.js" async></script>\n<div data-concerto-results="${id}"></div>`,
  );
  // The iframe variants, for sites that strip scripts.
  await page.getByText('Votre site retire les scripts ?').click();
  assert.equal(
    await page.getByTestId('frame-snippet').inputValue(),
    `<script src="${server.base}embed-frame.js" async></script>\n<div data-concerto-frame="${id}"></div>`,
  );
  assert.match(
    await page.getByTestId('iframe-snippet').inputValue(),
    new RegExp(`^<iframe src="${server.base}embed/${id}\\?origin=${host.origin}"`),
  );
  // The QR code of the standalone link, drawn by the server, shows and downloads.
  await page.waitForFunction(() => document.querySelector('[data-testid="qr"]')?.naturalWidth > 0);
  for (const format of ['svg', 'png']) {
    const href = await page.getByTestId(`qr-${format}`).getAttribute('href');
    assert.equal(href, `/api/v1/org/polls/${id}/qr.${format}`);
    const res = await page.request.get(new URL(href, server.base).href);
    assert.equal(res.status(), 200, format);
    assert.match(res.headers()['content-type'], new RegExp(`image/${format}`), format);
  }

  // A resident answers on a partner's page of another origin, which carries that snippet.
  const resident = await browser.newContext({ locale: 'fr-FR' });
  const rpage = await resident.newPage();
  await rpage.goto(host.url('one.html', { poll: id }));
  await rpage.getByTestId('poll-form').waitFor();
  await rpage.getByTestId('question-q1').getByLabel('Souvent').check();
  await rpage.getByTestId(`question-${multiple}`).getByLabel('Des jeux').check();
  await rpage.getByTestId(`question-${rating}`).getByLabel('4', { exact: true }).check();
  await rpage.getByTestId(`question-${long}`).getByRole('textbox').fill('Des fontaines');
  await rpage.getByTestId('submit').click();
  await rpage.getByTestId('thanks').waitFor();
  await resident.close();

  // The dashboard's counts, bars and chart follow, live (server-sent events), no reload.
  await page.getByTestId('results-total').getByText('1 réponse', { exact: true }).waitFor();
  assert.match(await page.getByTestId('results-total').innerText(), /^1 réponse$/);
  assert.match(await page.getByTestId('poll-responses').innerText(), /^1 réponse$/);
  const q1result = page.getByTestId('result-q1');
  assert.match(await q1result.getByRole('listitem').first().innerText(), /Souvent\s+1 \(100\s%\)/);
  assert.match(await page.getByTestId(`result-${long}`).getByTestId('result-answered').innerText(), /^1 réponse$/);
  await page.getByTestId('timeline').waitFor();
  const texts = page.getByTestId(`result-${long}`);
  await texts.locator('summary').click();
  await texts.getByTestId('text-answers').getByText('Des fontaines').waitFor();
  await texts.getByTestId('text-search').fill('parking');
  await texts.getByTestId('text-search').press('Enter');
  await texts.getByText('Aucune réponse écrite.').waitFor();

  // A cross-tab: the wishes by how often people go there.
  const crosstab = page.getByTestId('crosstab');
  await crosstab.locator('summary').click();
  await crosstab.getByTestId('crosstab-question').selectOption(multiple);
  await crosstab.getByTestId('crosstab-by').selectOption('q1');
  await crosstab.getByTestId('crosstab-show').click();
  const souvent = crosstab.getByTestId('crosstab-table').getByRole('row', { name: /^Souvent/ });
  assert.match(await souvent.innerText(), /Souvent\s+1\s+1 \(100\s%\)\s+0 \(0\s%\)\s+0 \(0\s%\)/);

  // Each export is fetched with the session cookie and streamed, with its progress shown
  // (answers counted for CSV and JSON, kilobytes for the spreadsheets), then saved under the
  // server's file name: the consultation's title and today's date.
  const today = new Date().toISOString().slice(0, 10);
  // The CSV for Excel has a name of its own, so that both can sit in one folder.
  for (const [testid, ext, answers, name] of [
    ['export-csv', 'csv', true, `${today}.csv`],
    ['export-csv-semicolon', 'csv', true, `${today} excel.csv`],
    ['export-json', 'json', true, `${today}.json`],
    ['export-ods', 'ods', false, `${today}.ods`],
    ['export-xlsx', 'xlsx', false, `${today}.xlsx`],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    assert.equal(download.suggestedFilename(), `Le square Henri-IV ${name}`, testid);
    const file = await readFile(await download.path());
    if (ext === 'csv') {
      assert.match(file.toString('utf8'), /Des fontaines/, testid);
      assert.equal(file.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), testid === 'export-csv-semicolon', testid);
    } else if (ext === 'json') {
      const { consultation, answers: items } = JSON.parse(file.toString('utf8'));
      assert.equal(items.length, 1);
      assert.match(JSON.stringify(items[0].answers), /Des fontaines/);
      assert.ok(consultation.questions.length > 0, 'the definition beside the answers');
    } else {
      assert.equal(file.subarray(0, 2).toString('latin1'), 'PK', testid);
    }
    const status = page.getByTestId(`${testid}-status`);
    await status.getByText(/^Terminé/).waitFor();
    assert.match(await status.innerText(), answers ? /^Terminé\s:\s1 réponse sur 1$/ : /^Terminé\s:\s\d+\sKo reçus$/, testid);
    assert.equal(await status.getAttribute('aria-live'), 'polite', testid);
    const bar = page.getByTestId(`${testid}-progress`);
    assert.match(await bar.getAttribute('aria-label'), /^Progression de l’export — /, testid);
    assert.deepEqual(await bar.evaluate((p) => [p.value, p.max]), [1, 1], testid);
    assert.equal(await page.getByTestId(testid).isEnabled(), true, testid);
  }
  // A failed export says so, in the organiser's language.
  await page.route('**/export.json', (route) => route.fulfill({ status: 500, body: '' }));
  await page.getByTestId('export-json').click();
  await page.getByTestId('export-json-status').getByText('Le serveur a refusé la demande.').waitFor();
  await page.unroute('**/export.json');
  // The browser notes the refused load itself.
  errors.splice(0, errors.length, ...errors.filter((e) => !/status of 500/.test(e)));

  // Once answered, an edit that would strand answers is refused with the reason; rewording passes.
  await page.getByTestId('edit').click();
  await question(page, 0).kind.selectOption('short_text');
  await page.getByTestId('save').click();
  const refusal = await page.getByTestId('error').innerText();
  // In the organiser's language, naming what they wrote, not an internal id.
  assert.match(refusal, /^Cette consultation a déjà des réponses.*Question 1, type : cette question a des réponses : elle doit rester « Choix unique »/);
  await question(page, 0).kind.selectOption('single_choice');
  await page.reload();
  await question(page, 0).prompt.fill('Vous y allez souvent, au square ?');
  await page.getByTestId('save').click();
  await page.getByTestId('poll-state').waitFor();
  assert.equal(await page.getByTestId('poll-state').innerText(), 'Ouverte');

  // The list shows it with its count.
  await page.goto(`${server.base}admin/`);
  assert.equal(await page.getByTestId(`poll-row-${id}`).getByTestId('poll-responses').innerText(), '1');

  // More organisers are invited from the team page.
  await page.getByTestId('nav-team').click();
  await page.getByTestId('invite').click();
  assert.match(await page.getByTestId('invitation-url').inputValue(), new RegExp(`^${server.base}admin/invitation#cci_`));
  await page.goto(`${server.base}admin/`);

  // A session that ends mid-way (here: its cookie is gone) leads to the login form, and back.
  await page.getByTestId(`poll-row-${id}`).getByRole('link', { name: 'Le square Henri-IV' }).click();
  await page.getByTestId('poll-state').waitFor();
  await context.clearCookies();
  // The page's next call meets a 401 (refreshing makes one at once, unless a load still under
  // way already did and the login form is there).
  await page.getByTestId('refresh').click({ timeout: 2000 }).catch(async (error) => {
    if (!(await page.getByTestId('login-form').isVisible())) throw error;
  });
  await page.getByTestId('login-form').waitFor();
  await page.getByTestId('login-email').fill(EMAIL);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('poll-state').waitFor();
  assert.equal(new URL(page.url()).pathname, `/admin/polls/${id}`);

  assert.equal(await page.evaluate(() => window.__xss ?? null), null);
  assert.deepEqual(unexpected(errors), []);
  await context.close();
});

test('the dashboard speaks English when the browser does, and switches', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${server.base}admin/polls/nothing`);
  await page.getByTestId('login-form').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Log in');
  // Too many attempts: said in words (the server's limit is mimicked here, not exhausted).
  await page.route('**/api/v1/auth/login', (route) =>
    route.fulfill({ status: 429, contentType: 'application/problem+json', body: '{"status":429}' }),
  );
  await page.getByTestId('login-email').fill(EMAIL);
  await page.getByTestId('login-password').fill('whatever it is');
  await page.getByTestId('login-submit').click();
  assert.equal(await page.getByTestId('error').innerText(), 'Too many login attempts. Try again in a minute.');
  await page.unroute('**/api/v1/auth/login');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByTestId('switch-language').click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connexion');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  // The choice holds on the next visit, and no cookie was set for it.
  await page.reload();
  await page.getByTestId('login-form').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connexion');
  assert.deepEqual(await context.cookies(), []);
  assert.deepEqual(unexpected(errors), []);
  await context.close();
});

test('the dashboard is served under a strict policy and without CORS', async () => {
  for (const path of ['admin/', 'admin/polls/abc/edit', 'admin/concerto-dashboard.js']) {
    const res = await fetch(new URL(path, server.base), { headers: { origin: host.origin } });
    assert.equal(res.status, 200, path);
    assert.equal(
      res.headers.get('content-security-policy')?.split(';')[0],
      "default-src 'self'",
      path,
    );
    assert.match(res.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.equal(res.headers.get('access-control-allow-origin'), null, path);
  }
});
