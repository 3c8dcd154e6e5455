// How long a notice stays: long enough to read (about 14 characters a second, never under 6 s),
// and a long one (an import's problems) stays until it is clicked away. The pointer over a notice
// holds it (App.tsx).

/** Milliseconds before `text` goes by itself, or null: it stays until dismissed. */
export function noticeMs(text: string): number | null {
  if (text.length > 200) return null;
  return Math.max(6000, 70 * text.length);
}
