-- Who did what to which account, and when (ADR 0150, 0152): admin actions and account deletions.
-- The actor is kept by sub only (their e-mail is read from `users` when listed, so it goes with their
-- row); the target's e-mail as it was, cleared when that account is deleted (ADR 0150).
create table audit_events (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_sub text not null,
  action text not null,
  target_sub text,
  target_email text,
  detail jsonb not null default '{}'::jsonb
);

-- The audit page reads newest first by id (the primary key); deletion anonymises by target.
create index audit_events_target_idx on audit_events (target_sub);
