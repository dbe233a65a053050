-- Files of an item (ADR 0170); the bytes are in S3 under object_key. No foreign key to items: an
-- item's delete removes these rows itself after removing their objects (a cascade would lose the keys).
create table attachments (
  id text primary key,
  owner_sub text not null references users (sub) on delete cascade,
  item_id uuid not null,
  name text not null check (char_length(name) between 1 and 200),
  content_type text not null,
  size bigint not null check (size > 0),
  object_key text not null,
  created_at timestamptz not null default now()
);

create index attachments_owner_item_idx on attachments (owner_sub, item_id, created_at);
