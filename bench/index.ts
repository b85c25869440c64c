/**
 * `npm run bench`: every performance figure the issues set targets for, printed side by side in
 * one run (these machines are shared and noisy, so ratios are measured within a run, never
 * asserted in unit tests). Runs from an esbuild bundle, like the shipped CLI.
 */
import { silenceLibraryDebugLogs } from '../src/cli/libraryLogs';
import { benchActivation } from './activation';
import { benchBigData } from './bigData';
import { benchCapture } from './capture';
import { benchCore } from './core';
import { benchEditorKernel } from './editor';
import { benchEditor } from './editorFeatures';
import { benchLineage } from './lineage';
import { benchRoundtrip } from './roundtrip';
import { benchFactsReuse, benchStartup } from './startup';
import { benchPanels } from './panels';
import { benchStore, formatStoreBench } from './store';
import { benchTrialStores, benchTrials } from './trials';

async function main(): Promise<void> {
  silenceLibraryDebugLogs();
  const only = process.argv.slice(2);
  const want = (name: string) => only.length === 0 || only.includes(name);
  const started = performance.now();
  if (want('core')) await benchCore();
  if (want('startup')) {
    console.log('\n== Start-up: bundles, nbprov --help and analyze beside bare node (issue 7) ==');
    await benchStartup();
  }
  if (want('facts')) {
    console.log('\n== Facts reuse: lineage cold vs warm (issue 7) ==');
    await benchFactsReuse();
  }
  if (want('lineage')) {
    console.log('\n== Lineage alone, on hand-built facts (worst case: every execution in the slice) ==');
    benchLineage();
  }
  if (want('store')) {
    console.log('\n== Store: save, reopen, merge, trial series ==');
    console.log(formatStoreBench(await benchStore()));
  }
  if (want('trials')) {
    console.log('\n== Trials: build, diff, order diff, series, charts (issue 4) ==');
    await benchTrials();
    await benchTrialStores();
  }
  if (want('panels')) {
    console.log('\n== Editor panels: lineage graph, Trials tree, across trials (issue 9) ==');
    await benchPanels();
  }
  if (want('capture')) {
    console.log('\n== Capture: recording overhead in a real kernel (issue 3) ==');
    await benchCapture();
  }
  if (want('data')) {
    console.log('\n== Capture on real-sized data: pandas 1 M rows, numpy 50 M elements (issue 13) ==');
    await benchBigData();
  }
  if (want('roundtrip')) {
    console.log('\n== Kernel round trip: nbprov vs direct ZeroMQ, with and without TCP_NODELAY (issue 7) ==');
    await benchRoundtrip();
  }
  if (want('editor')) {
    console.log('\n== Editor: activation bundle, hover, CodeLens and cell status, record-to-store (issue 8) ==');
    await benchEditor();
  }
  if (want('editor-kernel')) {
    console.log('\n== Editor kernel path: what "nbprov: Python" adds to a recorded cell (issue 8) ==');
    await benchEditorKernel();
  }
  if (want('activation')) {
    console.log('\n== Editor: extension activation before first use (issue 8) ==');
    benchActivation();
  }
  console.log(`\nbench finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
