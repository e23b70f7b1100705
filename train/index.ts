// The trainer's public names: datasets (built-in and a user's), registries, metrics, charts and reports, the training loop and the loss comparison.
export { imbalancedBlobs, spirals, classCounts, splitDataset, standardize, checkDataset, blobCenters, BLOB_CENTERS } from './data.js';
export type { Dataset, Split, BlobsOptions, SpiralsOptions, SplitOptions, Standardization } from './data.js';
export { needles, clusterCenters, NEEDLES_DEFAULTS } from './needles.js';
export type { NeedlesOptions } from './needles.js';
export { fromRows, readCsv } from './rows.js';
export type { FromRowsOptions, ReadCsvOptions } from './rows.js';
export { LOSSES, OPTIMIZERS, DATASETS, lookup } from './registry.js';
export type { LossFn, LossOption, LossSpec, OptimizerSpec, DatasetSpec } from './registry.js';
export {
  confusionMatrix,
  classificationReport,
  expectedCalibrationError,
  reliabilityBins,
  argmaxRows,
} from './metrics.js';
export type { ClassMetrics, ClassificationReport, ReliabilityBin } from './metrics.js';
export { PALETTE, classColors, escapeXml } from './svg.js';
export { safeText, shorten } from '../engine/safe-text.js';
export type { TextDestination, SafeTextOptions } from '../engine/safe-text.js';
export { linePlotSvg, decisionRegionsSvg, sideBySideSvg, heatmapSvg } from './charts.js';
export type { LineSeries, LinePlotOptions, DecisionRegionsOptions, HeatmapOptions } from './charts.js';
export { formatTable, classificationTable, reportHtml } from './report.js';
export type { Table, ReportSection, ReportFigure } from './report.js';
export { lossCurvesSvg, recallCurvesSvg, reliabilitySvg, confusionSvg, regionsSvg } from './plots.js';
export type { PlotSize } from './plots.js';
export {
  train,
  trainSteps,
  prepareRun,
  PreparedRun,
  defaultConfig,
  predictClasses,
  deriveSeeds,
  resolveAlpha,
  runToEnd,
} from './loop.js';
export type { TrainConfig, TrainHooks, TrainResult, EpochRecord, RunMetrics, AlphaSpec } from './loop.js';
export { trainedSamples } from './samples.js';
export type { TrainedSample } from './samples.js';
export { compare, compareSteps, compareVariants, compareMetrics, aggregate, formatMeanStd } from './compare.js';
export type { Variant, Aggregate, CompareRun, CompareResult, CompareHooks, CompareMetric } from './compare.js';
export {
  runFiles,
  compareFiles,
  compareJson,
  metricsJson,
  configJson,
  dataLabel,
  runSummary,
  compareSummary,
  runFigures,
  describeRun,
  describeLoss,
} from './files.js';
export type { OutputFile } from './files.js';
