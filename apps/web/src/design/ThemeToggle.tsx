import { useState } from 'react';
import { currentTheme, setTheme, type Theme } from './theme.ts';

/** A two-state button in the header: pressed means the dark theme. */
export function ThemeToggle() {
  const [theme, set] = useState<Theme>(currentTheme);
  const dark = theme === 'dark';
  return (
    <button
      type="button"
      className="icon-button theme-toggle"
      aria-pressed={dark}
      aria-label="Dark theme"
      title={dark ? 'Dark theme (on)' : 'Dark theme (off)'}
      onClick={() => {
        const next: Theme = dark ? 'light' : 'dark';
        setTheme(next);
        set(next);
      }}
    >
      <span aria-hidden="true">{dark ? '☾' : '☀'}</span>
    </button>
  );
}
