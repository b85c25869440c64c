/** The workspace store: see docs/architecture.md §2, item 3. */
export { openStore, openStoreAt, storePath, Store, STORE_DIR, STORE_FILE } from './store';
export type { OpenStoreOptions, SaveResult, StoreStats } from './store';
export type { ListExecutionsOptions, LatestValue, NotebookSummary } from './executions';
export type { FactsKey } from './facts';
export { codeHash } from './facts';
export type { NotebookTags, VariableTag } from './tags';
export type { TrialSummary, TrialHead, TrialHeadOptions, TrialSeriesRow, TrialSeriesOptions } from './trials';
export type { StoreFs, FileStat } from './persistence';
export { nodeStoreFs } from './persistence';
export { MIGRATIONS, SCHEMA_VERSION, migrate, readSchemaVersion } from './migrations';
export type { Migration } from './migrations';
export {
  StoreError,
  StoreNewerSchemaError,
  StoreUnwritableError,
  StoreUnreadableError,
  StoreBusyError,
  StoreWasmNotFoundError,
  StoreInputError,
  StoreCorruptWarning,
} from './errors';
export type { StoreWarning } from './errors';
