/**
 * Light or dark: the system's choice (prefers-color-scheme) until the user picks one with the header
 * toggle; the pick is remembered in localStorage and set as <html data-theme>, which styles.css reads.
 */
export type Theme = 'light' | 'dark';
const KEY = 'app.theme';

function stored(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null; // storage blocked: follow the system
  }
}

export function currentTheme(): Theme {
  const picked = stored();
  if (picked) return picked;
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

/** Applies the remembered choice (if any) before the first render, so the page does not flash. */
export function applyStoredTheme(): void {
  const picked = stored();
  if (picked) document.documentElement.dataset.theme = picked;
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Not remembered, but applied for this visit.
  }
}
