import type { ICognitoStorage } from 'amazon-cognito-identity-js';

/** The Storage interface over a Map, for running the Cognito layer outside a browser. */
export class MemoryStorage implements ICognitoStorage {
  readonly data = new Map<string, string>();
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
  clear() {
    this.data.clear();
  }
}
