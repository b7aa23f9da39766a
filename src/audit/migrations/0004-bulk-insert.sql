-- Bulk appends: one INSERT may now add many events (src/audit/record-bulk.ts). The chain is
-- checked once per statement over all the rows it inserted, and the head moves once, to the last
-- of them, instead of once per row.
--
-- The rule is the one 0001 enforced row by row: the new events are exactly the ids head+1 ..
-- head+n, each linking to the hash of the event before it (the first to the head's hash).

create function audit_extend_chain_bulk() returns trigger language plpgsql as $$
declare
  head      audit_chain_head%rowtype;
  n         bigint;
  first_id  bigint;
  last_id   bigint;
  broken_id bigint;
  tail_hash text;
begin
  select * into head from audit_chain_head where id = 1 for update;
  select count(*), min(id), max(id) into n, first_id, last_id from appended;
  if n = 0 then
    return null;
  end if;
  -- ids are unique (primary key), so n rows between head+1 and head+n are exactly those ids
  if first_id <> head.last_event_id + 1 or last_id <> head.last_event_id + n then
    raise exception 'event % does not extend the audit chain (head is event %)',
      first_id, head.last_event_id
      using errcode = 'integrity_constraint_violation';
  end if;
  select a.id into broken_id
  from appended a
  left join appended prev on prev.id = a.id - 1
  where a.prev_hash is distinct from
    (case when a.id = first_id then head.last_hash else prev.hash end)
  order by a.id
  limit 1;
  if broken_id is not null then
    raise exception 'event % does not extend the audit chain (head is event %)',
      broken_id, head.last_event_id
      using errcode = 'integrity_constraint_violation';
  end if;
  select hash into tail_hash from appended where id = last_id;
  update audit_chain_head set last_event_id = last_id, last_hash = tail_hash where id = 1;
  return null;
end
$$;

drop trigger moderation_event_extend_chain on moderation_event;
drop function audit_extend_chain();

create trigger moderation_event_extend_chain
  after insert on moderation_event
  referencing new table as appended
  for each statement execute function audit_extend_chain_bulk();
