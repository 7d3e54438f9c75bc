// Participation codes in the dashboard: the organiser asks for a code per answer in the
// editor, makes codes on the consultation's page, and gets a sheet of slips (title, code, the
// link that fills it in and its QR code) that prints alone, without the dashboard around it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { signIn } from '../support/organiser.mjs';
import { everyKind } from '../support/polls.mjs';
import { assertPageAccessible } from '../support/a11y.mjs';

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

/** `route` of the organiser's API, with the test organisation's token. */
async function api(method, route, body) {
  const res = await fetch(new URL(route, server.base), {
    method,
    headers: { authorization: `Bearer ${server.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(res.ok, `${method} ${route}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

test('codes asked for in the editor, made on the page, printed as a sheet of slips with their links and QR codes', async () => {
  const draft = await api('POST', 'api/v1/org/polls', everyKind('https://www.riverains.example', 'Le marché du samedi'));
  const id = draft.id;
  const { context, page, errors } = await signIn(browser, server);

  // The editor: the setting, its explanation, saved through the usual save.
  await page.goto(`${server.base}admin/polls/${id}/edit`);
  const setting = page.getByTestId('one-per-code');
  await setting.waitFor();
  assert.equal(await setting.isChecked(), false);
  assert.equal(await page.getByLabel('Une réponse par code de participation').count(), 1);
  const hint = await page.locator('#cc-admin-one-per-code-hint').innerText();
  assert.match(hint, /anonymes/);
  await setting.check();
  await page.getByTestId('save').click();
  await page.getByTestId('poll-state').waitFor();
  const saved = await api('GET', `api/v1/org/polls/${id}`);
  assert.equal(saved.spec.participation, 'one_answer_per_code');

  // The section, with the counts read from the server.
  const section = page.getByTestId('codes');
  await section.getByRole('heading', { name: 'Codes de participation' }).waitFor();
  await section.getByTestId('codes-counts').getByText('Aucun code pour l’instant.').waitFor();

  // Too many at once: the server's refusal, said in words.
  await page.getByTestId('codes-count').fill('6000');
  await page.getByTestId('make-codes').click();
  await section.getByTestId('error').getByText('Indiquez un nombre de codes entre 1 et 5000.').waitFor();
  assert.equal(await page.getByTestId('codes-count').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('slip').count(), 0);

  // Six: the request is held until the pending state has been seen.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(`**/api/v1/org/polls/${id}/codes`, async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  await page.getByTestId('codes-count').fill('6');
  await page.getByTestId('make-codes').click();
  await page.getByTestId('codes-pending').waitFor();
  assert.equal(await page.getByTestId('make-codes').isDisabled(), true);
  assert.equal(await page.getByTestId('make-codes').innerText(), 'Création des codes…');
  assert.equal(await section.getAttribute('aria-busy'), 'true');
  release();
  await page.getByTestId('codes-sheet').waitFor();
  await page.getByTestId('codes-pending').waitFor({ state: 'hidden' });
  assert.equal(await section.getByTestId('error').count(), 0, 'the earlier refusal is gone');

  assert.match(await page.getByTestId('codes-warning').innerText(), /affichés qu’une seule fois/);
  await section.getByTestId('codes-counts').getByText('0 code utilisé sur 6').waitFor();

  // Six slips, each with the title, its own code, the link that fills it in, and that link's
  // QR code, loaded with the organiser's session.
  const slips = page.getByTestId('slip');
  assert.equal(await slips.count(), 6);
  const codes = new Set();
  for (let i = 0; i < 6; i++) {
    const slip = slips.nth(i);
    const code = await slip.getByTestId('slip-code').innerText();
    assert.match(code, /^[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    codes.add(code);
    assert.match(await slip.innerText(), /Le marché du samedi/);
    assert.equal(await slip.getByTestId('slip-link').innerText(), `${saved.standalone_url}?code=${code}`);
    const qr = slip.getByTestId('slip-qr');
    assert.equal(await qr.getAttribute('src'), `/api/v1/org/polls/${id}/qr.svg?code=${code}`);
    await qr.evaluate((img) => (img.complete ? null : new Promise((r) => img.addEventListener('load', r, { once: true }))));
    assert.ok(await qr.evaluate((img) => img.naturalWidth > 0), `the QR code of ${code} loaded`);
    assert.ok(await qr.getAttribute('alt'));
  }
  assert.equal(codes.size, 6, 'six different codes');
  // Each slip's image is its own link's code, not the plain link's.
  const images = await page.evaluate(async (srcs) => Promise.all(srcs.map(async (src) => (await fetch(src)).text())),
    [`/api/v1/org/polls/${id}/qr.svg`, ...[...codes].map((c) => `/api/v1/org/polls/${id}/qr.svg?code=${c}`)]);
  assert.equal(new Set(images).size, 7, 'seven different QR codes');
  assert.ok(images.every((svg) => svg.startsWith('<?xml')), 'SVG documents');

  // Printed: the sheet alone, slips kept whole, no dashboard around it.
  await page.emulateMedia({ media: 'print' });
  const shown = (selector) => page.locator(selector).first().isVisible();
  for (const hidden of ['.cc-admin-header', '[data-testid="poll-title"]', '[data-testid="make-codes"]',
    '[data-testid="codes-counts"]', '[data-testid="codes-warning"]', '[data-testid="print-codes"]',
    '#cc-admin-results-title', '#cc-admin-share-title']) {
    assert.equal(await shown(hidden), false, `${hidden} is printed`);
  }
  for (let i = 0; i < 6; i++) assert.equal(await slips.nth(i).isVisible(), true, `slip ${i} is printed`);
  const style = await slips.first().evaluate((el) => {
    const s = getComputedStyle(el);
    return { border: s.borderTopStyle, breakInside: s.breakInside, color: s.color, background: s.backgroundColor };
  });
  assert.deepEqual(style, { border: 'dashed', breakInside: 'avoid', color: 'rgb(0, 0, 0)', background: 'rgb(255, 255, 255)' });
  const columns = await page.locator('.cc-admin-slips').evaluate((el) => getComputedStyle(el).gridTemplateColumns.split(' ').length);
  assert.equal(columns, 2, 'two slips a row');
  await page.emulateMedia({ media: 'screen' });

  await assertPageAccessible(page, 'the codes section and its sheet', errors);

  // In English, the counts say it the English way.
  await page.getByTestId('switch-language').click();
  await section.getByRole('heading', { name: 'Participation codes' }).waitFor();
  await section.getByTestId('codes-counts').getByText('0 of 6 codes used').waitFor();
  assert.equal(await page.getByTestId('print-codes').innerText(), 'Print');

  // Opening it reads the consultation again: the codes not yet printed stay on the page.
  await page.getByTestId('open').click();
  await page.getByTestId('close').waitFor();
  assert.equal(await page.getByTestId('slip').count(), 6);

  // The codes are the server's: one lets a resident answer, and the counts say it was used.
  const res = await fetch(new URL(`api/v1/polls/${id}/responses`, server.base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ submission_id: crypto.randomUUID(), answers: { frequence: { option: 'parfois' }, note: { rating: 2 } }, code: [...codes][0] }),
  });
  assert.equal(res.status, 201, await res.text());

  // Shown only once: read again, the page has the counts but no codes.
  await page.reload();
  await section.getByTestId('codes-counts').getByText('1 of 6 codes used').waitFor();
  assert.equal(await page.getByTestId('slip').count(), 0);

  assert.deepEqual(errors.filter((e) => !/status of (401|422)/.test(e)), []);
  await context.close();
});
