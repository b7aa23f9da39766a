import { randomBytes } from 'node:crypto'
import { createGraphOAuthState, type GraphSimApp } from './graph-sim-oauth-state.js'

/** The Graph simulator's world: Pages with their tokens, comments, and banned people. */

export type GraphSimPage = { id: string; name: string; token: string }

export type GraphSimComment = {
  id: string
  pageId: string
  postId: string
  /** the post id for a top-level comment, the parent comment's id for a reply */
  parentId: string
  from: { id: string; name: string }
  message: string
  /** Unix seconds */
  createdTime: number
  isHidden: boolean
  deleted: boolean
}

export type SeedComment = {
  pageId: string
  from: { id: string; name: string }
  message: string
  id?: string
  postId?: string
  /** a comment id to make this a reply */
  replyTo?: string
  createdTime?: number
}

export type GraphSimState = ReturnType<typeof createGraphSimState>

export function createGraphSimState(pages: Record<string, string> = {}, app?: GraphSimApp) {
  const pageMap = new Map<string, GraphSimPage>()
  // Facebook Login (graph-sim-oauth-state.ts): people, codes, minted user and Page tokens
  const oauth = createGraphOAuthState((id, name) => {
    if (!pageMap.has(id)) state.addPage(id, `EAAS${randomBytes(24).toString('base64url')}`, name)
  }, app)
  const comments = new Map<string, GraphSimComment>()
  const blocked = new Map<string, Set<string>>()
  let counter = 1_000

  const state = {
    pages: pageMap,
    comments,
    blocked,
    oauth,
    /** a Facebook user who can sign in through the dialog, with the Pages they have tasks on */
    addUser: oauth.addUser,
    addPage(id: string, token: string, name = `Page ${id}`): GraphSimPage {
      const page = { id, name, token }
      pageMap.set(id, page)
      return page
    },
    /** which Page a token belongs to, or null */
    pageForToken(token: string | null): GraphSimPage | null {
      if (!token || oauth.problem(token)) return null
      for (const page of pageMap.values()) if (page.token === token) return page
      // a Page token handed out by /me/accounts works for its Page
      const minted = oauth.valid(token)
      return minted?.type === 'PAGE' && minted.pageId ? (pageMap.get(minted.pageId) ?? null) : null
    },
    /** a new post id on the Page (`<pageId>_<n>`) */
    newPost(pageId: string): string {
      counter++
      return `${pageId}_${counter}`
    },
    seedComment(seed: SeedComment): GraphSimComment {
      const parent = seed.replyTo ? comments.get(seed.replyTo) : undefined
      if (seed.replyTo && !parent) throw new Error(`no comment ${seed.replyTo} to reply to`)
      const postId = parent?.postId ?? seed.postId ?? state.newPost(seed.pageId)
      counter++
      const comment: GraphSimComment = {
        // @NOTE Graph comment ids are `<post-id suffix>_<comment id>`
        id: seed.id ?? `${postId.split('_').pop()}_${counter}`,
        pageId: seed.pageId,
        postId,
        parentId: parent?.id ?? postId,
        from: seed.from,
        message: seed.message,
        createdTime: seed.createdTime ?? Math.floor(Date.now() / 1000),
        isHidden: false,
        deleted: false,
      }
      comments.set(comment.id, comment)
      return comment
    },
    comment(id: string): GraphSimComment | undefined {
      return comments.get(id)
    },
    isBanned(pageId: string, userId: string): boolean {
      return blocked.get(pageId)?.has(userId) ?? false
    },
    ban(pageId: string, userId: string): void {
      const set = blocked.get(pageId) ?? new Set<string>()
      set.add(userId)
      blocked.set(pageId, set)
    },
    unban(pageId: string, userId: string): void {
      blocked.get(pageId)?.delete(userId)
    },
  }
  for (const [id, token] of Object.entries(pages)) state.addPage(id, token)
  return state
}

/** A comment as Graph's GET returns it (ISO time with +0000, like the real API). */
export function graphCommentJson(comment: GraphSimComment): Record<string, unknown> {
  return {
    id: comment.id,
    message: comment.message,
    from: comment.from,
    created_time: new Date(comment.createdTime * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000'),
    is_hidden: comment.isHidden,
    can_hide: comment.from.id !== comment.pageId,
    can_remove: true,
    ...(comment.parentId !== comment.postId ? { parent: { id: comment.parentId } } : {}),
  }
}
