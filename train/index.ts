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
export { prepareRun, prepareRefit, PreparedRun, defaultConfig, deriveSeeds, resolveAlpha } from './config.js';
export type { TrainConfig, AlphaSpec } from './config.js';
export { splitRows, splitStandardized, carveValidation, selectRows, concatRows } from './split.js';
export type { TrainSplit, SplitRows, SplitRowsOptions } from './split.js';
export { EarlyStopping } from './earlyStopping.js';
export type { StopInfo } from './earlyStopping.js';
export { studentTCdf, studentTQuantile, incompleteBeta, correctedInterval } from './stats.js';
export type { PairedInterval } from './stats.js';
export { train, trainSteps, predictClasses, runToEnd, epochBudget, patienceEpochs, MIN_AUTO_EPOCHS, MIN_AUTO_PATIENCE, PATIENCE_STEPS } from './loop.js';
export type { TrainHooks, TrainResult, EpochRecord, RunMetrics, Refit } from './loop.js';
export { trainedSamples } from './samples.js';
export type { TrainedSample } from './samples.js';
export {
  compare,
  compareSteps,
  compareVariants,
  compareMetrics,
  planComparison,
  runTask,
  summarizeComparison,
  aggregate,
  formatMeanStd,
  formatInterval,
  FEW_ROWS,
  DEFAULT_SEEDS,
} from './compare.js';
export type {
  Aggregate,
  CompareOptions,
  ComparePlan,
  CompareTask,
  TaskResult,
  SelectMetric,
  CompareRun,
  CompareResult,
  CompareHooks,
  CompareMetric,
  RunInfo,
} from './compare.js';
export { DEFAULT_GRID, parseGrid, expandGrid, baselineIndex } from './grid.js';
export type { Grid, GridKey, Variant } from './grid.js';
export {
  runFiles,
  compareFiles,
  compareJson,
  metricsJson,
  configJson,
  dataLabel,
  runSummary,
  compareSummary,
  selectionLine,
  stopLine,
  perClassByName,
  INTERVAL_METHOD,
  runFigures,
  describeRun,
  describeLoss,
} from './files.js';
export type { OutputFile } from './files.js';
