// The reference cases of test/refs/cases (NumPy / SciPy / TensorLy / PyWavelets; see README.md beside
// this file for how each was made and SOURCE.md for where the copy comes from). Every test that needs a
// reference array or expected value goes through here, so nothing reads outside the repository.
import { readFileSync } from 'node:fs';
import { readNpy, type FileResolver, type Tensor } from '../../engine';

/** test/refs/cases/, with its trailing slash: `new URL('<case>/<file>', refsDir)`. */
export const refsDir = new URL('./cases/', import.meta.url);

/** The file URL of one file of a case, e.g. refPath('dct_2d_13x22', 'expected.npy'). */
export const refPath = (caseName: string, file: string): URL => new URL(`${caseName}/${file}`, refsDir);

/** The raw bytes of one file of a case. */
export const refBytes = (caseName: string, file: string): Uint8Array => new Uint8Array(readFileSync(refPath(caseName, file)));

/** A .npy of a case as a float32 tensor (readNpy converts float64 files). */
export const refNpy = (caseName: string, file: string): Tensor => readNpy(refBytes(caseName, file), `${caseName}/${file}`);

/** A case's input tensor (input.npy). */
export const refInput = (caseName: string): Tensor => refNpy(caseName, 'input.npy');

/** A case's expected.json, parsed (its fields differ per case, hence `any`). */
export const refExpected = (caseName: string): any => JSON.parse(readFileSync(refPath(caseName, 'expected.json'), 'utf8'));

/** Files for runGraph: a graph's `path` params are relative to the cases folder ('<case>/input.npy');
 * a reference file never changes, so its path is its fingerprint. */
export const refFiles: FileResolver = {
  read: async (path) => new Uint8Array(readFileSync(new URL(path, refsDir))),
  fingerprint: async (path) => path,
};
