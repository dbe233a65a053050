import { describe, expect, it } from 'vitest';
import { etagOf, ifMatchVersion } from './etag.ts';

describe('If-Match for item versions', () => {
  it('reads the version of a strong tag the API handed out', () => {
    expect(ifMatchVersion(etagOf(7))).toBe(7);
    expect(ifMatchVersion(' "12" ')).toBe(12);
  });
  it('has no condition without the header or with *', () => {
    expect(ifMatchVersion(undefined)).toBeUndefined();
    expect(ifMatchVersion('*')).toBeUndefined();
  });
  it.each(['W/"3"', '3', '"0"', '"abc"', '"1", "2"', '"99999999999"'])('never matches %s', (tag) => {
    expect(ifMatchVersion(tag)).toBe(0);
  });
});
