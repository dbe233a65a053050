import { describe, expect, it } from 'vitest';
import { TabOrDeviceStorage } from './session-storage.ts';

const K = 'CognitoIdentityServiceProvider.client.user.refreshToken';

function stores() {
  localStorage.clear();
  sessionStorage.clear();
  return new TabOrDeviceStorage(localStorage, sessionStorage);
}

describe('"Keep me signed in" storage (ADR 0132)', () => {
  it('keeps tokens in localStorage when kept, in the tab when not, and never in both', () => {
    const s = stores();
    s.choose(true);
    s.setItem(K, 'device');
    expect(localStorage.getItem(K)).toBe('device');
    expect(s.persistent).toBe(true);

    s.choose(false);
    expect(localStorage.getItem(K)).toBeNull();
    s.setItem(K, 'tab');
    expect([sessionStorage.getItem(K), localStorage.getItem(K)]).toEqual(['tab', null]);
    expect(s.getItem(K)).toBe('tab');
    expect(s.persistent).toBe(false);

    s.choose(true);
    expect(sessionStorage.getItem(K)).toBeNull();
  });

  it('after a reload, refreshed tokens go back where the session lives', () => {
    const first = stores();
    first.choose(false);
    first.setItem(K, 'tab');
    const reloaded = new TabOrDeviceStorage(localStorage, sessionStorage);
    reloaded.setItem(K, 'renewed');
    expect([sessionStorage.getItem(K), localStorage.getItem(K)]).toEqual(['renewed', null]);
  });

  it('clear() removes only the library keys, from both stores', () => {
    const s = stores();
    localStorage.setItem('app.theme', 'dark');
    s.choose(false);
    s.setItem(K, 'tab');
    s.clear();
    expect([sessionStorage.getItem(K), localStorage.getItem('app.theme')]).toEqual([null, 'dark']);
  });
});
