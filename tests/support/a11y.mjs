// Accessibility checks of one embedded widget: axe-core on the widget only, and helpers the
// keyboard and layout tests share.

import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';

/** The WCAG 2.1 A and AA rules, as RGAA 4.1 requires. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * Runs axe on the widget (its placeholder and open shadow root) and returns the results.
 * Throws if axe did not look inside the shadow root, so a test cannot pass by checking nothing.
 */
export async function axeWidget(page) {
  const results = await new AxeBuilder({ page }).include('[data-concerto-poll]').withTags(WCAG_TAGS).analyze();
  // A node inside a shadow root is named by a path: [host selector, selector inside].
  const inShadow = [...results.passes, ...results.violations, ...results.incomplete].some((rule) =>
    rule.nodes.some((n) => Array.isArray(n.target[0]) && n.target[0].length > 1),
  );
  if (!inShadow) throw new Error('axe checked nothing inside the widget\'s shadow root');
  return results;
}

/**
 * Asserts that axe (WCAG 2.1 A and AA) finds nothing on the whole dashboard page. axe's own
 * probes set inline styles, which the page's CSP refuses: those reports, made while axe runs,
 * are dropped from `errors`.
 */
export async function assertPageAccessible(page, what, errors) {
  const before = errors.length;
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const during = errors.splice(before);
  errors.push(...during.filter((e) => !/Applying inline style violates/.test(e)));
  assert.deepEqual(results.violations, [], `${what}:\n${describeViolations(results.violations)}`);
}

/** A readable summary of axe violations, for assertion messages. */
export function describeViolations(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `  ${JSON.stringify(n.target)}\n    ${n.failureSummary?.replaceAll('\n', '\n    ')}`).join('\n'),
    )
    .join('\n');
}

/**
 * What has the keyboard focus, looking through the widget's shadow root: the control, its
 * question, its ARIA state, the texts it is described by, and whether a focus ring is drawn
 * (on the control itself, or on the box of a visually hidden control such as a rating value).
 */
export function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return null;
    const root = el.getRootNode();
    const ring = (node) => {
      const s = getComputedStyle(node);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      const shadow = s.boxShadow !== 'none' && s.boxShadow !== '';
      return (outline || shadow) && parseFloat(s.opacity) > 0;
    };
    const box = el.closest('label') ?? el;
    const described = (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => root.getElementById(id)?.textContent ?? null);
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type'),
      testid: el.dataset.testid ?? null,
      label: (el.labels?.[0]?.textContent ?? el.textContent ?? '').trim(),
      checked: el.checked ?? null,
      question: el.closest('fieldset')?.dataset.testid ?? null,
      focusVisible: el.matches(':focus-visible'),
      ring: ring(el) || (box !== el && ring(box)),
      ariaInvalid: el.getAttribute('aria-invalid'),
      describedBy: el.getAttribute('aria-describedby'),
      described,
    };
  });
}

/**
 * Records every text the widget's live region (`role="status"`) takes from now on; returns a
 * function that reads the record.
 */
export async function recordLiveRegion(page) {
  await page.evaluate(() => {
    const root = document.querySelector('[data-concerto-poll]').shadowRoot;
    const region = root.querySelector('[role="status"]');
    window.__concertoSaid = [];
    const note = () => {
      const text = region.textContent.trim();
      if (text && window.__concertoSaid.at(-1) !== text) window.__concertoSaid.push(text);
    };
    new MutationObserver(note).observe(region, { childList: true, subtree: true, characterData: true });
  });
  return () => page.evaluate(() => window.__concertoSaid);
}
