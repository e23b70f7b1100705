// docs/example-segmentation.md: the example trains, and the table it prints is what the code gives.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { features, makeImages, trainSegmentation } from '../../docs/examples/segmentation.js';
import { rng } from '../../engine/index.js';

const doc = readFileSync(new URL('../../docs/example-segmentation.md', import.meta.url), 'utf8');

test('the features are the pixel and its four neighbours, zeros past the edge', () => {
  const { images } = makeImages(rng(1));
  const f = features(images); // [16, 5, 8, 8]
  assert.equal([...f.shape], [16, 5, 8, 8]);
  const at = (c: number, i: number, j: number): number => f.data[((0 * 5 + c) * 8 + i) * 8 + j];
  const pixel = (i: number, j: number): number => images.data[i * 8 + j];
  assert.is(at(0, 3, 4), pixel(3, 4));
  assert.is(at(1, 3, 4), pixel(2, 4), 'channel 1: the pixel above');
  assert.is(at(2, 3, 4), pixel(4, 4), 'channel 2: the pixel below');
  assert.is(at(3, 3, 4), pixel(3, 3), 'channel 3: the pixel to the left');
  assert.is(at(4, 3, 4), pixel(3, 5), 'channel 4: the pixel to the right');
  assert.is(at(1, 0, 4), 0, 'nothing above the first row');
  assert.is(at(4, 2, 7), 0, 'nothing right of the last column');
});

test('training lowers the dense focal loss and lifts the foreground IoU, as the doc\'s table says', () => {
  const r = trainSegmentation();
  assert.ok(r.lossAfter < r.lossBefore / 5, `loss ${r.lossBefore} → ${r.lossAfter}`);
  assert.ok(r.iouAfter > 0.6 && r.iouBefore < 0.1, `IoU ${r.iouBefore} → ${r.iouAfter}`);
  for (const shown of [r.lossBefore.toFixed(3), r.lossAfter.toPrecision(3), r.iouBefore.toFixed(3), r.iouAfter.toFixed(3)]) {
    assert.ok(doc.includes(shown), `the doc should show ${shown}`);
  }
});

test.run();
