/**
 * Accessibility check of the page as the browser renders it, with axe-core (WCAG 2.1 A/AA rules).
 * Serious and critical findings fail the test; the rest are returned for the report.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface A11yFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export async function axeFindings(page: Page): Promise<A11yFinding[]> {
  // Evaluated by the test harness, not added as a <script>: the SPA's CSP (script-src 'self') would
  // refuse an inline script, as it should.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as {
      violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** The serious and critical findings at phone and desktop width (an empty list is a pass). */
export async function seriousA11yFindings(page: Page): Promise<A11yFinding[]> {
  const found: A11yFinding[] = [];
  const original = page.viewportSize();
  for (const size of [
    { width: 375, height: 812 },
    { width: 1280, height: 800 },
  ]) {
    await page.setViewportSize(size);
    for (const f of await axeFindings(page)) {
      if ((f.impact === 'serious' || f.impact === 'critical') && !found.some((x) => x.id === f.id))
        found.push(f);
    }
  }
  if (original) await page.setViewportSize(original);
  return found;
}
