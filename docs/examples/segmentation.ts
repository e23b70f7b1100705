// A model the demo does not have: per-pixel segmentation of noisy images with the dense focal loss.
// Run: npx tsx docs/examples/segmentation.ts   (docs/example-segmentation.md walks through it)
import { type Rng, Tensor, concat, randn, rng, tensor, zeros } from '../../index.js';
import { focalLoss } from '../../losses/index.js';
import { Adam } from '../../models/index.js';

const N = 16, H = 8, W = 8;

/** Noisy [N, 1, H, W] images with a bright 3×3 square each, and its [N, H, W] mask (class 1, ~14% of pixels). */
export function makeImages(random: Rng): { images: Tensor; masks: Tensor } {
  const images = randn([N, 1, H, W], random).data;
  const masks = new Float64Array(N * H * W);
  for (let n = 0; n < N; n++) {
    const top = random.int(H - 2), left = random.int(W - 2);
    for (let i = top; i < top + 3; i++) {
      for (let j = left; j < left + 3; j++) {
        masks[(n * H + i) * W + j] = 1;
        images[(n * H + i) * W + j] += 1.5;
      }
    }
  }
  return { images: tensor(images, { shape: [N, 1, H, W] }), masks: tensor(masks, { shape: [N, H, W] }) };
}

// x shifted by one pixel along `axis` (2: rows, 3: columns), zeros coming in at the edge.
function shift(x: Tensor, axis: number, by: 1 | -1): Tensor {
  const size = x.shape[axis];
  const edge = zeros(x.shape.map((s, i) => (i === axis ? 1 : s)));
  return by === 1 ? concat([edge, x.narrow(axis, 0, size - 1)], axis) : concat([x.narrow(axis, 1, size - 1), edge], axis);
}

/** The features of each pixel: itself and its four neighbours, as channels [N, 5, H, W]. */
export function features(images: Tensor): Tensor {
  return concat([images, shift(images, 2, 1), shift(images, 2, -1), shift(images, 3, 1), shift(images, 3, -1)], 1);
}

/** A two-layer per-pixel network (a 1×1 convolution): [N, 5, H, W] → logits [N, 2, H, W]. */
export function makeModel(random: Rng): { forward: (x: Tensor) => Tensor; parameters: Tensor[] } {
  const w1 = randn([5, 16], random).mul(0.4).detach();
  const w2 = randn([16, 2], random).mul(0.25).detach();
  const b1 = zeros([16]);
  const b2 = zeros([2]);
  const parameters = [w1, b1, w2, b2];
  for (const p of parameters) p.requiresGrad = true;
  // permute moves the channels last, so that matmul works on [N, H, W, 5]·[5, 16] (its batch axes broadcast).
  const forward = (x: Tensor): Tensor => x.permute(0, 2, 3, 1).matmul(w1).add(b1).relu().matmul(w2).add(b2).permute(0, 3, 1, 2);
  return { forward, parameters };
}

/** Trains with the dense focal loss and reports the loss and the foreground IoU before and after. */
export function trainSegmentation(steps = 150, seed = 0): { lossBefore: number; lossAfter: number; iouBefore: number; iouAfter: number } {
  const random = rng(seed);
  const { images, masks } = makeImages(random);
  const x = features(images);
  const model = makeModel(random);
  const optimizer = new Adam(model.parameters, { lr: 0.03 });
  const lossNow = (): Tensor => focalLoss(model.forward(x), masks, { gamma: 2, alpha: [0.25, 1] });
  const iou = (): number => {
    const predicted = model.forward(x).argmax(1).data; // class per pixel, [N, H, W]
    let both = 0, either = 0;
    predicted.forEach((p, i) => {
      both += +(p === 1 && masks.data[i] === 1);
      either += +(p === 1 || masks.data[i] === 1);
    });
    return either === 0 ? 0 : both / either;
  };
  const lossBefore = lossNow().item();
  const iouBefore = iou();
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    lossNow().backward();
    optimizer.step();
  }
  return { lossBefore, lossAfter: lossNow().item(), iouBefore, iouAfter: iou() };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(trainSegmentation());
