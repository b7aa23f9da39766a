/**
 * Clicks through a simulator's consent page without a browser: loads the page, reads its one
 * form, submits it with the chosen button, and returns where the redirect points (the app's
 * callback with `code` and `state`, or `error`). Tests of the OAuth functions and the CLI use it.
 */
export async function clickThroughConsent(
  pageUrl: string,
  decision: 'allow' | 'cancel' = 'allow',
): Promise<URL> {
  const page = await fetch(pageUrl)
  const body = await page.text()
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${body}`)
  const action = /<form[^>]*action="([^"]+)"/.exec(body)?.[1]
  if (!action) throw new Error('no form on the consent page')
  const fields = new URLSearchParams()
  for (const m of body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(m[1] ?? '', unescapeHtml(m[2] ?? ''))
  }
  fields.set('decision', decision)
  const answer = await fetch(new URL(action, pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  })
  const location = answer.headers.get('location')
  if (answer.status !== 302 || !location) {
    throw new Error(`consent answered ${answer.status}: ${await answer.text()}`)
  }
  return new URL(location)
}

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
}
