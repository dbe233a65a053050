/**
 * The decision records a newcomer reads (docs/decisions): each has its number as title, a status and
 * a date; a superseded one links the record that replaced it; the index lists every record once.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'decisions');
const records = readdirSync(dir)
  .filter((f) => /^\d{4}-.+\.md$/.test(f))
  .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
const index = readFileSync(join(dir, 'README.md'), 'utf8');

describe('decision records', () => {
  it('exist', () => {
    expect(records.length).toBeGreaterThan(50);
  });

  it.each(records.map((r) => [r.file, r.text] as const))('%s has a title, status and date', (file, text) => {
    const number = file.slice(0, 4);
    expect(text.split('\n')[0]).toMatch(new RegExp(`^# ${number} — \\S`));
    expect(text).toMatch(/^- Status: (accepted|superseded|proposed)/m);
    expect(text).toMatch(/^- Date: \d{4}-\d{2}-\d{2}$/m);
  });

  it.each(records.map((r) => [r.file, r.text] as const))(
    '%s names what superseded it, with a link',
    (_, text) => {
      const status = /^- Status: (.*)$/m.exec(text)![1]!;
      if (!status.startsWith('superseded')) return;
      const links = [...status.matchAll(/\]\((\d{4}-[^)]+\.md)\)/g)].map((m) => m[1]!);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(existsSync(join(dir, link))).toBe(true);
    },
  );

  it('numbers are unique and the index lists every record once', () => {
    const numbers = records.map((r) => r.file.slice(0, 4));
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const { file } of records) {
      expect(index.split(`](${file})`).length - 1, file).toBe(1);
    }
  });
});
