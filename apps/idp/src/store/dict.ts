/**
 * A string-keyed map with no prototype. Every map in the IdP's state (pools, clients, sessions, a
 * pool's users and groups, a user's attributes) is one, so a name a client chooses — `__proto__`,
 * `constructor`, `toString` — is only ever an own key: it never reads Object.prototype's members as
 * a user or group, and writing through it never changes Object.prototype (ADR 0077).
 * Kept as plain objects rather than `Map` so the state stays one JSON document (ADR 0016).
 */
export type Dict<T> = Record<string, T>;

export function dict<T>(entries?: Readonly<Record<string, T>>): Dict<T> {
  const out = Object.create(null) as Dict<T>;
  // Object.assign sets keys one by one; on a prototype-less target `__proto__` is a plain own key.
  if (entries) Object.assign(out, entries);
  return out;
}

/** True for a map made by `dict()` (or any object without a prototype). */
export const isDict = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === null;
