export {
  Tensor, sizeOf, stridesOf, sameShape, formatShape, MAX_TENSOR_ENTRIES, entriesOf, formatCount, entryLimit, sizeProblem, type DeferredValues, type Shape,
} from './tensor';
export {
  reshape, permute, permuteData, unfold, fold, frobeniusNorm, dot, maxAbs, map, zip, add, sub, mul, scale, axpy, assertSameShape,
} from './ops';
export { matmul, gemmRowsByRows, syrkRows, modeProduct, multiModeProduct, identity, outer, type MatmulOptions } from './matmul';
export { pad, slice, type PadMode, type SliceRange } from './shape-ops';
export { checkFinite, finiteSumSquares, normShift, scaleUp, scaledDown } from './checks';
export { blockMean } from './resample';
export { cpuThreads, defaultThreads, heapArray, heapBytes, heapGemmAdd, heapGemvN, heapGemvT, heapTranspose, inHeap, releaseHeapArray, setThreads, stopThreads } from './wasm/gemm';
