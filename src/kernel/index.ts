/** Public API of the kernel layer: capture from real kernels. */
export * from './errors';
export type { Disposable, ExecuteError, ExecuteOptions, ExecuteResult, KernelClient, KernelInfo, KernelOutput, KernelStatus } from './kernelClient';
export { JupyterServerClient, checkServer, type KernelStartOptions, type RemoteServerOptions } from './jupyterServerClient';
export { startLocalJupyterServer, type LocalJupyterServer, type LocalServerOptions } from './localServer';
export { findJupyterPython, INSTALL_HINT, type JupyterPython, type FindPythonOptions } from './pythonDiscovery';
export { recorderSourcePath, assertIdentifier } from './recorderAsset';
export { installRecorder, uninstallRecorder, collect, RecorderSession, type CollectedBatch, type InstallResult } from './recorderSession';
export { toExecutionRecord, toEnvironmentRecord, toSessionRecord, executionId, type RawExecutionRecord, type RawEnvironment, type CellAttribution } from './recordConversion';
export { runCells, type RunCell, type RunCellsOptions, type RunCellsResult, type RunProgress, type CellRunFailure, type CellOutputs } from './runCells';
export { VsCodeJupyterClient, type VsCodeJupyterDeps } from './vscodeJupyterClient';
