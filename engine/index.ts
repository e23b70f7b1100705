// The engine's public names.
export { Tensor, type BackwardOptions, type Op, type Operand, type Indices, type NestedArray } from './tensor.js';
export { tensor, zeros, ones, full, randn, rand, arange, oneHot, type TensorOptions, type FromValuesOptions } from './create.js';
export { rng, type Rng } from './rng.js';
export { noGrad } from './gradMode.js';
export { grad } from './autograd.js';
export { gradcheck, gradgradcheck, type GradcheckOptions, type GradcheckResult, type GradcheckWorst } from './gradcheck.js';
export { toDot } from './dot.js';
export { toGraph, type Graph, type GraphNode } from './dot.js';
export { withScope, scopePath, type Scope } from './scope.js';
export { traceBackward, type BackwardStep } from './trace.js';
export { publicBroadcastShapes as broadcastShapes, type Shape } from './shape.js';
export { where, type Condition } from './ops/elementwise.js';
export { concat, stack } from './ops/layout.js';
export { addmm } from './ops/matmul.js';
/** @internal */
export { checkOptions, describeValue, formatShape } from './checks.js';
/** @internal */
export { classIndices } from './tensor.js';
