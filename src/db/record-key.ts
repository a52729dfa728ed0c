// The one rule for a record id that comes from outside (a tool argument, a URI, a job's args):
// its key is what SurrealDB generates (20 lowercase letters and digits) or at most 64 letters,
// digits and _. Every layer checks ids against this, so they all refuse the same ones, and a key
// that passed is safe in a file name.
export const RECORD_KEY = "[A-Za-z0-9_]{1,64}";

/** `table:key` (or also the bare key, with `bareAllowed`), with the key as capture group 1. */
export function recordIdPattern(table: string, bareAllowed = false): RegExp {
  return new RegExp(`^${bareAllowed ? `(?:${table}:)?` : `${table}:`}(${RECORD_KEY})$`);
}
