import { describe, expect, it } from 'vitest';
import { describeError } from './args.ts';

describe('describeError (what the migration task prints before exiting 1)', () => {
  it('keeps the cause chain: a wrapped TLS failure names the certificate problem', () => {
    const tls = new Error('self-signed certificate in certificate chain');
    const wrapped = new Error('database unavailable', { cause: tls });
    expect(describeError(wrapped)).toBe(
      'database unavailable (caused by: self-signed certificate in certificate chain)',
    );
    expect(describeError(new Error('plain'))).toBe('plain');
    expect(describeError('text')).toBe('text');
  });
});
