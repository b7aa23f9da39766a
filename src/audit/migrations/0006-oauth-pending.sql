-- Sign-ins with Facebook and X from the web app's Accounts page, between their steps: the OAuth
-- state (with the X PKCE verifier) until the platform sends the person back, then the tokens it
-- gave until the person has chosen what to connect. Short-lived (10 minutes), single use, bound
-- to the session that started it; the payload is sealed with TOKEN_ENCRYPTION_KEY like account
-- tokens. Not part of the audit trail.

create table web_oauth_pending (
  -- sha256 of the random handle (the OAuth `state`, or the id a form carries); never the handle
  id_hash      text primary key,
  -- sha256 of the session's CSRF token: another session cannot use or spend this flow
  session_hash text not null,
  purpose      text not null
    check (purpose in ('facebook-dialog', 'facebook-pages', 'x-authorize', 'x-account')),
  key_id       text not null,
  iv           bytea not null,
  ciphertext   bytea not null,
  tag          bytea not null,
  created_at   timestamptz not null,
  expires_at   timestamptz not null
);
create index web_oauth_pending_expiry_idx on web_oauth_pending (expires_at);
