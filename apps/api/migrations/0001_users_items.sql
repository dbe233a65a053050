-- Profiles are keyed on Cognito's immutable `sub`; the rest is a cache of pool attributes.
create table users (
  sub text primary key,
  username text not null,
  email text,
  name text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now()
);

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
