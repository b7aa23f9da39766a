/** Signs in as a browser would; true when the app lets the user in. */
export async function signIn(url: string, username: string, password: string): Promise<boolean> {
  const form = await fetch(`${url}/signin`)
  const cookie = form.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const csrf = (await form.text()).match(/name="_csrf" value="([^"]*)"/)?.[1] ?? ''
  const res = await fetch(`${url}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: url },
    body: new URLSearchParams({ username, password, _csrf: csrf, next: '/audit/decisions' }),
  })
  return (res.headers.get('location') ?? '').endsWith('/audit/decisions')
}
