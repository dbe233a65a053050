import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ThemeToggle } from './ThemeToggle.tsx';
import { TOAST_MS, ToastProvider } from './ToastProvider.tsx';
import { applyStoredTheme } from './theme.ts';
import { useToast } from './toast-context.ts';

afterEach(() => {
  delete document.documentElement.dataset.theme;
  vi.useRealTimers();
});

describe('theme toggle', () => {
  it('switches to dark, remembers it, and the next visit starts dark', async () => {
    const user = userEvent.setup();
    const { unmount } = render(<ThemeToggle />);
    const toggle = screen.getByRole('button', { name: 'Dark theme' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    unmount();
    delete document.documentElement.dataset.theme;
    applyStoredTheme();
    expect(document.documentElement.dataset.theme).toBe('dark');
    render(<ThemeToggle />);
    expect(screen.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('follows the system until the user picks', () => {
    applyStoredTheme();
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});

function Shout({ message }: { message: string }) {
  const toast = useToast();
  return (
    <button type="button" onClick={() => toast.show(message)}>
      Do it
    </button>
  );
}

describe('toasts', () => {
  it('announces a result in a status region, then dismisses it after a while', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    render(
      <ToastProvider>
        <Shout message="Name saved" />
      </ToastProvider>,
    );
    await user.click(screen.getByRole('button', { name: 'Do it' }));
    expect(screen.getByRole('status')).toHaveTextContent('Name saved');
    act(() => vi.advanceTimersByTime(TOAST_MS + 10));
    expect(screen.getByRole('status')).not.toHaveTextContent('Name saved');
  });

  it('can be dismissed by hand, and keeps at most three', async () => {
    const user = userEvent.setup();
    render(
      <ToastProvider>
        <Shout message="Saved" />
      </ToastProvider>,
    );
    for (let i = 0; i < 5; i++) await user.click(screen.getByRole('button', { name: 'Do it' }));
    expect(screen.getAllByRole('button', { name: 'Dismiss “Saved”' })).toHaveLength(3);
    await user.click(screen.getAllByRole('button', { name: 'Dismiss “Saved”' })[0]!);
    expect(screen.getAllByRole('button', { name: 'Dismiss “Saved”' })).toHaveLength(2);
  });
});
