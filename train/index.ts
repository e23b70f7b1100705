// The trainer's public names: datasets, metrics, reports, the training loop and the loss comparison.
export { imbalancedBlobs, spirals, classCounts, BLOB_CENTERS } from './data.js';
export type { Dataset, Split, BlobsOptions, SpiralsOptions } from './data.js';
export { confusionMatrix, classificationReport, expectedCalibrationError, argmaxRows } from './metrics.js';
export type { ClassMetrics, ClassificationReport } from './metrics.js';
export {
  linePlotSvg,
  decisionRegionsSvg,
  sideBySideSvg,
  formatTable,
  classificationTable,
  reportHtml,
  escapeXml,
  PALETTE,
} from './report.js';
export type { LineSeries, LinePlotOptions, DecisionRegionsOptions, Table, ReportSection } from './report.js';
export { lossCurvesSvg, recallCurvesSvg } from './plots.js';
export type { PlotSize } from './plots.js';
export { train, trainSteps, metricsJson, predictClasses, checkConfig, deriveSeeds, makeData, makeLoss, resolveAlpha } from './loop.js';
export type {
  TrainConfig,
  TrainHooks,
  TrainResult,
  EpochRecord,
  RunMetrics,
  LossName,
  LossFn,
  DataName,
  OptimizerName,
  AlphaSpec,
} from './loop.js';
export {
  compare,
  compareSteps,
  compareVariants,
  aggregate,
  formatMeanStd,
  compareJson,
  runFiles,
  compareFiles,
  runSummary,
  compareSummary,
  describeConfig,
  describeLoss,
  COMPARE_METRICS,
} from './compare.js';
export type { Variant, Aggregate, CompareRun, CompareResult, CompareHooks, OutputFile } from './compare.js';
