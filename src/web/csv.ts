/** CSV cells for spreadsheets: quoted, and defused so a comment cannot become a formula. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value)
  // @NOTE a cell starting with = + - @ (or tab/CR) runs as a formula in Excel and LibreOffice
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n']/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}
