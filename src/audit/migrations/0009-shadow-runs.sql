-- Shadow runs (issue 17): a candidate policy or model decides every new comment of one account
-- beside the active engine for a number of days; only the active one acts. Starting, ending and
-- switching are audit events; this holds the run and what each engine decided (no text).
create table shadow_run (
  id                bigint generated always as identity primary key,
  account_id        text        not null,
  policy_path       text        not null,
  model_path        text,
  candidate_version text        not null,
  active_version    text        not null,
  started_by        text        not null,
  started_at        timestamptz not null,
  ends_at           timestamptz not null check (ends_at > started_at),
  state             text        not null default 'running'
    check (state in ('running', 'stopped', 'switched')),
  closed_at         timestamptz
);
-- one candidate at a time per account
create unique index shadow_run_running_idx on shadow_run (account_id) where state = 'running';

create table shadow_decision (
  run_id               bigint      not null references shadow_run (id),
  subject_key          text        not null,
  decided_at           timestamptz not null,
  active_action        text        not null check (active_action in ('allow', 'review', 'hide')),
  candidate_action     text        not null check (candidate_action in ('allow', 'review', 'hide')),
  active_categories    text[]      not null default '{}',
  candidate_categories text[]      not null default '{}',
  primary key (run_id, subject_key)
);
create index shadow_decision_day_idx on shadow_decision (run_id, decided_at);
