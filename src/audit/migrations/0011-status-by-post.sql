-- Pile-on alerts find the flagged comments under one post ("Hide all flagged on this post").
create index if not exists subject_status_account_post_idx on subject_status (account_id, post_id);
