// The engine's public names, then (tagged internal, kept out of the .d.ts files and of the package's root
// namespace) the helpers the other folders share: losses/, models/, train/ and web/ import only from here.
export { Tensor, type BackwardOptions, type Op, type Operand, type Indices, type NestedArray } from './tensor.js';
export { tensor, zeros, ones, full, randn, rand, arange, oneHot, type TensorOptions, type FromValuesOptions } from './create.js';
export { rng, type Rng } from './rng.js';
export { noGrad } from './gradMode.js';
export { grad } from './autograd.js';
export { gradcheck, gradgradcheck, type GradcheckOptions, type GradcheckResult, type GradcheckWorst } from './gradcheck.js';
export { toDot, toGraph, type Graph, type GraphNode } from './dot.js';
export { withScope, scopePath, type Scope } from './scope.js';
export { traceBackward, type BackwardStep } from './trace.js';
export { publicBroadcastShapes as broadcastShapes, type Shape } from './shape.js';
export { where, type Condition } from './ops/elementwise.js';
export { concat, stack } from './ops/layout.js';
export { addmm } from './ops/matmul.js';
export { safeText, shorten, type TextDestination, type SafeTextOptions } from './safe-text.js';
export { setBackend, getBackend, type BackendName } from './wasm/backend.js';

/** @internal */
export { describeValue, formatShape } from './format.js';
/** @internal */
export {
  MAX_ELEMENTS,
  MAX_RANK,
  checkBoolean,
  checkFinite,
  checkInteger,
  checkOptions,
  checkRange,
  checkSize,
} from './checks.js';
/** @internal */
export { allocate } from './buffers.js';
/** @internal */
export { classIndices, type IndexTarget } from './ops/indexing.js';
/** @internal */
export { matmulAccumulate } from './kernels/matmul.js';
/** @internal */
export { setHelperThreadCount } from './wasm/backend.js';
