-- Why the policy flagged a comment, with the words it matched. Derived from the text, so it
-- lives in the snapshot and is purged with the text, never in events.
alter table comment_snapshot add column reasons jsonb;
