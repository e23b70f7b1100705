// Public names of train/: synthetic datasets, metrics and reports.
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
