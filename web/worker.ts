// The training worker: runs train/ off the main thread, posting each epoch's record and, at the end, the plots and tables.
import { classificationTable, describeLoss, runFigures, train, trainedSamples } from '../train/index.js';
import type { FromWorker, ToWorker } from './protocol.js';

// NOTE: train() runs all its epochs synchronously; in a worker that costs the page nothing,
// and terminating the worker is a clean Stop.
const post = (message: FromWorker): void => postMessage(message);

addEventListener('message', (event: MessageEvent<ToWorker>) => {
  try {
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
