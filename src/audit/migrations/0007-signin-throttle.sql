-- Sign-in throttling per username AND source address (src/web/lockout.ts), replacing the
-- per-username lock that anyone could trigger. Each attempt is counted before its password is
-- checked, in one locked row, so parallel guesses cannot slip past the limit.
create table web_signin_throttle (
  key            text primary key,
  failures       int not null default 0,
  last_failed_at timestamptz,
  locked_until   timestamptz
);

drop table web_signin_failure;
