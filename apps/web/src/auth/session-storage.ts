import type { ICognitoStorage } from 'amazon-cognito-identity-js';

const PREFIX = 'CognitoIdentityServiceProvider.';

/**
 * The Cognito library's token storage, split by "Keep me signed in" (ADR 0132): on, the tokens live
 * in localStorage (every tab, survives a restart); off, in this tab's sessionStorage (gone when the
 * tab closes). Reads look in the tab first. Choosing clears the library's keys from the other store,
 * so one sign-in never leaves a second copy of tokens behind.
 */
export class TabOrDeviceStorage implements ICognitoStorage {
  constructor(
    private readonly device: Storage,
    private readonly tab: Storage,
  ) {}

  /** The browser's two stores; null outside a browser (Node tests pass their own storage). */
  static inBrowser(): TabOrDeviceStorage | null {
    try {
      return typeof localStorage === 'undefined' || typeof sessionStorage === 'undefined'
        ? null
        : new TabOrDeviceStorage(localStorage, sessionStorage);
    } catch {
      return null; // storage blocked: the library falls back to memory
    }
  }

  /** True unless this tab holds the session (the last sign-in said "don't keep me signed in"). */
  get persistent(): boolean {
    return !keysOf(this.tab).length;
  }

  choose(keepSignedIn: boolean): void {
    for (const key of keysOf(keepSignedIn ? this.tab : this.device))
      (keepSignedIn ? this.tab : this.device).removeItem(key);
    this.target = keepSignedIn ? this.device : this.tab;
  }

  private target: Storage | null = null;
  private where(): Storage {
    return this.target ?? (this.persistent ? this.device : this.tab);
  }

  setItem(key: string, value: string): void {
    this.where().setItem(key, value);
  }
  getItem(key: string): string | null {
    return this.tab.getItem(key) ?? this.device.getItem(key);
  }
  removeItem(key: string): void {
    this.tab.removeItem(key);
    this.device.removeItem(key);
  }
  clear(): void {
    for (const store of [this.tab, this.device]) for (const key of keysOf(store)) store.removeItem(key);
  }
}

function keysOf(store: Storage): string[] {
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(PREFIX)) keys.push(key);
  }
  return keys;
}
