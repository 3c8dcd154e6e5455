export { mat, fromTensor, toTensor, identityMat, transpose, mul, gramRows, leadingColumns, normalizeSigns, type Mat } from './mat';
export { qr, orthonormalize } from './qr';
export { eigh, type Eigh } from './eigh';
export { svd, type Svd, type SvdHooks } from './svd';
export { chooseRank, truncate, type RankChoice, type RandomizedOptions } from './truncated';
export { khatriRao, kronecker, hadamard } from './products';
export { pinv, lstsq } from './lstsq';
export { cholesky, invertUpper } from './cholesky';
