-- The engine an account runs after a switch (issue 17): a shadow run's candidate made active.
-- The switch itself (who, and the differences they saw) is the audit event this row points at.
create table account_engine (
  account_id  text        primary key,
  policy_path text        not null,
  model_path  text,
  version     text        not null,
  run_id      bigint      not null references shadow_run (id),
  event_id    bigint      not null references moderation_event (id),
  switched_by text        not null,
  switched_at timestamptz not null
);
