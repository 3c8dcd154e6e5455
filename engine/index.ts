// The engine's public API: what nodes/, the CLI and (later) the editor's worker may import.
export * from './tensor';
export * from './values';
export { cpuBackend, type Backend, type BackendName, type DctOptions, type WhtOptions } from './backend';
export {
  defineNode, findNode, accepts, describeAccepts,
  type NodeDefinition, type AnyNodeDefinition, type InputSpec, type OutputSpec, type RunContext, type Registry,
  type FileResolver, type OutputSink, type InputValues, type OutputValues, type ViewRequest, type ViewSink, type ShapeCheck, type ModelRuntime, type GraphView,
} from './node-api';
export { RandomSource } from './random';
export { readNpy, writeNpy, NpyError } from './io/npy';
export { decodeImage, ImageError } from './io/image';
export { base64ToBytes, bytesToBase64, fileRefs, withEmbeddedFiles, type FileRef } from './io/embedded';
export { compileExpression, evaluateOnGrid, ExpressionError, type CompiledExpression } from './expr';
export { syntheticTensor, checkSyntheticRanks, sourceSizeProblem, syntheticCostProblem, type SyntheticKind } from './synthetic';
export { GRAPH_FORMAT, GRAPH_VERSION, GraphSchema, graphJsonSchema, type GraphDoc, type GraphNode, type GraphEdge } from './graph/schema';
export { parseGraphText, loadGraph, parseGraphOrThrow, serializeGraph, tooDeep, MAX_NESTING, type LoadResult } from './graph/load';
export { validateGraph, type ValidateOptions, type ValidatedGraph } from './graph/validate';
export { DEFAULT_MAX_SECONDS, SHOW_ETA_FROM_SECONDS, RATES, costMessage, remainingSeconds, cpCost, exactSvdSeconds, formatDuration, functionCost, svdCost, ttCost, tuckerCost, type CostEstimate } from './cost';
export { paramInfo, describeRange, type ParamInfo } from './graph/params';
export { GraphError, formatProblem, type Problem, type ProblemCode } from './graph/problems';
export { MAX_ID_LENGTH, printable, printableJson, safeId, unsafeIdReason } from './graph/ids';
export {
  addNode, connect, extractFragment, freshId, moveNodes, pasteInto, removeItems, setParam, setParams, setTitle, setBypass, setCollapsed, frameNodes, updateFrame, removeFrame, nodesInFrame, type Frame,
} from './graph/edit';
export { runGraph, runNode, describeFailure, checkForRun, CancelledError, type RunOptions, type RunResult } from './scheduler/run';
export { encodeRecord, decodeRecord, recordDigest, RecordError } from './scheduler/codec';
export { sha256Hex, stableStringify } from './scheduler/keys';
export { whyLocal, type NodeJob, type TaskJob, type RemoteExecutor, type RemoteResult } from './scheduler/remote';
export { findTask, tasks, type TaskDefinition } from './tasks';
export { OutputCache, type NodeOutputs } from './scheduler/cache';
export type { RunEvent, NodeRecord, NodeStatus } from './scheduler/events';
export {
  tucker, cp, tt, truncatedSvd, randomizedSvd, lowrankSubbands,
  type TuckerOptions, type TuckerResult, type CpOptions, type CpResult, type TtOptions, type TtResult,
  type SvdOptions, type SvdResult, type IterationHook,
} from './decomp';
export { errorRatio, relError64 as relativeError } from './decomp/dense64';
export { dct, dctMatrix, wht, dwt, filters, sequencyPermutation, resolveAxes, WAVELETS, type Wavelet, type WhtOrder, type DwtOptions } from './transforms';
export { chebyshevNodes, chebyshevCoefficients, chebyshevSizeProblem, evaluateChebyshev } from './chebyshev';
export {
  mat, mul, qr, eigh, svd, chooseRank, khatriRao, kronecker, pinv, lstsq, cholesky, invertUpper,
  type Mat, type Svd, type RankChoice,
} from './linalg';
export { WebGpuBackend } from './webgpu/backend';
export { chooseBackend, type BackendChoice, type BackendPreference } from './webgpu/choose';
export type { AdapterFacts } from './webgpu/runtime/device';
export { EPS32, anglesBetween, classicalMds, grassmannDistance, orderedDirections, orthonormalBasis, principalAngles, subspaceSimilarity, type GrassmannMetric } from './geometry/grassmann';
export { kleinResidual, pluckerInto, pluckerLine, pluckerSize } from './geometry/plucker';
export { grassmannFlowFeatures } from './geometry/flow';
export { SAFETENSORS_DTYPES, SafetensorsError, entryTensor, readSafetensors, tensorEntry, writeSafetensors, type SafetensorsDtype, type SafetensorsEntry, type SafetensorsFile } from './io/safetensors';
export { OnnxError, cloneModel, externalBytes, hasExternalData, readOnnx, resolveExternalData, setWeight, weightBytes, weightCount, weightTensor, weightsOf, writeOnnx, type ExternalReader, type ModelProto, type NodeProto, type TensorProto } from './io/onnx';
export { layerNamed, layersOf, singularValuesOf, type Layer, type LayerOp } from './model/layers';
export { allocateBudget, defaultForm, patternMatches, rankForEnergy, ranksForRatio, rewriteParams, tailShares, type BudgetLayer, type RewriteForm } from './model/plan';
export { factorizeConv, factorizeConvCp, factorizeMatMul, factorizeMatrix, layerFactors, type LayerFactors, type FactorRequest, type Computed, lowRankFactors, splitSvd, subbandWeight, transformWeight, type RewriteResult, type Scaling } from './model/compress';
export { LayerActivations, calibrationBytes, collectActivations, isMatrixLayer, layerShapes, xSideMatrix, type LayerShapes } from './model/calibration';
export { convGeometry, layerMacs, modelInputShape, rewriteMacs } from './model/shapes';
export { coefficientParams, coefficientTails, forwardTransform, gridOf, inverseTransform, largest, type TransformKind, type TransformSpec } from './model/transform';
export { blockParams, layerSubbands, ranksOfSteps, subbandApproximation, subbandParams, subbandSteps, type LayerSubbands, type SubbandStep } from './model/subbands';
export { CURVE_METHODS, energyCurves, type CurveMethod, type EnergyCurve } from './model/curves';
export { ctcClasses, ctcGreedy, editDistance, readingScores } from './model/ctc';
export { onnxModelRuntime, type Ort } from './model/runtime';
export { DENSITY_SHIFT, VM_PAIRS, denseFromGrid, emptyField, evaluateField, paramCount, paramShapes, sampleField, zerosLike, type RadianceArch, type RadianceField } from './radiance/field';
export { HASH_BASE, encodingWidth, hashLevels, initNeural, neuralShapes, type NeuralSizes } from './radiance/neural';
export { DEFAULT_RENDER, cameraRays, orbitCamera, psnr, rayBox, renderImage, renderRays, samplePoints, type Camera, type RenderOptions, type Vec3 } from './radiance/render';
export { SCENES, sceneField, type SceneName } from './radiance/scenes';
export { DEFAULT_LR, DISTILL_DEFAULTS, PSNR_RENDER, distill, psnrCameras, viewsPsnr, type DistillOptions, type DistillResult } from './radiance/distill';
