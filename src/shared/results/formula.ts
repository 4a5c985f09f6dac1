/**
 * Formula-safe text for exported cells (OWASP "CSV injection"): a spreadsheet program treats a cell
 * that starts with = + - @ tab, CR or LF as a formula, so such a value is written with a leading
 * apostrophe. Values that already start with apostrophes followed by one of those characters get one
 * more, so reading a results sheet back can undo the escape exactly (see `unescapeFormula`).
 */
const ESCAPED = /^'*[=+\-@\t\r\n]/;

export function formulaSafe(value: string): string {
  return ESCAPED.test(value) ? `'${value}` : value;
}

/** The inverse of `formulaSafe`, for cells read back from a results sheet this program wrote. */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && ESCAPED.test(value.slice(1)) ? value.slice(1) : value;
}
