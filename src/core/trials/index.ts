/** Trials: capture, comparison, series, charts, export and tag suggestions — pure functions over records. */
export { buildTrial, type BuildTrialInput, type BuiltTrial, type TaggedSlice } from './buildTrial';
export { compareTrials, type TrialDiff, type CommonValue, type OneSidedValue, type ParamDiff, type FileDiff, type PackageDiff, type EnvironmentDiff, type TrialRef } from './compare';
export { compareValues, type ValueComparison, type ValueChange } from './valueDiff';
export { formatTrialDiff } from './formatDiff';
export { describeValue } from './describeValue';
export { operationOrderDiff, orderedOperations, operationLine, operationListing } from './operationOrder';
export { valueSeries, seriesFromRows, seriesToCsv, type ValueSeries, type SeriesRow, type StoredValueRow } from './series';
export { renderSeriesSvg, type PlotOptions } from './plot';
export { exportStore, trialsToCsv, type ExportFormat, type StoreExport } from './exportStore';
export { toProvJson, NBPROV_NAMESPACE, type ProvDocument } from './exportProv';
export { suggestTags, looksLikeMetricName, type TagSuggestion, type SuggestionCell, type SuggestedRole } from './suggest';
export { resolveTrial, trialLabel } from './resolve';
export { numericValue, formatNumber } from './numbers';
export { TrialError, UnknownVariableError, UnknownTrialError, AmbiguousTrialError, TrialBuildError, UnknownExportFormatError, NoRecordedSessionError, NoTaggedVariablesError, EXPORT_FORMATS } from './errors';
export { alignedTable } from './table';
export { trialFromSession, latestSessionId, type SessionTrialInput } from './sessionTrial';
export { recordedValues } from './recordedValues';
