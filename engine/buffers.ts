// Memory: allocate() for every kernel's result, and the GradientStore that holds one backward sweep's
// pending gradients and hands their large buffers back to allocate() once the sweep has consumed them.
// NOTE: why reuse at all: a fresh 1 MB Float64Array costs 70–360 µs before it holds a value (calloc'd
// pages are faulted in and zeroed, and V8 counts it as external memory), while zero-filling a reused
// one costs 13–30 µs. An MLP step at batch 2048 makes about eight such gradients.
import { checkSize } from './checks.js';
import { formatShape } from './format.js';
import type { Tensor } from './tensor.js';

/** Buffers below this many elements are left to V8: its small allocations are cheaper than the bookkeeping. */
export const MIN_POOLED = 4096;
/** The free list keeps at most this many bytes between sweeps (the rest is left to the GC). */
const MAX_FREE_BYTES = 32 * 1024 * 1024;

const free = new Map<number, Float64Array[]>();
let freeBytes = 0;
let reusedCount = 0;

// The store of the plain backward sweep running now: allocate() draws from it. null outside a sweep,
// and inside a createGraph sweep, whose gradients are graph nodes a caller may keep.
let reusing: GradientStore | null = null;

/**
 * @internal A zero-filled Float64Array of `size` elements for the result of `fn` (the one way the
 * kernels allocate), or an Error naming `fn` and the shape when the size is beyond what a Float64Array
 * (or this machine's memory) can hold: never a RangeError from deep inside a kernel. Inside a plain
 * backward sweep, large buffers come from the free list.
 */
export function allocate(fn: string, size: number, shape?: readonly number[]): Float64Array {
  // NOTE: small results first, with nothing to check: most nodes of a long chain are small.
  if (size < MIN_POOLED && size >= 0 && Number.isInteger(size)) return new Float64Array(size);
  checkSize(fn, size, shape);
  if (reusing !== null) return reusing.buffer(size);
  try {
    return new Float64Array(size);
  } catch {
    // NOTE: below the cap, an allocation can still fail when the process is out of memory.
    throw new Error(`${fn}: cannot allocate ${shape === undefined ? `${size} elements` : `shape ${formatShape(shape)}`} (${size * 8} bytes): out of memory`);
  }
}

/**
 * @internal The gradients of one backward sweep: `add(input, g)` adds a share of an input's gradient,
 * `next()` names the node to visit next, `take(node)` hands over the sum of its shares, `deliver(leaf, g)`
 * adds it into a leaf's `.grad`, and `handOut(g)` gives it to the caller. Behind them, a plain sweep
 * (`reuse`) counts the references to each buffer it allocated, sums in place into a buffer nothing else
 * refers to, and frees a buffer for reuse once no pending gradient refers to it.
 */
// NOTE: the shares wait in a heap ordered by when their node was made (Tensor.made), latest first: every
// consumer of a node was made after it, so by the time a node is on top, every share it will get is in.
// That is a topological order with no visited set and no map from node to gradient: a 10,000-op chain
// pays no hashing per node. Shares of one node come off in the order they were added.
// NOTE: JavaScript has no reference counts, so the store keeps them for the buffers allocated while
// it runs, by Float64Array identity: views such as reshape share the array itself and are counted;
// an op whose output were a subarray of its input's array would escape the count (no op makes one:
// the subarrays in the kernels are read or copied at once, never kept by a tensor).
export class GradientStore {
  // The heap of shares: node, gradient, and the order they were added in (ties between shares of one node).
  private readonly nodes: Tensor[] = [];
  private readonly shares: Tensor[] = [];
  private readonly order: number[] = [];
  private added = 0;
  // Each buffer allocated during a plain sweep, with how many pending gradients refer to it; null when not reusing.
  private readonly counts: Map<Float64Array, number> | null;
  // The gradient taken last: the rule reading it may hand it on, so it is let go at the next node.
  private current: Tensor | null = null;

  constructor(reuse: boolean) {
    this.counts = reuse ? new Map() : null;
  }

  /** Runs the sweep `fn` with allocate() drawing from this store when it reuses buffers. */
  during<T>(fn: () => T): T {
    const previous = reusing;
    reusing = this.counts === null ? null : this;
    try {
      const result = fn();
      this.release();
      return result;
    } finally {
      reusing = previous;
    }
  }

  /** A share of the gradient of `input`. */
  add(input: Tensor, g: Tensor): void {
    this.hold(g.data);
    this.push(input, g);
  }

  /** The node to visit next: the one made last among those with shares, all of them in by now; null when none is left. */
  next(): Tensor | null {
    this.release();
    return this.nodes.length === 0 ? null : this.nodes[0];
  }

  /** The gradient gathered for `node` (the next one): the sum of its shares, in place where the store owns the buffer. */
  take(node: Tensor): Tensor {
    let g = this.pop();
    while (this.nodes.length > 0 && this.nodes[0] === node) {
      const share = this.pop();
      if (this.soleHolder(g.data)) {
        // The same bits as g.add(share).
        const sum = g.data;
        const add = share.data;
        for (let i = 0; i < sum.length; i++) sum[i] += add[i];
      } else {
        const sum = g.add(share);
        this.hold(sum.data);
        this.letGo(g.data);
        g = sum;
      }
      this.letGo(share.data);
    }
    this.current = g;
    return g;
  }

  /** g reaches a leaf: added (+=) into its `.grad`, whose first value is its own copy unless g's buffer is the store's alone. */
  // NOTE: a copy because a rule may hand one gradient to several inputs, and a user may change .grad.data in place.
  deliver(leaf: Tensor, g: Tensor): void {
    // g · 1 is a copy with g's bits; with createGraph g is a graph node and is kept as it is.
    const own = this.counts === null || this.soleHolder(g.data) ? g : g.mul(1);
    leaf.grad = leaf.grad === null ? own : leaf.grad.add(g);
    this.escape(leaf.grad.data);
  }

  /** g leaves the sweep (a stop's gradient, returned to the caller): its buffer is never reused. */
  handOut(g: Tensor): Tensor {
    this.escape(g.data);
    return g;
  }

  /** @internal a zero-filled buffer of `size` (≥ MIN_POOLED) elements for allocate(), from the free list if one is there. */
  buffer(size: number): Float64Array {
    const reused = free.get(size)?.pop();
    let buffer: Float64Array;
    if (reused === undefined) {
      buffer = new Float64Array(size);
    } else {
      freeBytes -= reused.byteLength;
      reusedCount++;
      buffer = reused.fill(0);
    }
    this.counts?.set(buffer, 0);
    return buffer;
  }

  // Heap order: the node made later first; between shares of one node, the one added first.
  private before(i: number, j: number): boolean {
    const a = this.nodes[i].made;
    const b = this.nodes[j].made;
    return a > b || (a === b && this.order[i] < this.order[j]);
  }

  private swap(i: number, j: number): void {
    const { nodes, shares, order } = this;
    const node = nodes[i];
    const share = shares[i];
    const added = order[i];
    nodes[i] = nodes[j];
    shares[i] = shares[j];
    order[i] = order[j];
    nodes[j] = node;
    shares[j] = share;
    order[j] = added;
  }

  private push(node: Tensor, g: Tensor): void {
    let i = this.nodes.length;
    this.nodes.push(node);
    this.shares.push(g);
    this.order.push(this.added++);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  // Removes the top share and returns its gradient.
  private pop(): Tensor {
    const top = this.shares[0];
    const last = this.nodes.length - 1;
    this.swap(0, last);
    this.nodes.pop();
    this.shares.pop();
    this.order.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < last && this.before(l, best)) best = l;
      if (r < last && this.before(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }

  // Whether exactly one pending gradient refers to this buffer of the sweep, so that it may be written in place.
  private soleHolder(data: Float64Array): boolean {
    return this.counts !== null && data.length >= MIN_POOLED && this.counts.get(data) === 1;
  }

  // One more pending gradient refers to this buffer.
  private hold(data: Float64Array): void {
    if (this.counts === null || data.length < MIN_POOLED) return;
    const count = this.counts.get(data);
    if (count !== undefined) this.counts.set(data, count + 1);
  }

  // A pending gradient that referred to this buffer has been consumed; the last one frees it.
  private letGo(data: Float64Array): void {
    if (this.counts === null || data.length < MIN_POOLED) return;
    const count = this.counts.get(data);
    if (count === undefined) return;
    if (count > 1) {
      this.counts.set(data, count - 1);
      return;
    }
    this.counts.delete(data);
    if (freeBytes + data.byteLength > MAX_FREE_BYTES) return;
    const list = free.get(data.length);
    if (list === undefined) free.set(data.length, [data]);
    else list.push(data);
    freeBytes += data.byteLength;
  }

  // The buffer leaves the sweep (a .grad, a returned gradient): it is never reused.
  private escape(data: Float64Array): void {
    if (this.counts !== null && data.length >= MIN_POOLED) this.counts.delete(data);
  }

  private release(): void {
    if (this.current === null) return;
    this.letGo(this.current.data);
    this.current = null;
  }
}

/** @internal for tests: how many buffers have been reused so far, and the bytes on the free list. */
export function bufferStats(): { reused: number; freeBytes: number } {
  return { reused: reusedCount, freeBytes };
}
