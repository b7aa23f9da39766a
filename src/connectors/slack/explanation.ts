/**
 * What counts as an explanation. @NOTE it is kept in the audit trail and may be posted publicly
 * as the Page: a zero-width space, "." or "ok" says nothing, so it must hold some real words.
 */
export const MIN_EXPLANATION_LETTERS = 6

/** The explanation trimmed, or why it is not one. */
export function checkExplanation(
  raw: string | null | undefined,
): { ok: true; text: string } | { ok: false; problem: string } {
  // invisible format characters (zero-width spaces and joiners, bidi marks) and controls go
  const text = (raw ?? '').replace(/[\p{Cf}\p{Cc}]/gu, (ch) => (ch === '\n' ? ch : '')).trim()
  const letters = text.match(/\p{L}/gu)?.length ?? 0
  if (letters < MIN_EXPLANATION_LETTERS) {
    return {
      ok: false,
      problem:
        'Pick a reason, or explain why in a few words. The explanation is kept with the decision and may be shown to the author.',
    }
  }
  return { ok: true, text }
}
