-- The moderation desk (issue 14): who a web user is to the people they work with, and whether
-- a councillor sees the words of comments on their own accounts.
--   display_name   shown wherever they decided ("Removed by Priya Patel")
--   slack_user_id  the moderator id the accounts' review lists name: a web user may decide on
--                  an account's comments only when this id is one of its moderators, exactly as
--                  in Slack
--   show_text      null: the role's default (on for every role); false hides comment text
alter table web_user add column display_name text
  check (display_name is null or length(display_name) between 1 and 100);
alter table web_user add column slack_user_id text
  check (slack_user_id is null or slack_user_id ~ '^[UW][A-Z0-9]{2,}$');
alter table web_user add column show_text boolean;
create index web_user_slack_idx on web_user (slack_user_id) where slack_user_id is not null;
