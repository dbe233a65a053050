-- Seed 003's registration (ADR 0107): the names the user typed and when they accepted the terms.
-- Written by POST /auth/register with the new account's sub; null for accounts made elsewhere
-- (the SPA before ADR 0107, admin-created users, the demo seed).
alter table users add column first_name text check (char_length(first_name) <= 100);
alter table users add column last_name text check (char_length(last_name) <= 100);
alter table users add column terms_accepted_at timestamptz;
