/** `wardguard audit verify` as a function: the chain check in words a person can act on. */
import { type ChainVerification, type Db, verifyChain } from '../audit/index.js'

export async function verifyAuditTrail(
  db: Db,
): Promise<{ ok: boolean; report: string; result: ChainVerification }> {
  const result = await verifyChain(db)
  if (result.ok) {
    return {
      ok: true,
      result,
      report: `audit chain OK: ${result.checked} events checked, head is event ${result.head.lastEventId}\n`,
    }
  }
  const b = result.firstBroken
  const why =
    b?.reason === 'hash'
      ? 'its recorded fields do not match its hash (the event was changed)'
      : b?.reason === 'link'
        ? 'its prev_hash does not match the event before it (an event was removed, inserted or re-linked)'
        : 'the trail ends before the chain head (events after it are missing)'
  return {
    ok: false,
    result,
    report: `audit chain BROKEN at event ${b?.id}: ${why}\n  expected ${b?.expected}\n  found    ${b?.found}\n  ${result.checked} events before it verified\n`,
  }
}
