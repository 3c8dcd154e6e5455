// Writes the text lines of examples/ocr-compress.json (examples/data/ocr-calibration.npy and
// ocr-lines.npy): each line rendered by resvg in DejaVu Sans and prepared as PaddleOCR's recognizers
// read it (test/text-lines.ts: cropped to the ink, height 48, zero-padded to width 320, (x/255 − 0.5)/0.5,
// BGR), stored as float16 [lines, 3, 48, 320]. The calibration lines and the evaluation lines differ.
// Deterministic for a given font file. Run with: npx tsx scripts/make-ocr-lines.ts
import { writeFileSync } from 'node:fs';
import { writeNpy } from '../engine';
import { textLines } from '../test/text-lines';

export const CALIBRATION = ['calibration line one', 'Another text 123', 'matrix factorization', 'Quantum fields', 'hello again', 'PaddleOCR model', 'budget allocation', 'The lazy dog'];
export const LINES = [
  'Hello world',
  'Corespace 2026',
  'low rank models',
  'The quick brown fox',
  'tensor train 42',
  'singular values',
  'Grassmann manifold',
  'onnx runtime web',
  'Tucker decomposition',
  'Invoice 7731',
  'Open the door',
  'December 6',
  'pixel shader',
  'Data flow graph',
  'Market street',
  'compressed weights',
];

if (process.argv[1]?.endsWith('make-ocr-lines.ts')) {
  writeFileSync('examples/data/ocr-calibration.npy', writeNpy(textLines(CALIBRATION), '<f2'));
  writeFileSync('examples/data/ocr-lines.npy', writeNpy(textLines(LINES), '<f2'));
  console.log(JSON.stringify(LINES));
}
