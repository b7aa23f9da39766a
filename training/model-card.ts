import { HEADS } from '../src/moderation/model/heads.js'
import type { Model } from '../src/moderation/model/weights.js'
import type { HeadMetric } from './metrics.js'
import { PUBLIC_SOURCES } from './sources/public.js'

export type TrainingReport = {
  model: string
  seconds: number
  validation: string
  heads: Record<string, HeadMetric[]>
  counts: Record<string, Record<string, number>>
  councilExamples?: Record<string, number>
}

const f3 = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(3))

/** docs/model-card.md, written by `npm run train` from what it just did. */
export function modelCard(model: Model, report: TrainingReport): string {
  const t = model.header.training as Record<string, unknown>
  const council = report.councilExamples && Object.keys(report.councilExamples).length > 0
  const lines: string[] = [
    council
      ? "# Model card: this council's comment classifier"
      : "# Model card: Wardguard's comment classifier",
    '',
    council
      ? "_Written by `wardguard train --with-decisions`: Wardguard's training material plus this council's own moderators' decisions. The weights were trained on this machine and stay on it; nothing was sent anywhere._"
      : '_Written by `npm run train`; do not edit by hand (the prose lives in training/model-card.ts)._',
    '',
    '## What it is',
    '',
    model.hidden
      ? `A multi-head logistic regression with a small hidden layer beside it (${model.hidden.units} ReLU units over the same features, "wide and deep"), over hashed features of a comment: words and word pairs,`
      : 'A multi-head logistic regression over hashed features of a comment: words and word pairs,',
    "and character 2–5-grams of each word, after Wardguard's normalisation has undone disguises",
    "(look-alike letters, leetspeak, spacing, repeated letters). Words inside a negation's reach",
    'or inside quoted or reported speech are separate features, and whole-comment flags say',
    'whether the comment condemns what it quotes, disowns a claim, or names a protected group or a',
    'politician. Each policy category has two outputs: that the comment breaks it at all, and that',
    'it is bad enough to hide given that it does. Inference is plain TypeScript (no native code,',
    `nothing downloaded); the weights are int8 with one scale per output, ${2 ** model.bits} buckets.`,
    ...(model.hidden
      ? [
          `The hidden units read the same features hashed to ${(model.hidden.mask + 1).toLocaleString('en-GB')} buckets (int8, one scale per unit) and each adds to every output: they let it learn pairs such as "names a councillor" and "alleges a theft" that a linear model can only add up. Explanations stay exact: for one comment the active units are linear in its features, so each word's share through them is counted with its own weight.`,
        ]
      : []),
    '',
    'It never acts alone. It adds hits beside the rules (which stay in charge of personal data,',
    'links, disguised swearing and slurs); a call that a context detector contests (counter-speech,',
    'a disowned claim, reported speech, hate with no protected group named, an insult aimed at a',
    'politician) goes to a person, never straight to hide; and every call names the words that drove',
    'it and the score.',
    '',
    '## Intended use and limits',
    '',
    "- For comments left on UK councillors' Facebook Pages and X accounts, in English, judged by",
    '  the netiquette policy. Not a general toxicity model.',
    '- A shallow model: it weighs words, short phrases and a few learnt pairings, not arguments. Sarcasm, long',
    '  insinuations and threats that depend on who the writer is can escape it; that is what',
    '  review by a person is for.',
    '- Trained largely on written-for-purpose comments (docs/data-card.md): real comments are',
    '  messier. Councils should watch what it sends to review in the first weeks and retrain with',
    "  their moderators' decisions (`wardguard train --with-decisions`).",
    '',
    '## How it was trained',
    '',
    `- Seed ${t.seed}, ${t.epochs} epochs of AdaGrad (rate ${t.learningRate}${t.units ? `, hidden layer rate ${t.hiddenRate}` : ''}, L2 ${t.l2}), in-domain`,
    `  items weighted ${t.inDomainWeight}×; ${t.examples} training texts; ${report.seconds} s on`,
    "  the project's 2-core build machine.",
    `- Model hash \`${model.hash}\` (part of the policy version recorded on every decision).`,
    '- Thresholds per head were tuned on the in-domain validation split only, with the rules in',
    `  the loop. On that split: ${report.validation}.`,
    council
      ? '- Reproduce: `wardguard train --with-decisions` on the same audit store (the same decisions, the same seed: the same file).'
      : '- Reproduce: `npm run train` (same data, same seed: the same file, byte for byte).',
    '',
    '| training texts by source | count |',
    '| --- | ---: |',
    ...Object.entries((t.bySource as Record<string, number>) ?? {}).map(
      ([s, n]) => `| ${s} | ${n} |`,
    ),
    '',
  ]
  if (council && report.councilExamples) {
    lines.push(
      "### The council's own decisions",
      '',
      'Comments a moderator kept, hid or removed, with names, email addresses, phone numbers and',
      'other numbers masked before training. Text that retention had already purged is gone and',
      'was not used. A removed comment counts once for each category it was flagged or reported under.',
      '',
      "| category | examples from moderators' decisions |",
      '| --- | ---: |',
      ...Object.entries(report.councilExamples).map(([c, n]) => `| ${c} | ${n} |`),
      '',
    )
  }
  lines.push(
    '## Thresholds',
    '',
    '| head | review from | hide from (any × hide-given-any) |',
    '| --- | ---: | ---: |',
    ...HEADS.map((h) => `| ${h} | ${model.thresholds[h].review} | ${model.thresholds[h].hide} |`),
    '',
    `A weak (review-level) call of harassment, defamation, threat, profanity or sub judice is dropped`,
    `when the criticism output reads the comment as political criticism at ${model.criticismVeto} or more.`,
    '',
    '## Metrics per head and source',
    '',
    'The `any` output on each split it was not trained on: ROC AUC, and precision and recall at',
    "the head's review threshold. Public sources label only some heads. The decision-level",
    'figures of the whole engine (rules and model together) are in the README and come from',
    '`npm run eval`.',
    '',
    '| source / split | head | n | positives | AUC | precision | recall | F1 |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  )
  for (const [key, metrics] of Object.entries(report.heads)) {
    for (const m of metrics) {
      lines.push(
        `| ${key} | ${m.head} | ${m.n} | ${m.positives} | ${f3(m.auc)} | ${f3(m.precision)} | ${f3(m.recall)} | ${f3(m.f1)} |`,
      )
    }
  }
  lines.push(
    '',
    '## Sources, licences and citations',
    '',
    '| source | licence | citation | trains |',
    '| --- | --- | --- | --- |',
  )
  for (const s of PUBLIC_SOURCES) {
    lines.push(
      `| ${s.name} | ${s.licence} | ${s.citation} | ${s.trains ? 'yes' : 'no (evaluation only)'} |`,
    )
  }
  lines.push(
    '| in-domain | this project, MIT | Wardguard contributors (2026), docs/data-card.md | yes (test split never) |',
    '',
  )
  return lines.join('\n')
}
