export { dctMatrix } from './dct';
export { dct, dctWith, dwt, dwtWith, wht, whtWith, cpuLineOps, type LineOps } from './ops';
export { whtAxes, sequencyPermutation, type WhtOrder } from './wht';
export { dwtAxes, filters, WAVELETS, type Wavelet, type DwtOptions } from './dwt';
export { resolveAxes } from './lines';
