// Large gradient buffers of a plain backward pass, handed back once backward has consumed them.
// NOTE: why: a fresh 1 MB Float64Array costs 70–360 µs before it holds a value (calloc'd pages are
// faulted in and zeroed, and V8 counts it as external memory), while zero-filling a reused one
// costs 13–30 µs. An MLP step at batch 2048 makes about eight such gradients.
//
// A buffer is reused only when nothing but this module can still reach it. JavaScript has no
// reference counts, so backward keeps them for the buffers it allocates while it runs: `hold` for
// each pending gradient that refers to a buffer (views share it), `letGo` when a rule has consumed
// one, `escape` for a gradient handed out to the caller. Only a plain pass takes part: with
// createGraph the gradients are graph nodes that a caller may keep.
// NOTE: counts go by Float64Array identity. Views such as reshape share the array itself and are
// counted; an op whose output were a subarray of its input's array would escape the count (no op
// makes one: the subarrays in engine/ops are read or copied at once, never kept by a tensor).

/** Buffers below this many elements are left to V8: its small allocations are cheaper than the bookkeeping. */
export const MIN_POOLED = 4096;
/** The free list keeps at most this many bytes between passes (the rest is left to the GC). */
const MAX_FREE_BYTES = 32 * 1024 * 1024;

const free = new Map<number, Float64Array[]>();
let freeBytes = 0;
let reusedCount = 0;

// The current plain backward pass: each buffer allocated during it, with how many pending
// gradients refer to it. null outside a pass (and inside a createGraph pass).
let pass: Map<Float64Array, number> | null = null;

/** @internal a zero-filled Float64Array: from the free list inside a plain backward pass, else fresh. */
export function gradientBuffer(size: number): Float64Array {
  if (pass === null || size < MIN_POOLED) return new Float64Array(size);
  const reused = free.get(size)?.pop();
  let buffer: Float64Array;
  if (reused === undefined) {
    buffer = new Float64Array(size);
  } else {
    freeBytes -= reused.byteLength;
    reusedCount++;
    buffer = reused.fill(0);
  }
  pass.set(buffer, 0);
  return buffer;
}

/** @internal runs one backward pass; a plain one (`reuse`) with its own bookkeeping, any other with none. */
export function withBufferPass<T>(reuse: boolean, fn: () => T): T {
  const previous = pass;
  pass = reuse ? new Map() : null;
  try {
    return fn();
  } finally {
    pass = previous;
  }
}

/** @internal whether a buffer of this pass is referred to by exactly one pending gradient, so it may be written in place. */
export function soleHolder(data: Float64Array): boolean {
  return pass !== null && data.length >= MIN_POOLED && pass.get(data) === 1;
}

/** @internal one more pending gradient refers to this buffer. */
export function hold(data: Float64Array): void {
  if (pass === null || data.length < MIN_POOLED) return;
  const count = pass.get(data);
  if (count !== undefined) pass.set(data, count + 1);
}

/** @internal a pending gradient that referred to this buffer has been consumed; the last one frees it. */
export function letGo(data: Float64Array): void {
  if (pass === null || data.length < MIN_POOLED) return;
  const count = pass.get(data);
  if (count === undefined) return;
  if (count > 1) {
    pass.set(data, count - 1);
    return;
  }
  pass.delete(data);
  if (freeBytes + data.byteLength > MAX_FREE_BYTES) return;
  const list = free.get(data.length);
  if (list === undefined) free.set(data.length, [data]);
  else list.push(data);
  freeBytes += data.byteLength;
}

/** @internal a buffer that a rule made but no pending gradient took (summed into another, or unused). */
export function letGoIfUnheld(data: Float64Array): void {
  if (pass !== null && data.length >= MIN_POOLED && pass.get(data) === 0) letGo(data);
}

/** @internal the buffer leaves backward (a .grad, a returned gradient): it is never reused. */
export function escape(data: Float64Array): void {
  if (pass !== null && data.length >= MIN_POOLED) pass.delete(data);
}

/** @internal for tests: how many buffers have been reused so far, and the bytes on the free list. */
export function bufferStats(): { reused: number; freeBytes: number } {
  return { reused: reusedCount, freeBytes };
}
