// Accessibility checks of one embedded widget: axe-core on the widget only, and helpers the
// keyboard and layout tests share.

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
