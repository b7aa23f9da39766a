-- The comms team's web app: its users, their sessions, read-only API tokens and sign-in
-- failures. Nothing here is part of the audit trail; passwords and tokens are stored hashed.

create table web_user (
  username      text primary key check (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  role          text not null check (role in ('admin', 'auditor', 'councillor')),
  -- a councillor sees these accounts only; empty for the other roles
  account_ids   text[] not null default '{}',
  password_hash text not null,
  created_at    timestamptz not null default now()
);

create table web_session (
  -- sha256 of the session id carried in the signed cookie
  id_hash    text primary key,
  username   text not null references web_user (username) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index web_session_expiry_idx on web_session (expires_at);

create table web_api_token (
  id          text primary key,
  -- sha256 of the secret part; the token itself is shown once when made
  secret_hash text not null,
  username    text not null references web_user (username) on delete cascade,
  label       text not null,
  created_at  timestamptz not null default now(),
  last_used_at timestamptz
);

create table web_signin_failure (
  username      text primary key,
  failures      int not null,
  last_failed_at timestamptz not null,
  locked_until  timestamptz
);

-- The decisions page lists decision.made and review.resolved newest first, often by actor.
create index moderation_event_actor_time_idx
  on moderation_event (actor_id, created_at desc, id desc);
