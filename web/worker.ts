// The training worker: runs train/ off the main thread, posting each epoch's record and, at the end, the plots and tables; or a comparison, posting each finished run and then its tables.
import { type CompareOptions, INTERVAL_METHOD, classificationTable, compare, describeLoss, runFigures, selectionLine, train, trainedSamples } from '../train/index.js';
import type { FromWorker, ToWorker } from './protocol.js';

// NOTE: train() runs all its epochs synchronously; in a worker that costs the page nothing,
// and terminating the worker is a clean Stop.
const post = (message: FromWorker): void => postMessage(message);

addEventListener('message', (event: MessageEvent<ToWorker>) => {
  try {
    if (event.data.type === 'compare') {
      comparison(event.data.options);
      return;
    }
    const result = train(event.data.config, { onEpoch: (record) => post({ type: 'epoch', record }) });
    const figures = runFigures(result, describeLoss(result.config));
    post({
      type: 'done',
      regionsSvg: figures.regions.svg,
      regionsCaption: figures.regions.caption ?? null,
      reliabilitySvg: figures.reliability.svg,
      confusionSvg: figures.confusion.svg,
      table: classificationTable(result.final, result.split.test.classNames),
      final: result.final,
      loss: { loss: result.config.loss, gamma: result.config.gamma, alpha: result.alpha },
      samples: trainedSamples(result),
    });
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});

// The comparison runs its splits one after another here (the page keeps one worker); --jobs is the CLI's.
function comparison(options: CompareOptions): void {
  const result = compare(options, { onRunEnd: ({ index, total, variant }) => post({ type: 'progress', done: index + 1, total, variant }) });
  const j = result.seeds.length;
  const support = Object.entries(result.support).map(([name, n]) => `${name} ${n}`).join(', ');
  post({
    type: 'compared',
    table: result.table,
    differenceTable: result.differenceTable,
    lines: [
      `${j} ${result.kind === 'folds' ? 'folds' : 'splits'}; ${result.sizes.train} train / ${result.sizes.val} validation / ${result.sizes.test} test rows; test rows per class: ${support}.`,
      j === 1 ? 'One split: no spread, no interval.' : `Differences from ${result.baseline}: ${INTERVAL_METHOD}.`,
      selectionLine(result),
    ],
  });
}
