/**
 * Plots and the report of a run, as pure functions of its record: SVG loss curves, SVG
 * scatter plots of real against generated data, and a self-contained HTML page; the record
 * of a sweep (many runs) and its summary; grayscale PNG images (a grid of digits).
 *
 * @module
 */
export type { CriticGrid, CriticGridSpec, DigitMetricsRecord, RunRecord, SampleSnapshot } from './run-record.js'
export type { MetricQuartiles, SuccessClause, SuccessCriterion, SweepMetric, SweepRecord, SweepRun, SweepSetting } from './sweep-record.js'
export {
  DEFAULT_SUCCESS,
  SWEEP_METRICS,
  type SweepSummaryInput,
  isSuccess,
  parseSuccessCriterion,
  representativeRuns,
  successText,
  summarizeSweep,
} from './sweep-summary.js'
export { type RepresentativeSamples, type SweepSample, successRateText, sweepHtml } from './sweep-html.js'
export { configRows, finalLossLine, reportHtml } from './html.js'
export { LOSS_COLOURS, type LossPlotOptions, type LossReference, MAX_MARKED_EPOCHS, lossPlotSvg } from './loss-plot.js'
export { lossReferences } from './objective-notes.js'
export { GRID_SEPARATOR_GREY, type GrayImage, MAX_PNG_SIDE, type PngOptions, base64, digitGrid, digitRowsGrid, encodePng } from './png.js'
export { CRITIC_COLOURS, SAMPLE_COLOURS, type SamplesPlotOptions, sampleRanges, samplesPlotSvg, snapshotPlotsSvg } from './scatter-plot.js'
export {
  type Interval,
  type LegendEntry,
  type PlotArea,
  type TickOptions,
  type Ticks,
  assertFinite,
  attributes,
  axesSvg,
  escapeXml,
  fitTicks,
  formatNumber,
  legendSvg,
  linearScale,
  niceTicks,
  svgDocument,
  textWidth,
  truncateText,
  widest,
} from './svg.js'
