import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { loadServiceConfig } from '../load-service-config.js'

/** `wardguard evidence`: the same bundle as the web app's, written as HTML and JSON files. */
export function registerEvidenceCommand(program: Command): void {
  program
    .command('evidence')
    .description('write an evidence bundle (HTML + JSON) for one comment, one author or one post')
    .option('--comment <subjectKey>', 'one comment, e.g. facebook.123_456')
    .option('--account <id>', 'with --author or --post')
    .option('--author <id>', "an author's platform id")
    .option('--post <id>', 'every comment under one post (a pile-on)')
    .option('--out <dir>', 'where to write the files', '.')
    .action(
      async (opts: {
        comment?: string
        account?: string
        author?: string
        post?: string
        out: string
      }) => {
        const config = await loadServiceConfig()
        const web = await import('../../web/evidence.js')
        const { renderEvidenceHtml } = await import('../../web/evidence-html.js')
        const { withAuditStore } = await import('../../web/open-store.js')
        const scope = web.parseEvidenceScope({
          comment: opts.comment,
          account: opts.account,
          author: opts.author,
          post: opts.post,
        })
        const bundle = await withAuditStore(config.env, (db) =>
          web.buildEvidence(db, scope, { generatedBy: `cli:${process.env.USER ?? 'unknown'}` }),
        )
        const base = path.join(opts.out, `wardguard-evidence-${bundle.bundleSha256.slice(0, 12)}`)
        writeFileSync(`${base}.json`, `${JSON.stringify(bundle, null, 2)}\n`)
        writeFileSync(`${base}.html`, await renderEvidenceHtml(bundle))
        process.stdout.write(
          `${base}.html\n${base}.json\n${bundle.comments.length} comment(s), sha256 ${bundle.bundleSha256}\n`,
        )
      },
    )
}
