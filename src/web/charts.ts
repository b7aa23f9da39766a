/** Server-side SVG charts: no JavaScript, readable without colour (titles carry the numbers). */
import { html } from 'hono/html'
import type { Html } from './layout.js'

const PALETTE = [
  '#1d3557',
  '#e63946',
  '#2a9d8f',
  '#f4a261',
  '#8338ec',
  '#457b9d',
  '#6a994e',
  '#bc4749',
  '#ffb703',
  '#8d99ae',
]

export type Series = { key: string; label: string }

/** Stacked bars, one per x label; `value(x, key)` gives each segment. */
export function stackedBars(opts: {
  title: string
  xs: string[]
  series: Series[]
  value: (x: string, key: string) => number
  width?: number
  height?: number
}): Html {
  const width = opts.width ?? 560
  const height = opts.height ?? 220
  const pad = { left: 36, bottom: 28, top: 10, right: 8 }
  const plotH = height - pad.top - pad.bottom
  const totals = opts.xs.map((x) => opts.series.reduce((s, k) => s + opts.value(x, k.key), 0))
  const max = Math.max(1, ...totals)
  const step = (width - pad.left - pad.right) / Math.max(1, opts.xs.length)
  const barW = Math.max(2, step * 0.75)
  const bars = opts.xs.flatMap((x, i) => {
    let y = pad.top + plotH
    return opts.series.map((s, si) => {
      const v = opts.value(x, s.key)
      const h = (v / max) * plotH
      y -= h
      if (v === 0) return ''
      return html`<rect x="${(pad.left + i * step).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[si % PALETTE.length]}"><title>${x} ${s.label}: ${v}</title></rect>`
    })
  })
  const labelEvery = Math.ceil(opts.xs.length / 6)
  const xLabels = opts.xs.map((x, i) =>
    i % labelEvery === 0
      ? html`<text x="${(pad.left + i * step).toFixed(1)}" y="${height - 8}" font-size="10">${x.slice(5)}</text>`
      : '',
  )
  return html`<figure class="card"><figcaption><strong>${opts.title}</strong></figcaption>
<svg role="img" aria-label="${opts.title}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">
<line x1="${pad.left}" y1="${pad.top + plotH}" x2="${width - pad.right}" y2="${pad.top + plotH}" stroke="#999"/>
<text x="2" y="${pad.top + 10}" font-size="10">${max}</text><text x="2" y="${pad.top + plotH}" font-size="10">0</text>
${bars}${xLabels}</svg>
<p>${opts.series.map((s, si) => html`<span class="tag"><svg width="10" height="10"><rect width="10" height="10" fill="${PALETTE[si % PALETTE.length]}"/></svg> ${s.label}</span> `)}</p>
</figure>`
}

/** Horizontal bars for a short ranked list. */
export function hBars(opts: {
  title: string
  rows: { label: string; n: number }[]
  empty: string
}): Html {
  if (opts.rows.length === 0)
    return html`<figure class="card"><figcaption><strong>${opts.title}</strong></figcaption><p class="muted">${opts.empty}</p></figure>`
  const max = Math.max(1, ...opts.rows.map((r) => r.n))
  const rowH = 22
  const height = opts.rows.length * rowH + 4
  return html`<figure class="card"><figcaption><strong>${opts.title}</strong></figcaption>
<svg role="img" aria-label="${opts.title}" viewBox="0 0 560 ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">
${opts.rows.map(
  (r, i) => html`<text x="0" y="${i * rowH + 15}" font-size="11">${r.label}</text>
<rect x="220" y="${i * rowH + 4}" width="${((r.n / max) * 300).toFixed(1)}" height="14" fill="#457b9d"><title>${r.label}: ${r.n}</title></rect>
<text x="${(225 + (r.n / max) * 300).toFixed(1)}" y="${i * rowH + 15}" font-size="11">${r.n}</text>`,
)}</svg></figure>`
}
