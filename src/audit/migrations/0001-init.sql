-- Wardguard audit store, version 1. Runs unchanged on Postgres (15+) and PGlite.
--
-- moderation_event is the append-only trail: corrections are new events, never edits, and the
-- database itself refuses UPDATE, DELETE and TRUNCATE. Each event carries prev_hash and hash
-- (computed by the application, see src/audit/chain.ts); audit_chain_head holds the newest link.
-- subject_status is derived from the events (one row per comment). comment_snapshot is the only
-- place comment text lives, so retention can purge it without touching the trail.

create table audit_chain_head (
  id            smallint primary key default 1 check (id = 1),
  last_event_id bigint not null,
  last_hash     text   not null
);
insert into audit_chain_head (id, last_event_id, last_hash) values (1, 0, repeat('0', 64));

create table moderation_event (
  -- @NOTE not an identity: the id is taken from audit_chain_head under its row lock, so ids are
  -- gapless, in chain order, and known before the insert (the hash covers them).
  id          bigint primary key check (id > 0),
  type        text   not null,
  subject_key text   not null,
  platform    text   not null,
  comment_id  text,
  post_id     text,
  author_id   text,
  account_id  text,
  actor_kind  text   not null check (actor_kind in ('system', 'policy', 'moderator', 'platform')),
  actor_id    text   not null,
  tool        jsonb,
  rule_ids    text[] not null default '{}',
  categories  text[] not null default '{}',
  reason      text,
  meta        jsonb  not null default '{}', -- never comment text
  caused_by   bigint references moderation_event (id) check (caused_by < id),
  dedupe_key  text   not null unique,
  created_at  timestamptz not null,
  prev_hash   text   not null,
  hash        text   not null
);
create index moderation_event_subject_idx on moderation_event (subject_key, id);
create index moderation_event_type_time_idx on moderation_event (type, created_at desc, id desc);
create index moderation_event_time_idx on moderation_event (created_at desc, id desc);
create index moderation_event_account_time_idx
  on moderation_event (account_id, created_at desc, id desc);
create index moderation_event_caused_by_idx on moderation_event (caused_by)
  where caused_by is not null;

create function audit_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused', tg_table_name, tg_op
    using errcode = 'insufficient_privilege';
end
$$;

create trigger moderation_event_append_only
  before update or delete on moderation_event
  for each row execute function audit_refuse_change();
create trigger moderation_event_no_truncate
  before truncate on moderation_event
  for each statement execute function audit_refuse_change();

-- Every inserted event must extend the chain head by exactly one link; the head moves with it.
create function audit_extend_chain() returns trigger language plpgsql as $$
declare
  head audit_chain_head%rowtype;
begin
  select * into head from audit_chain_head where id = 1 for update;
  if new.id <> head.last_event_id + 1 or new.prev_hash <> head.last_hash then
    raise exception 'event % does not extend the audit chain (head is event %)',
      new.id, head.last_event_id
      using errcode = 'integrity_constraint_violation';
  end if;
  update audit_chain_head set last_event_id = new.id, last_hash = new.hash where id = 1;
  return null;
end
$$;

create trigger moderation_event_extend_chain
  after insert on moderation_event
  for each row execute function audit_extend_chain();

-- The head may only move from inside audit_extend_chain (trigger depth 2), never by hand.
create function audit_guard_chain_head() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and pg_trigger_depth() > 1 then
    return new;
  end if;
  raise exception 'audit_chain_head moves only when an event is appended: % refused', tg_op
    using errcode = 'insufficient_privilege';
end
$$;

create trigger audit_chain_head_guard
  before update or delete on audit_chain_head
  for each row execute function audit_guard_chain_head();
create trigger audit_chain_head_no_truncate
  before truncate on audit_chain_head
  for each statement execute function audit_guard_chain_head();

create table subject_status (
  subject_key      text primary key,
  platform         text   not null,
  comment_id       text   not null,
  post_id          text,
  account_id       text   not null,
  author_id        text,
  visibility       text   not null default 'visible'
    check (visibility in ('visible', 'hidden', 'deleted')),
  review_state     text   not null default 'none'
    check (review_state in ('none', 'open', 'escalated', 'closed')),
  last_decision    text check (last_decision in ('allow', 'act', 'review')),
  last_action      text,
  categories       text[] not null default '{}',
  content_hash     text,
  last_event_id    bigint not null references moderation_event (id),
  last_reviewed_by text,
  last_reviewed_at timestamptz,
  created_at       timestamptz not null,
  updated_at       timestamptz not null
);
create index subject_status_open_review_idx on subject_status (review_state)
  where review_state in ('open', 'escalated');
create index subject_status_account_idx on subject_status (account_id, updated_at desc);

create table comment_snapshot (
  subject_key  text primary key,
  author_id    text,
  author_name  text,
  text         text,
  permalink    text,
  content_hash text not null,
  captured_at  timestamptz not null,
  purged_at    timestamptz,
  purge_reason text,
  check ((purged_at is null) = (purge_reason is null))
);
create index comment_snapshot_unpurged_idx on comment_snapshot (captured_at)
  where purged_at is null;
