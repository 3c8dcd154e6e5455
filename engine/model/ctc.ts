// Reading a CTC recogniser's output (PaddleOCR's text recognisers): greedy decoding — the most
// likely class at each step, repeats collapsed, blanks dropped — through its character dictionary,
// and the scores of lines read against the truth: exact lines and the character error rate.
import { Tensor, formatShape } from '../tensor';

/** PaddleOCR's classes: 0 is the blank, then the dictionary's characters one per line, then a space. */
export function ctcClasses(dictionary: string): string[] {
  const chars = dictionary.split(/\r?\n/);
  if (chars.at(-1) === '') chars.pop();
  return ['', ...chars, ' '];
}

/** The text of each batch item of probabilities [N, T, C] (or one [T, C]). */
export function ctcGreedy(probs: Tensor, classes: readonly string[]): string[] {
  if (probs.ndim !== 2 && probs.ndim !== 3) throw new Error(`a CTC output is [N, T, C] or [T, C], got ${formatShape(probs.shape)}`);
  const [n, t, c] = probs.ndim === 3 ? (probs.shape as [number, number, number]) : [1, probs.shape[0]!, probs.shape[1]!];
  if (c !== classes.length) throw new Error(`the output has ${c} classes but the dictionary gives ${classes.length} (blank, ${classes.length - 2} characters, space): is it the model's own dictionary?`);
  const out: string[] = [];
  for (let b = 0; b < n; b++) {
    let text = '';
    let last = -1;
    for (let s = 0; s < t; s++) {
      const row = (b * t + s) * c;
      let best = 0;
      for (let k = 1; k < c; k++) if (probs.data[row + k]! > probs.data[row + best]!) best = k;
      if (best !== last && best !== 0) text += classes[best];
      last = best;
    }
    out.push(text);
  }
  return out;
}

/** Levenshtein distance between two strings, by code point. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length]!;
}

/** Lines read exactly (a fraction) and the character error rate Σ edit distance / Σ truth length. */
export function readingScores(read: readonly string[], truth: readonly string[]): { exactLines: number; cer: number } {
  let exact = 0;
  let edits = 0;
  let chars = 0;
  read.forEach((r, i) => {
    if (r === truth[i]) exact++;
    edits += editDistance(r, truth[i]!);
    chars += [...truth[i]!].length;
  });
  return { exactLines: exact / Math.max(1, read.length), cer: chars === 0 ? (edits === 0 ? 0 : Infinity) : edits / chars };
}
