/** Items carry a version; their ETag is that number, quoted (a strong validator, RFC 9110 §8.8.3). */
export const etagOf = (version: number) => `"${version}"`;

/**
 * The version an If-Match header names: undefined when there is no condition (absent or `*` — the
 * item must exist anyway), 0 (matches nothing → 412) for weak, malformed or several tags.
 */
export function ifMatchVersion(header: string | undefined): number | undefined {
  const value = header?.trim();
  if (!value || value === '*') return undefined;
  const match = /^"([1-9]\d{0,9})"$/.exec(value);
  return match ? Number(match[1]) : 0;
}
