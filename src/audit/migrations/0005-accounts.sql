-- Accounts connected from the web app or the CLI, and the platform tokens of every account
-- (YAML ones too), sealed with AES-256-GCM (src/accounts/). Ordinary mutable tables: none of this
-- is part of the audit trail, and removing an account deletes its rows here but no audit event.

create table connected_account (
  id          text primary key check (id ~ '^[a-z0-9][a-z0-9-]*$'),
  platform    text not null check (platform in ('facebook', 'x')),
  -- the Page id or X user id; one Wardguard account per platform account
  platform_id text not null,
  -- validated with the YAML AccountSchema (src/config/accounts.ts) on the way in and out
  config      jsonb not null,
  created_by  text not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (platform, platform_id)
);

-- No foreign key to connected_account: accounts managed in YAML keep their tokens here too.
create table account_token (
  account_id text not null,
  -- page: Facebook Page token; user: Facebook long-lived user token; access/refresh: X OAuth 2.0
  kind       text not null check (kind in ('page', 'user', 'access', 'refresh')),
  -- which key sealed it (a hash of the key, never the key); the rest is AES-256-GCM output
  key_id     text not null,
  iv         bytea not null,
  ciphertext bytea not null,
  tag        bytea not null,
  expires_at timestamptz,
  scopes     text[] not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (account_id, kind)
);
create index account_token_key_idx on account_token (key_id);

-- What the token check last found, and the last condition the review channel was warned about.
-- Kept apart from account_token so that tokens still read from environment variables (tokenEnv)
-- are checked and warned about once too.
create table account_token_health (
  account_id text not null,
  kind       text not null check (kind in ('page', 'user', 'access', 'refresh')),
  checked_at timestamptz,
  status     text check (status in ('ok', 'expiring', 'failing')),
  -- the platform's own words (error code and message); never the token
  problem    text,
  expires_at timestamptz,
  -- e.g. 'expiring:2026-12-01' or 'failing:190'; a new token clears it
  warned     text,
  primary key (account_id, kind)
);
