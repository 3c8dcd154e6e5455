export { dct, dctMatrix } from './dct';
export { wht, whtAxes, sequencyPermutation, type WhtOrder } from './wht';
export { dwt, dwtAxes, filters, WAVELETS, type Wavelet, type DwtOptions } from './dwt';
export { resolveAxes } from './lines';
