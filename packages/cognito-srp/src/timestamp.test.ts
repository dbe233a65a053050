import { afterEach, describe, expect, it, vi } from 'vitest';
import { SrpInputError } from './errors.ts';
import { DateHelper } from './test-support/library.ts';
import { formatTimestamp, parseTimestamp } from './timestamp.ts';

afterEach(() => {
  vi.useRealTimers();
});

const libraryNow = (date: Date) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(date);
  return new DateHelper().getNowString();
};

describe('formatTimestamp', () => {
  it.each([
    '2026-11-03T04:05:06Z',
    '2026-02-01T00:00:00Z',
    '2024-02-29T09:09:09Z',
    '2026-12-31T23:59:59Z',
    '2027-07-10T12:30:45Z',
  ])('matches the library’s DateHelper for %s', (iso) => {
    const date = new Date(iso);
    expect(formatTimestamp(date)).toBe(libraryNow(date));
  });

  it('does not zero-pad the day of month', () => {
    expect(formatTimestamp(new Date('2026-11-03T04:05:06Z'))).toBe('Tue Nov 3 04:05:06 UTC 2026');
  });

  it('refuses an invalid date', () => {
    expect(() => formatTimestamp(new Date('nope'))).toThrow(SrpInputError);
  });
});

describe('parseTimestamp', () => {
  it('reads back what the library writes, padded day too', () => {
    const date = new Date('2026-11-03T04:05:06Z');
    expect(parseTimestamp(libraryNow(date)).getTime()).toBe(date.getTime());
    expect(parseTimestamp('Tue Nov 03 04:05:06 UTC 2026').getTime()).toBe(date.getTime());
  });

  it.each([
    'Tue Nov 3 04:05:06 GMT 2026',
    'Wed Nov 3 04:05:06 UTC 2026',
    'Tue Nov 31 04:05:06 UTC 2026',
    'Tue Foo 3 04:05:06 UTC 2026',
    '2026-11-03T04:05:06Z',
    '',
  ])('refuses %j', (text) => {
    expect(() => parseTimestamp(text)).toThrow(SrpInputError);
  });
});
