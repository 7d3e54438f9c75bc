// Participation codes in the widget and on the standalone page: the code is asked for above
// the questions, checked as typed, pre-filled from a letter's QR link, refused clearly when
// unknown or used, and each code stores one answer.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, watchErrors } from '../support/browser.mjs';
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

/** An open consultation asking for one answer per code, and `n` codes for it. */
async function withCodes(n) {
  const id = await server.openPoll({ ...everyKind(host.origin), participation: 'one_answer_per_code' });
  return { id, codes: await server.codes(id, n) };
}

async function answer(page) {
  await page.getByTestId('question-frequence').getByLabel('Souvent').check();
  await page.getByTestId('question-note').getByLabel('4', { exact: true }).check();
}

/** The element focused, through the widget's shadow root. */
function focusedId(page) {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return active?.id ?? null;
  });
}

test('the widget asks for the code first, says what is wrong with it, and stores one answer per code', async () => {
  const { id, codes } = await withCodes(2);
  const context = await phone(browser);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('one.html', { poll: id }));
  await page.locator('[data-concerto-mounted="true"]').waitFor();
  const code = page.getByTestId('code');
  assert.match(await code.innerText(), /Votre code de participation/);
  let { violations } = await axeWidget(page);
  assert.equal(violations.length, 0, describeViolations(violations));

  // Sent without a code: nothing leaves, the box says why and takes the focus.
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('code-error').waitFor();
  assert.match(await page.getByTestId('code-error').innerText(), /Saisissez le code/);
  assert.equal(await focusedId(page), 'cc-code');
  // A typo the check character catches, told as such before any request.
  const last = codes[0].at(-1);
  await code.getByRole('textbox').fill(codes[0].slice(0, -1) + (last === '3' ? '4' : '3'));
  await page.getByTestId('submit').click();
  await page.getByText('Ce code comporte une faute de frappe').waitFor();
  ({ violations } = await axeWidget(page));
  assert.equal(violations.length, 0, describeViolations(violations));
  assert.equal((await server.results(id)).total, 0);

  // The second code, used meanwhile from another device: the server says so, the form stays.
  const other = await fetch(`${server.base}api/v1/polls/${id}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ submission_id: crypto.randomUUID(), answers: { frequence: { option: 'parfois' }, note: { rating: 2 } }, code: codes[1] }),
  });
  assert.equal(other.status, 201);
  await code.getByRole('textbox').fill(codes[1].toLowerCase());
  await page.getByTestId('submit').click();
  await page.getByText('Ce code a déjà servi').waitFor();
  assert.equal(await page.getByTestId('poll-form').isVisible(), true);

  // Its own code, typed without the dash: stored.
  await code.getByRole('textbox').fill(codes[0].replace('-', ''));
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  assert.equal((await server.results(id)).total, 2);
  // The browser logs the refused code's 409 itself; nothing else went wrong.
  assert.deepEqual(errors.filter((e) => !/status of 409/.test(e)), []);
  await context.close();
});

test('a letter\'s link fills the code in on the standalone page, with and without JavaScript', async () => {
  const { id, codes } = await withCodes(2);
  // With JavaScript: the widget takes the server's form over, the code with it.
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(`${server.base}p/${id}?code=${codes[0]}`);
  await page.locator('[data-concerto-mounted="true"]').waitFor();
  assert.equal(await page.getByTestId('code').getByRole('textbox').inputValue(), codes[0]);
  await answer(page);
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  await context.close();

  // Without: the plain form posts the code; the same code again is refused beside its box.
  const plain = await phone(browser, { javaScriptEnabled: false });
  const first = await plain.newPage();
  await first.goto(`${server.base}p/${id}?code=${codes[1]}`);
  await answer(first);
  await first.getByTestId('submit').click();
  await first.getByTestId('thanks').waitFor();
  const again = await plain.newPage();
  await again.goto(`${server.base}p/${id}?code=${codes[1]}`);
  await answer(again);
  await again.getByTestId('submit').click();
  await again.getByTestId('code-error').waitFor();
  assert.match(await again.getByTestId('code-error').innerText(), /déjà servi/);
  assert.equal(await again.getByTestId('code').getByRole('textbox').inputValue(), codes[1]);
  assert.equal(await again.getByTestId('question-note').getByLabel('4', { exact: true }).isChecked(), true);
  await plain.close();
  assert.equal((await server.results(id)).total, 2);
});
