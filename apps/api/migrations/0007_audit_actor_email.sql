-- The actor's address as it was when they acted (ADR 0152): an admin who never used the API has no
-- `users` row to read it from. Cleared, like target_email, when that account is deleted (ADR 0150).
alter table audit_events add column actor_email text;
