// Organisers may write a consultation in French and English: each resident reads the
// version of their language, and the other one where a text was given in one language only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, phone, watchErrors } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';

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

/** A consultation written in both languages, but for an option label and a rating end given in French only. */
function bilingual(origin) {
  return {
    title: { fr: 'Le marché du samedi', en: 'The Saturday market' },
    description: { fr: 'Aidez-nous à choisir.', en: 'Help us choose.' },
    allowed_origins: [origin],
    results_visibility: 'after_answering',
    questions: [
      {
        id: 'lieu', prompt: { fr: 'Où le tenir ?', en: 'Where should it be?' }, required: true,
        kind: 'single_choice',
        options: [
          { id: 'place', label: { fr: 'Sur la place', en: 'On the square' } },
          { id: 'quai', label: { fr: 'Le long du quai' } },
        ],
      },
      {
        id: 'note', prompt: { fr: 'Votre avis', en: 'Your opinion' }, required: true, kind: 'rating',
        min: 1, max: 5, min_label: { fr: 'Mauvais' }, max_label: { fr: 'Excellent', en: 'Excellent!' },
      },
      { id: 'mot', prompt: { fr: 'Un mot ?', en: 'A word?' }, kind: 'short_text', max_length: 40 },
    ],
  };
}

/** The texts of the widget a resident sees. */
async function shown(page) {
  const w = page.getByTestId('concerto-widget');
  return {
    name: await w.getAttribute('aria-label'),
    title: await page.getByRole('heading', { level: 2 }).innerText(),
    text: await w.innerText(),
    textbox: await page.getByTestId('question-mot').getByRole('textbox').getAttribute('id'),
  };
}

test('an English placeholder shows the English texts and a French one the French texts', async () => {
  const id = await server.openPoll(bilingual(host.origin));
  const context = await phone(browser);

  const en = await context.newPage();
  const errors = watchErrors(en);
  await en.goto(host.url('a11y-en.html', { poll: id }));
  await en.getByTestId('poll-form').waitFor();
  const e = await shown(en);
  assert.equal(e.title, 'The Saturday market');
  assert.equal(e.name, 'The Saturday market');
  for (const text of ['Help us choose.', 'Where should it be?', 'On the square', 'Your opinion', 'Excellent!', 'A word?']) {
    assert.ok(e.text.includes(text), `English widget lacks "${text}":\n${e.text}`);
  }
  // Given in French only, the label falls back to French, marked as French for screen readers.
  assert.ok(e.text.includes('Le long du quai'));
  const marked = await en.getByTestId('question-lieu').locator('[lang]').evaluateAll((els) =>
    els.map((el) => [el.getAttribute('lang'), el.textContent.trim()]),
  );
  assert.deepEqual(marked, [['fr', 'Le long du quai']]);
  for (const text of ['Aidez-nous', 'Sur la place', 'Votre avis', 'Un mot']) {
    assert.ok(!e.text.includes(text), `English widget shows "${text}"`);
  }
  // The text box is labelled with the English prompt, the rating hint speaks English ends.
  assert.equal(await en.getByTestId('question-mot').getByRole('textbox', { name: 'A word?' }).count(), 1);
  // The rating's spoken hint is English, but for its French-only end label, marked as French.
  const hint = en.getByTestId('question-note').locator('p.cc-visually-hidden');
  assert.match(await hint.innerText(), /From 1 \(Mauvais\) to 5 \(Excellent!\)/);
  assert.deepEqual(await hint.locator('[lang]').evaluateAll((els) => els.map((el) => [el.lang, el.textContent])), [
    ['fr', 'Mauvais'],
  ]);

  // The results, after answering, use the English labels too.
  await en.getByTestId('question-lieu').getByLabel('On the square').check();
  await en.getByTestId('question-note').getByLabel('5', { exact: true }).check();
  await en.getByTestId('submit').click();
  await en.getByTestId('results').waitFor();
  const results = await en.getByTestId('results').innerText();
  assert.match(results, /Where should it be\?/);
  assert.match(results, /On the square/);
  assert.match(results, /5 \(Excellent!\)/);
  assert.equal(await en.getByTestId('result-note-1').locator('[lang="fr"]').innerText(), '1 (Mauvais)');
  assert.deepEqual(errors, []);

  // Another device: this one answered, so it would show the thanks instead of the form.
  const other = await phone(browser);
  const fr = await other.newPage();
  await fr.goto(host.url('a11y.html', { poll: id }));
  await fr.getByTestId('poll-form').waitFor();
  const f = await shown(fr);
  assert.equal(f.title, 'Le marché du samedi');
  // Every text is in the widget's language: nothing needs marking.
  assert.equal(await fr.getByTestId('poll-form').locator('[lang]').count(), 0);
  assert.equal(f.name, 'Le marché du samedi');
  for (const text of ['Aidez-nous à choisir.', 'Où le tenir ?', 'Sur la place', 'Le long du quai', 'Votre avis', 'Mauvais', 'Excellent', 'Un mot ?']) {
    assert.ok(f.text.includes(text), `French widget lacks "${text}":\n${f.text}`);
  }
  for (const text of ['Help us', 'On the square', 'Your opinion', 'Poor', 'A word']) {
    assert.ok(!f.text.includes(text), `French widget shows "${text}"`);
  }
  await other.close();
  await context.close();
});

test('the export names the columns with the French prompts of a bilingual consultation', async () => {
  const id = await server.openPoll(bilingual(host.origin));
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(host.url('a11y-en.html', { poll: id }));
  await page.getByTestId('question-lieu').getByLabel('Le long du quai').check();
  await page.getByTestId('question-note').getByLabel('2', { exact: true }).check();
  await page.getByTestId('submit').click();
  await page.getByTestId('thanks').waitFor();
  const [header, row] = (await server.exportCsv(id)).trim().split('\r\n');
  assert.match(header, /Où le tenir \?,Votre avis,Un mot \?/);
  assert.match(row, /Le long du quai,2,/);
  await context.close();
});
