/**
 * Charts drawn by Observable Plot on the server (linkedom stands in for the browser's DOM):
 * plain SVG, no script, every bar a link to the decisions it counts, with a title for screen
 * readers and hover. @NOTE Plot adds a <style> element the Content-Security-Policy would block;
 * it is dropped and its two rules live in the stylesheet (.wg-chart svg).
 */
import * as Plot from '@observablehq/plot'
import { html, raw } from 'hono/html'
import { parseHTML } from 'linkedom'
import type { Html } from './layout.js'

/** Okabe and Ito's palette: told apart by people with any common colour blindness. */
export const PALETTE = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#CC79A7',
  '#E69F00',
  '#56B4E9',
  '#000000',
  '#F0E442',
  '#999999',
]

function render(options: Plot.PlotOptions): string {
  const { document } = parseHTML('<!doctype html><html><body></body></html>')
  const svg = Plot.plot({ ...options, document } as Plot.PlotOptions) as unknown as {
    outerHTML: string
  }
  // @NOTE Plot names its <g> layers with aria-label, which ARIA forbids on a plain group; the
  // figure has the title, and each bar link its own <title>
  return svg.outerHTML
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/(<(?!svg)[a-z]+\b[^>]*?) aria-label="[^"]*"/g, '$1')
}

const SHORT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })
const dayLabel = (d: string) => SHORT.format(new Date(`${d}T00:00:00Z`))

export type Series = { key: string; label: string; colour: string }

function tallest(rows: { day: string; n: number }[]): number {
  const perDay = new Map<string, number>()
  for (const r of rows) perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.n)
  return Math.max(1, ...perDay.values())
}

/** Ticks counted back from the last day, so the newest day (usually the busiest) is named. */
function tickDays(days: string[], max = 7): string[] {
  const step = Math.max(1, Math.ceil(days.length / max))
  return days.filter((_, i) => (days.length - 1 - i) % step === 0)
}

/** Stacked bars per day; each segment links to `href(day, key)`. */
export function dayBars(opts: {
  id: string
  title: string
  days: string[]
  series: Series[]
  rows: { day: string; key: string; n: number }[]
  href: (day: string, key: string) => string
  empty: string
}): Html {
  const known = new Set(opts.series.map((s) => s.key))
  const rows = opts.rows.filter((r) => known.has(r.key) && opts.days.includes(r.day))
  const label = new Map(opts.series.map((s) => [s.key, s.label]))
  const figure = (inner: Html | string) =>
    html`<figure class="wg-chart" id="${opts.id}"><figcaption class="govuk-heading-s">${opts.title}</figcaption>${inner}</figure>`
  if (rows.length === 0) return figure(html`<p class="govuk-body wg-muted">${opts.empty}</p>`)
  const svg = render({
    width: 640,
    height: 260,
    marginLeft: 40,
    marginBottom: 36,
    ariaLabel: opts.title,
    x: {
      type: 'band',
      domain: opts.days,
      label: null,
      ticks: tickDays(opts.days),
      tickFormat: dayLabel,
    },
    // whole numbers only: a day with 2 decisions gets ticks 0, 1, 2 and not 0, 0.5, 1 …
    y: {
      grid: true,
      label: 'Decisions',
      labelArrow: 'none',
      tickFormat: 'd',
      ticks: Math.min(6, tallest(rows)),
    },
    color: { domain: opts.series.map((s) => s.key), range: opts.series.map((s) => s.colour) },
    marks: [
      Plot.barY(rows, {
        x: 'day',
        y: 'n',
        fill: 'key',
        order: opts.series.map((s) => s.key),
        href: (r: { day: string; key: string }) => opts.href(r.day, r.key),
        title: (r: { day: string; key: string; n: number }) =>
          `${dayLabel(r.day)}: ${r.n} ${label.get(r.key) ?? r.key}`,
      }),
      Plot.ruleY([0]),
    ],
  })
  const present = opts.series.filter((s) => rows.some((r) => r.key === s.key))
  return figure(html`${raw(svg.replace('<svg ', '<svg role="group" '))}
<ul class="wg-legend govuk-body-s">${present.map(
    (s) =>
      html`<li><svg class="wg-swatch" width="14" height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="${s.colour}"/></svg>${s.label}</li>`,
  )}</ul>`)
}

/** A ranked list as horizontal bars, each label readable in full and each bar a link. */
export function rankBars(opts: {
  id: string
  title: string
  rows: { label: string; n: number; href: string }[]
  empty: string
  colour?: string
}): Html {
  const figure = (inner: Html | string) =>
    html`<figure class="wg-chart" id="${opts.id}"><figcaption class="govuk-heading-s">${opts.title}</figcaption>${inner}</figure>`
  if (opts.rows.length === 0) return figure(html`<p class="govuk-body wg-muted">${opts.empty}</p>`)
  const longest = Math.max(...opts.rows.map((r) => r.label.length))
  const svg = render({
    width: 640,
    height: 40 + opts.rows.length * 30,
    marginLeft: Math.min(360, 12 + longest * 7.2),
    marginRight: 40,
    ariaLabel: opts.title,
    x: {
      grid: true,
      label: null,
      tickFormat: 'd',
      axis: 'top',
      ticks: Math.min(5, Math.max(...opts.rows.map((r) => r.n))),
    },
    y: { label: null, domain: opts.rows.map((r) => r.label) },
    marks: [
      Plot.barX(opts.rows, {
        y: 'label',
        x: 'n',
        fill: opts.colour ?? PALETTE[0],
        href: 'href',
        title: (r: { label: string; n: number }) => `${r.label}: ${r.n}`,
      }),
      Plot.text(opts.rows, { y: 'label', x: 'n', text: (r: { n: number }) => String(r.n), dx: 12 }),
      Plot.ruleX([0]),
    ],
  })
  return figure(raw(svg.replace('<svg ', '<svg role="group" ')))
}
