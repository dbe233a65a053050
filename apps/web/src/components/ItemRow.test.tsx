import type { Item, UpdateItem } from '@app/api-contract';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/problem.ts';
import { ItemRow } from './ItemRow.tsx';

const base: Item = {
  id: '6f1c1d6e-8f0a-4c43-9d1a-5b0c2f0e9a11',
  title: 'Water the plants',
  description: '',
  done: false,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  version: 1,
};

/** Holds the item like the dashboard does; `fail` makes the next save throw like the API client. */
function Harness({ fail }: { fail?: ApiError }) {
  const [item, setItem] = useState(base);
  const [deleted, setDeleted] = useState(false);
  const [saves, setSaves] = useState<UpdateItem[]>([]);
  if (deleted) return <p>deleted</p>;
  return (
    <>
      <ul>
        <ItemRow
          item={item}
          onSave={async (_id, patch) => {
            if (fail) throw fail;
            setSaves((s) => [...s, patch]);
            setItem((i) => ({ ...i, ...patch }));
          }}
          onDelete={async () => setDeleted(true)}
        />
      </ul>
      <output data-testid="saves">{JSON.stringify(saves)}</output>
    </>
  );
}

describe('ItemRow', () => {
  it('edits in place by keyboard, sends only what changed, and returns focus to Edit', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    screen.getByRole('button', { name: 'Edit Water the plants' }).focus();
    await user.keyboard('{Enter}');
    const title = screen.getByLabelText('Title');
    expect(title).toHaveFocus();
    await user.clear(title);
    await user.type(title, 'Water the ferns{Enter}');
    expect(await screen.findByText('Water the ferns')).toBeInTheDocument();
    expect(screen.getByTestId('saves')).toHaveTextContent('[{"title":"Water the ferns"}]');
    expect(screen.getByRole('button', { name: 'Edit Water the ferns' })).toHaveFocus();
  });

  it('cancels with Escape without saving', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Edit Water the plants' }));
    await user.type(screen.getByLabelText('Title'), ' twice');
    await user.keyboard('{Escape}');
    expect(screen.getByText('Water the plants')).toBeInTheDocument();
    expect(screen.getByTestId('saves')).toHaveTextContent('[]');
    expect(screen.getByRole('button', { name: 'Edit Water the plants' })).toHaveFocus();
  });

  it('shows the API problem when a save fails and keeps the form open', async () => {
    const user = userEvent.setup();
    render(<Harness fail={new ApiError(400, 'title must not be empty')} />);
    await user.click(screen.getByRole('button', { name: 'Edit Water the plants' }));
    await user.type(screen.getByLabelText('Description'), 'daily');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('title must not be empty');
    expect(screen.getByRole('button', { name: 'Save' })).toBeInTheDocument();
  });

  it('asks before deleting', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole('button', { name: 'Delete Water the plants' }));
    await user.click(screen.getByRole('button', { name: 'Keep' }));
    expect(screen.queryByText('deleted')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Delete Water the plants' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));
    expect(await screen.findByText('deleted')).toBeInTheDocument();
  });
});
