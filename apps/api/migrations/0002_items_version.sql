-- Optimistic concurrency (ADR 0091): every change bumps the version; a write that names an older
-- version (If-Match) changes nothing and answers 412.
alter table items add column version integer not null default 1 check (version >= 1);
