-- Profiles are keyed on Cognito's immutable `sub`; the rest is a cache of pool attributes.
create table users (
  sub text primary key,
  username text not null,
  email text,
  name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  -- When email/name were last copied from the identity provider; null = never (row made from a token).
  synced_at timestamptz
);

-- The refresh endpoint maps an e-mail to the pool's internal username (sub) for SECRET_HASH.
create index users_email_idx on users (lower(email));

create table items (
  id uuid primary key,
  owner_sub text not null references users (sub) on delete cascade,
  title text not null check (char_length(title) between 1 and 200),
  description text not null default '' check (char_length(description) <= 2000),
  done boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Every item query is "the caller's items, newest first".
create index items_owner_created_idx on items (owner_sub, created_at desc, id desc);
