// A resident who uses only the keyboard: Tab, Shift+Tab, arrows in radio groups, Space on
// checkboxes, typing, Enter and Space on buttons. No mouse, no `.check()` or `.click()`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, watchErrors } from '../support/browser.mjs';
import { startServer } from '../support/server.mjs';
import { startHost } from '../support/host.mjs';
import { everyKind } from '../support/polls.mjs';
import { focused, recordLiveRegion } from '../support/a11y.mjs';

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

test('a keyboard-only resident completes a consultation with every kind of question, always seeing the focus', async () => {
  const id = await server.openPoll(everyKind(host.origin));
  const context = await browser.newContext({ viewport: { width: 800, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(host.url('a11y.html', { poll: id }));
  await page.getByTestId('poll-form').waitFor();
  const said = await recordLiveRegion(page);

  /** Whether `f` has every property of `expect`. */
  const matches = (f, expect) =>
    f && Object.entries(expect).every(([k, v]) => (v instanceof RegExp ? v.test(String(f[k])) : f[k] === v));

  /**
   * Presses a key, then checks the focus is on a widget control with a visible ring. The widget
   * may move the focus a frame later (to the first faulty question), so wait up to 2 s for it.
   */
  const press = async (key, expect = {}) => {
    await page.keyboard.press(key);
    let f = await focused(page);
    for (let waited = 0; !matches(f, expect) && waited < 2000; waited += 50) {
      await page.waitForTimeout(50);
      f = await focused(page);
    }
    assert.ok(f, `after ${key}, nothing has the focus`);
    for (const [k, v] of Object.entries(expect)) {
      if (v instanceof RegExp) assert.match(String(f[k]), v, `after ${key}: ${k} of ${JSON.stringify(f)}`);
      else assert.equal(f[k], v, `after ${key}: ${k} of ${JSON.stringify(f)}`);
    }
    assert.ok(f.focusVisible, `after ${key}, the focus is not :focus-visible: ${JSON.stringify(f)}`);
    assert.ok(f.ring, `after ${key}, no focus ring is drawn: ${JSON.stringify(f)}`);
    return f;
  };

  // Tab from the page into the widget, through every question, to the submit button.
  await press('Tab', { question: 'question-frequence', type: 'radio', label: 'Souvent', checked: false });
  await press('Tab', { question: 'question-envies', label: 'Des jeux' });
  await press('Tab', { question: 'question-envies', label: 'De l’ombre' });
  await press('Tab', { question: 'question-envies', label: 'Des bancs' });
  await press('Tab', { question: 'question-note', type: 'radio', label: '1' });
  await press('Tab', { question: 'question-rue', tag: 'input' });
  await press('Tab', { question: 'question-idees', tag: 'textarea' });
  await press('Tab', { testid: 'submit' });

  // No trap: Tab leaves the widget for the page's next link, Shift+Tab comes back.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Retour en haut de page');
  await press('Shift+Tab', { testid: 'submit' });

  // Enter on the submit button with required questions unanswered: the focus goes to the
  // first faulty question, whose message is tied to its controls.
  let f = await press('Enter', { question: 'question-frequence', type: 'radio' });
  assert.equal(f.ariaInvalid, 'true');
  const message = await page.getByTestId('error-frequence').innerText();
  assert.match(message, /répondre à cette question/);
  const errorId = await page.getByTestId('error-frequence').getAttribute('id');
  assert.ok(f.describedBy.split(' ').includes(errorId), `${f.describedBy} does not name ${errorId}`);
  assert.ok(f.described.some((text) => text?.includes(message.replace(/^⚠\s*/, ''))));

  // Arrows move through the radio group and choose; the last option is "other".
  await press('ArrowDown', { label: 'Parfois', checked: true });
  await press('ArrowDown', { label: 'Jamais', checked: true });
  await press('ArrowUp', { label: 'Parfois', checked: true });
  await press('ArrowDown');
  await press('ArrowDown', { label: /Autre/, checked: true });
  await press('Tab', { question: 'question-frequence', tag: 'input', type: 'text' });
  await page.keyboard.type('Le marché du samedi');
  await page.getByTestId('error-frequence').waitFor({ state: 'detached' });

  // Space ticks checkboxes.
  await press('Tab', { question: 'question-envies', label: 'Des jeux', checked: false });
  await press('Space', { label: 'Des jeux', checked: true });
  await press('Tab', { label: 'De l’ombre' });
  await press('Space', { label: 'De l’ombre', checked: true });
  await press('Tab', { label: 'Des bancs', checked: false });

  // A rating is a radio group too.
  await press('Tab', { question: 'question-note', label: '1' });
  await press('ArrowRight', { label: '2', checked: true });
  await press('ArrowRight', { label: '3', checked: true });
  await press('ArrowRight', { label: '4', checked: true });

  await press('Tab', { question: 'question-rue' });
  await page.keyboard.type('Rue des Lilas');
  await press('Tab', { question: 'question-idees' });
  await page.keyboard.type('Des fontaines.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Et des bancs.');

  // Shift+Tab goes back, Tab forward again, then Space sends — but the network is down.
  await press('Tab', { testid: 'submit' });
  await press('Shift+Tab', { question: 'question-idees' });
  await press('Tab', { testid: 'submit' });
  const responses = `${server.base}api/v1/polls/${id}/responses`;
  await page.route(responses, (route) => route.abort('internetdisconnected'));
  await page.keyboard.press('Space');
  await page.getByTestId('waiting').waitFor();

  // The answer waits on the device; the focus moved to the notice: Tab reaches "try now",
  // Enter sends. (The network comes back only then, so no automatic retry beats the key.)
  await press('Tab', { testid: 'send-now' });
  await page.unroute(responses);
  await page.keyboard.press('Enter');
  await page.getByTestId('thanks').waitFor();
  await page.getByTestId('results').waitFor();

  const stored = await server.results(id);
  assert.equal(stored.total, 1);
  assert.match(await page.getByTestId('result-note-4').innerText(), /100\s?%/);

  // Every status change was announced, in order.
  const texts = await said();
  const expected = [/à corriger/, /Envoi de vos réponses/, /En attente de connexion/, /ont été envoyées/];
  let at = 0;
  for (const text of texts) if (at < expected.length && expected[at].test(text)) at += 1;
  assert.equal(at, expected.length, `the live region said: ${JSON.stringify(texts)}`);
  assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e)), []);
  await context.close();
});
