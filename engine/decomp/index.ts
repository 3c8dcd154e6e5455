export { tucker, tuckerWith, type TuckerOptions, type TuckerResult } from './tucker';
export { cpuDenseOps, type DenseOps } from './ops';
export { cp, cpWith, cpReconstruct64, type CpOptions, type CpResult } from './cp';
export { mttkrp } from './cp-mttkrp';
export { tt, ttWith, ttReconstruct, type TtOptions, type TtResult } from './tt';
export { type IterationHook } from './common';
export { randomizedSvd, randomizedSvdWith, truncatedSvd, truncatedSvdWith, type SvdOptions, type SvdResult } from './svd';
export { lowrankSubbands, subbandBlocks, type SubbandOptions, type SubbandBlock } from './subbands';
