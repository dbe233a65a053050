-- The user's plan, read by the PreTokenGeneration trigger into the access token's `plan` claim
-- (ADR 0122), so the API can decide by plan without a database read per request.
alter table users add column plan text not null default 'free' check (plan in ('free', 'pro'));
