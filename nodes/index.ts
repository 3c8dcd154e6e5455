// The node registry: an explicit list (no registration by side effect), the single source for
// validation, the CLI's catalogue and the editor's palette.
import type { AnyNodeDefinition, Registry } from '../engine';
import { evaluateModel } from './evaluate/model';
import { evaluatePoints } from './evaluate/points';
import { transformChebyshev } from './transform/chebyshev';
import { decomposeChebyshevTucker } from './decompose/chebyshev-tucker';
import { decomposeCp } from './decompose/cp';
import { decomposeLowrankSubbands } from './decompose/subbands';
import { decomposeSvd } from './decompose/svd';
import { decomposeTt } from './decompose/tt';
import { decomposeTucker } from './decompose/tucker';
import { embedPlucker } from './embed/plucker';
import { compressModel } from './compress/model';
import { compareMethods } from './compare/methods';
import { exportNpy } from './export/npy';
import { exportOnnx } from './export/onnx';
import { exportSafetensors } from './export/safetensors';
import { adapterPissa } from './adapter/pissa';
import { grassmannAngles } from './grassmann/angles';
import { grassmannDistances } from './grassmann/distances';
import { grassmannFlow } from './grassmann/flow';
import { grassmannSimilarity } from './grassmann/similarity';
import { metricsCompare } from './metrics/compare';
import { metricsSize } from './metrics/size';
import { modelLayers } from './model/layers';
import { modelWeight } from './model/weight';
import { pluckerLines } from './plucker/lines';
import { sourceFunction } from './source/function';
import { sourceImage } from './source/image';
import { sourceNpy } from './source/npy';
import { sourceOnnx } from './source/onnx';
import { sourceSafetensors } from './source/safetensors';
import { sourceSynthetic } from './source/synthetic';
import { sourceRadiance } from './source/radiance';
import { radianceSample } from './radiance/sample';
import { radianceDistill } from './radiance/distill';
import { sweepRank } from './sweep/rank';
import { tensorPad } from './tensor/pad';
import { tensorPermute } from './tensor/permute';
import { tensorReconstruct } from './reconstruct';
import { tensorReshape } from './tensor/reshape';
import { tensorSlice } from './tensor/slice';
import { transformDct } from './transform/dct';
import { transformDwt } from './transform/dwt';
import { selectCoefficientsNode } from './select/coefficients';
import { transformWht } from './transform/wht';
import { viewHeatmap } from './view/heatmap';
import { viewLines } from './view/lines';
import { viewPlot } from './view/plot';
import { viewPoints } from './view/points';
import { viewRadiance } from './view/radiance';
import { viewTensor3d } from './view/tensor3d';
import { viewVolume } from './view/volume';

export const registry: Registry = {
  nodes: [
    sourceNpy, sourceSynthetic, sourceFunction, sourceImage, sourceOnnx, sourceSafetensors, sourceRadiance, radianceSample, radianceDistill, modelLayers, modelWeight, compressModel, compareMethods, evaluateModel, adapterPissa,
    decomposeSvd, decomposeTucker, decomposeCp, decomposeTt, decomposeLowrankSubbands, tensorReconstruct,
    transformDct, transformWht, transformDwt, selectCoefficientsNode,
    transformChebyshev, decomposeChebyshevTucker, evaluatePoints,
    tensorPad, tensorReshape, tensorPermute, tensorSlice,
    grassmannAngles, grassmannSimilarity, grassmannDistances, grassmannFlow, embedPlucker, pluckerLines,
    metricsCompare, metricsSize, sweepRank, exportNpy, exportOnnx, exportSafetensors, viewHeatmap, viewPlot, viewTensor3d, viewVolume, viewPoints, viewLines, viewRadiance,
  ] as unknown as AnyNodeDefinition[],
  renames: {},
};
