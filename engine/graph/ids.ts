// Node ids name files (the headless runner writes views/<id>.png) and become keys of result
// objects, so an id must be a plain file name on every system and no key JavaScript treats
// specially. Text from a graph file (ids, names, messages quoting params) may also hold terminal
// control sequences; `printable` makes any such text safe to print.

/** Longest id accepted: a file name of it (plus ".png") stays well under every system's limit. */
export const MAX_ID_LENGTH = 100;

// Keys of Object.prototype: as ids they would shadow or replace an object's prototype.
const PROTOTYPE_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));
// Windows device names, which cannot be file names there (with any extension).
const DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const ID_CHARS = /^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_.-]*$/u;

/** Why `id` cannot be a node id, or null when it can. */
export function unsafeIdReason(id: string): string | null {
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long (at most ${MAX_ID_LENGTH})`;
  if (PROTOTYPE_KEYS.has(id)) return `'${printable(id)}' is reserved (a key of every JavaScript object)`;
  if (!ID_CHARS.test(id)) {
    const sepChar = [...id].find((c) => c === '/' || c === '\\');
    if (sepChar) return `it holds ${describeChar(sepChar)}; ids are letters, digits, '_', '-' and '.', starting with a letter, digit or '_'`;
    const bad = [...id].find((c, i) => !(i === 0 ? /^[\p{L}\p{N}_]$/u : /^[\p{L}\p{M}\p{N}_.-]$/u).test(c));
    return bad === undefined
      ? 'it has no letters or digits'
      : `it ${[...id][0] === bad ? 'starts with' : 'holds'} ${describeChar(bad)}; ids are letters, digits, '_', '-' and '.', starting with a letter, digit or '_'`;
  }
  if (DEVICE_NAMES.test(id)) return `'${id}' is a device name on Windows and cannot be a file name there`;
  return null;
}

/** A safe id made from `id`: what the editor suggests instead of an unsafe one. */
export function safeId(id: string): string {
  let s = [...id].map((c) => (/^[\p{L}\p{M}\p{N}_.-]$/u.test(c) ? c : '_')).join('').replace(/^[.\-\p{M}]+/u, '');
  if (!s || PROTOTYPE_KEYS.has(s) || DEVICE_NAMES.test(s)) s = `n_${s}`;
  return s.slice(0, MAX_ID_LENGTH);
}

function describeChar(c: string): string {
  const code = c.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === '/' || c === '\\') return `'${c}' (a folder separator)`;
  if (UNPRINTABLE.test(c)) return `the control character ${hex}`;
  return `'${c}' (${hex})`;
}

// C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text (bidi
// embeddings, overrides and isolates, zero-width marks, the BOM).
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/u;
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'gu');

/** `s` with every control or invisible format character written as \u{…}, so that text from a file
 * printed to a terminal can neither move the cursor, recolour, hide nor reorder what follows.
 * Newlines and tabs are kept when `keepLines` is set (for whole messages). */
export function printable(s: string, keepLines = false): string {
  return s.replace(UNPRINTABLE_ALL, (c) => (keepLines && (c === '\n' || c === '\t') ? c : `\\u{${c.codePointAt(0)!.toString(16)}}`));
}

/** A line of JSON with the invisible characters JSON.stringify leaves raw (C1, bidi, zero-width)
 * written as \uXXXX escapes: the same JSON, safe to print. */
export function printableJson(json: string): string {
  return json.replace(UNPRINTABLE_ALL, (c) => (c === '\n' ? c : `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`));
}
