/** Cells a spreadsheet would read as a formula: = + - @ first, or a tab / carriage return first. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** E.164 numbers (one or several, space-separated) start with + but are no formula: left as they are. */
const PHONE_NUMBERS = /^\+\d{4,15}( \+\d{4,15})*$/;

/**
 * Neutralises CSV/formula injection (OWASP): a text cell that a spreadsheet would evaluate gets a
 * leading apostrophe, which shows the text as typed.
 */
export function escapeFormula(value: string): string {
  return FORMULA_START.test(value) && !PHONE_NUMBERS.test(value) ? `'${value}` : value;
}
