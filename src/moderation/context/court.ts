import type { Analysed } from '../normalise.js'

/**
 * Whether the comment speaks of a court case that has finished. Contempt of court is only a
 * risk while a case is active (after an arrest or a charge, until the verdict); comment on a
 * finished case ("convicted last year", "was jailed") is ordinary public comment. The model
 * learns "court words mean sub judice", so a finished case is told apart here.
 */

// @NOTE matched on the normalised words (`a.view`), so case and punctuation do not matter
const VERDICT =
  / (convicted|sentenced|jailed|imprisoned|acquitted|fined|pleaded guilty|pled guilty|found guilty|found not guilty|walked free) /
// a verdict in the story of a case that goes on ("convicted, now appealing") leaves it active
const STILL_TO_COME = / (awaiting trial|due in court|due to appear|retrial|appeal|appealing) /

export function isFinishedCase(a: Analysed): boolean {
  return VERDICT.test(a.view) && !STILL_TO_COME.test(a.view)
}
