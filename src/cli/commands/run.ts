import path from 'node:path';
import { createAnalyzer } from '../../core/analysis';
import { NbprovError, UsageError } from '../../core/errors';
import type { Notebook } from '../../core/notebook/ipynb';
import { parametersCellIndex } from '../../core/notebook/tags';
import { parameterNameProblem } from '../../core/notebook/definedNames';
import { INJECTED_PARAMETERS_CELL_ID, type JsonValue, type SessionRecord } from '../../core/records';
import type { Store } from '../../core/store';
import { describeValue, trialFromSession, trialLabel, type BuiltTrial } from '../../core/trials';
import { executedNotebookJson } from '../../kernel/executedNotebook';
import { JupyterServerClient } from '../../kernel/jupyterServerClient';
import { redactServerUrl } from '../../kernel/serverUrl';
import type { KernelClient } from '../../kernel/kernelClient';
import { parseParam, pythonParametersCell, type Parameter } from '../../kernel/parameters';
import { HASH_FLUSH_SECONDS, RecorderSession } from '../../kernel/recorderSession';
import { runCells, type RunCell, type RunCellsResult } from '../../kernel/runCells';
import { parseCommandArgs, rejectExtraPositionals, requirePositional } from '../args';
import type { Command, CommandContext } from '../command';
import { checkUserFileWritable, readNotebookArg, sameFile, writeUserFile } from '../files';
import type { Output } from '../output';
import { firstLine } from '../output';
import { openWorkspace, RecordingSink } from '../session';
import { kernelInterpreterNote } from '../kernelInterpreter';
import { notebookKey } from '../workspace';
import { cliErrorMessage } from '../errorMessages';
import type { RunDocument } from '../../shared/cli';

const help = `
usage: nbprov run NOTEBOOK [--param name=value]… [--new-param name=value]… [--trial NAME] [--note TEXT] [--kernel NAME]
                  [--server URL] [--python PATH] [--output FILE] [--no-trial] [--json]

Executes the notebook's code cells top to bottom in a real Jupyter kernel, records every
execution (code, values, files read and written, environment) into the workspace store, and saves
a trial of the tagged variables. A failing cell stops the run; everything recorded up to it stays.
Each execution is saved within about a second of its cell finishing. Ctrl-C (or SIGTERM/SIGHUP)
interrupts the running cell, saves what finished and exits with 130 (143, 129); a second one exits
at once, keeping what was saved. Large arrays and frames are hashed by the kernel in the
background; before the trial the run waits up to 300 s for those hashes and says how many are
still missing (such values are never reported equal to another trial's).

options:
  --param name=value   override a parameter (papermill convention: injected as a cell after the
                       cell tagged "parameters"); values are JSON (200, 0.5, "text", [1, 2]),
                       True/False/None, or plain text. The name must be one the parameters
                       cell assigns (a typo is refused, naming the closest ones, before any cell
                       runs); without a parameters cell, one the notebook reads but never assigns
  --new-param name=value   inject a name the parameters cell does not assign, on purpose
  --trial NAME         name the trial saved at the end of the run
  --note TEXT          a note kept with the trial
  --no-trial           record the run without saving a trial
  --kernel NAME        kernel spec (default: the server's default, usually python3)
  --server URL         use a running Jupyter Server or JupyterHub (token from NBPROV_JUPYTER_TOKEN,
                       or the URL's ?token=, which is never printed)
                       instead of starting one on 127.0.0.1
  --python PATH        the Python that has jupyter_server and ipykernel (else NBPROV_PYTHON,
                       python3, /usr/bin/python3). A chosen one (--python, NBPROV_PYTHON) also
                       runs the kernel, whatever the installed python3 kernelspec names
  --output FILE        write the executed notebook (with outputs) to FILE; the input is never changed
  --json               {"trial":{"id","name"},"executions":N,"tagged":{name:{type,repr,value?,hash?,deferred?}},"pendingHashes":N}
`;

interface PlannedRun {
  cells: RunCell[];
  injected?: { afterIndex: number; cellId: string; code: string };
}

/** The cells to run, with papermill's parameters cell injected after the `parameters` cell (or first). */
function planRun(notebook: Notebook, params: readonly Parameter[], out: Output): PlannedRun {
  const code = notebook.cells.filter((c) => c.cellType === 'code');
  const foreign = code.find((c) => c.language !== 'python');
  if (foreign) {
    throw new NbprovError(`cell ${foreign.index} is ${foreign.language ?? 'not Python'}; nbprov run executes Python notebooks (record other kernels through the VS Code extension)`);
  }
  const cells: RunCell[] = code.map((c) => ({ cellId: c.id, cellIndex: c.index, code: c.source }));
  if (!params.length) return { cells };
  const tagged = parametersCellIndex(notebook);
  if (tagged < 0) out.note('note: no cell is tagged "parameters"; injecting the parameters before the first cell');
  const afterIndex = tagged;
  const injectedCode = pythonParametersCell(params);
  const position = cells.findIndex((c) => c.cellIndex > afterIndex);
  const injectedCell: RunCell = { cellId: INJECTED_PARAMETERS_CELL_ID, cellIndex: afterIndex + 1, code: injectedCode };
  cells.splice(position < 0 ? cells.length : position, 0, injectedCell);
  return { cells, injected: { afterIndex, cellId: INJECTED_PARAMETERS_CELL_ID, code: injectedCode } };
}

async function connect(values: { server?: string; kernel?: string; python?: string }, rootDir: string, ctx: CommandContext, out: Output): Promise<KernelClient> {
  if (values.server) {
    out.progress(`connecting to ${redactServerUrl(values.server)} …`);
    return JupyterServerClient.connectRemote({ url: values.server, token: ctx.env.NBPROV_JUPYTER_TOKEN }, { kernelName: values.kernel });
  }
  out.progress('starting a Jupyter Server and kernel on 127.0.0.1 …');
  return JupyterServerClient.startLocal({ rootDir, python: values.python, env: ctx.env, signal: ctx.signal }, { kernelName: values.kernel });
}

export const runCommand: Command = {
  name: 'run',
  summary: 'execute a notebook in a real kernel, record it, save a trial',
  help,
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs('run', argv, {
      param: { type: 'string', multiple: true },
      'new-param': { type: 'string', multiple: true },
      trial: { type: 'string' },
      note: { type: 'string' },
      'no-trial': { type: 'boolean' },
      kernel: { type: 'string' },
      server: { type: 'string' },
      python: { type: 'string' },
      output: { type: 'string' },
    });
    const notebookArg = requirePositional('run', positionals, 0, 'NOTEBOOK');
    rejectExtraPositionals('run', positionals, 1);
    if (values['no-trial'] && (values.trial || values.note)) throw new UsageError('--no-trial cannot be combined with --trial or --note');
    const out = ctx.output(Boolean(values.json));
    const checked = (values.param ?? []).map(parseParam);
    const parameters = [...checked, ...(values['new-param'] ?? []).map(parseParam)];
    const params: Record<string, JsonValue> = Object.fromEntries(parameters.map((p) => [p.name, p.value]));
    const { notebook, file: notebookFile } = readNotebookArg(ctx.cwd, notebookArg);
    if (checked.length) {
      const analyzer = await createAnalyzer();
      for (const p of checked) {
        const problem = parameterNameProblem(notebook, analyzer, p.name);
        if (problem) throw problem;
      }
    }
    const plan = planRun(notebook, parameters, out);
    if (values.output && (path.resolve(ctx.cwd, values.output) === notebookFile || sameFile(path.resolve(ctx.cwd, values.output), notebookFile))) {
      throw new NbprovError(`--output ${values.output} is the input notebook; pick another file (nbprov never overwrites the notebook it runs)`);
    }
    const { workspace, store } = await openWorkspace(ctx.cwd, out, values.workspace, notebookArg, true);
    // Before the first cell runs: a run whose record or output could not be saved is wasted work.
    try {
      await store!.checkWritable();
    } catch (err) {
      store!.close();
      throw new NbprovError(`nothing was run: ${err instanceof NbprovError ? cliErrorMessage(err, { cwd: ctx.cwd }) : String(err)}`);
    }
    if (values.output) checkUserFileWritable(ctx.cwd, values.output);
    const key = notebookKey(workspace, ctx.cwd, notebookArg);
    const sink = new RecordingSink(store!, {
      // The injected parameters cell is not a cell of the notebook on disk.
      adapt: (record) => (record.cellId === INJECTED_PARAMETERS_CELL_ID ? { ...record, cellIndex: null } : record),
      onSaveError: (err) => out.note(`warning: could not save the store yet (will retry): ${err instanceof Error ? err.message : String(err)}`),
    });

    const client = await connect(values, path.dirname(notebookFile), ctx, out);
    let result: RunCellsResult;
    try {
      const session = new RecorderSession(client, key);
      try {
        result = await runCells(client, plan.cells, {
          notebookPath: key,
          session,
          signal: ctx.signal,
          onProgress: (p) => {
            if (p.phase === 'start') {
              const label = p.cell.cellId === INJECTED_PARAMETERS_CELL_ID ? 'injected parameters' : `cell ${p.cell.cellIndex}`;
              out.progress(`[${p.index + 1}/${p.total}] ${label}: ${firstLine(p.cell.code, 60)}`);
            }
          },
          onRecord: (record) => sink.add(record, session.sessions),
          onPatches: (patches) => sink.addPatches(patches),
          flushSeconds: HASH_FLUSH_SECONDS,
        });
      } finally {
        out.endProgress();
      }
      sink.addSessions(result.sessions);
      await sink.flush();
    } catch (err) {
      await sink.flush().catch(() => undefined);
      throw err;
    } finally {
      sink.dispose();
      if (ctx.signal.aborted) out.note(`nbprov: ${sink.saved} execution(s) saved in ${path.relative(ctx.cwd, store!.filePath) || store!.filePath}; stopping the kernel …`);
      await client.dispose();
    }

    const interpreter = kernelInterpreterNote(client, result.session?.environment, values.kernel);
    if (interpreter) out.note(interpreter);
    const requested = values.trial !== undefined || values.note !== undefined;
    const trial = !values['no-trial'] && !result.failure ? await saveTrial(store!, notebook, key, result.session, params, values.trial, values.note, requested, out) : null;
    // After the trial: the record matters more than the copy, and a failed copy must not cost it.
    if (values.output) {
      try {
        writeUserFile(ctx.cwd, values.output, executedNotebookJson(notebook, result.outputs, plan.injected));
      } catch (err) {
        if (!(err instanceof NbprovError)) throw err;
        throw new NbprovError(`the run was recorded${trial ? ' and its trial saved' : ''}, but: ${err.message}`);
      }
    }

    if (out.json) {
      out.document({
        notebook: key,
        trial: trial ? { id: trial.id, name: trial.name } : null,
        executions: result.executions.length,
        failure: result.failure,
        tagged: trial ? Object.fromEntries(Object.entries(trial.tagged).map(([n, v]) => [n, { type: v.type, repr: v.repr, ...(v.value !== undefined ? { value: v.value } : {}), ...(v.hash ? { hash: v.hash } : {}), ...(v.deferred && !v.hash ? { deferred: v.deferred } : {}) }])) : {},
        missing: trial?.missing ?? [],
        recorderMs: Math.round(result.recorderMs * 10) / 10,
        pendingHashes: result.pendingHashes,
      } satisfies RunDocument);
      if (result.pendingHashes) out.note(`note: ${pendingHashesNote(result.pendingHashes, result.flushed)}`);
    } else {
      printSummary(out, key, result, trial);
    }
    if (result.failure) {
      out.note(`nbprov: ${result.failure.message}`);
      return result.failure.kind === 'interrupted' ? 130 : 1;
    }
    return 0;
  },
};

/**
 * Builds and saves the run's trial. A run without tagged variables is still fully recorded: the
 * missing trial is a note (an error when --trial or --note asked for one). A trial built but not
 * saved (disk full, store unwritable) is always an error: the run must not look successful.
 */
async function saveTrial(store: Store, notebook: Notebook, key: string, session: SessionRecord | null, params: Record<string, JsonValue>, name: string | undefined, note: string | undefined, requested: boolean, out: Output): Promise<BuiltTrial | null> {
  if (!session) return null;
  let trial: BuiltTrial;
  try {
    trial = trialFromSession({ store, notebook, notebookKey: key, analyzer: await createAnalyzer(), sessionId: session.id, name: name ?? null, note: note ?? null, params });
  } catch (err) {
    if (!(err instanceof NbprovError)) throw err;
    const why = cliErrorMessage(err, { cwd: process.cwd() });
    if (requested) throw new NbprovError(`the run was recorded but the requested trial was not saved: ${why}`);
    out.note(`note: no trial saved: ${why}`);
    return null;
  }
  store.saveTrial(trial);
  try {
    await store.save();
  } catch (err) {
    const why = err instanceof NbprovError ? cliErrorMessage(err, { cwd: process.cwd() }) : String(err);
    throw new NbprovError(`the run finished but its trial was not saved: ${why}`);
  }
  if (trial.nameTakenBy && out.json) out.note(`note: the name "${trialLabel(trial.nameTakenBy)}" is taken by trial ${trial.nameTakenBy.id}; this trial is "${trialLabel(trial)}"`);
  return trial;
}

function printSummary(out: Output, key: string, result: RunCellsResult, trial: BuiltTrial | null): void {
  const failed = result.executions.filter((e) => !e.success).length;
  out.line(`${key}: ${result.executions.length} execution(s) recorded${failed ? `, ${failed} failed` : ''}`);
  for (const failure of result.failure?.traceback ? [result.failure] : []) {
    out.line(`  ${failure.ename}: ${failure.evalue}`);
  }
  for (const line of recorderProblems(result.executions)) out.line(`  ${line}`);
  if (result.pendingHashes) out.line(`  ${pendingHashesNote(result.pendingHashes, result.flushed)}`);
  if (!trial) return;
  out.line(`trial ${trialLabel(trial)} (${trial.id})`);
  if (trial.nameTakenBy) out.line(`  the name "${trialLabel(trial.nameTakenBy)}" is taken by trial ${trial.nameTakenBy.id}, so this one is "${trialLabel(trial)}"`);
  for (const [name, value] of Object.entries(trial.tagged)) out.line(`  ${name.padEnd(18)} ${value.role.padEnd(8)} ${describeValue(value)}`);
  if (trial.missing.length) out.line(`  not recorded: ${trial.missing.join(', ')}`);
}

/** What it means that the kernel had not finished hashing some large values when the run ended. */
export function pendingHashesNote(pending: number, waited: boolean): string {
  const values = pending === 1 ? '1 large value is' : `${pending.toLocaleString('en-US')} large values are`;
  const why = waited ? `after waiting ${HASH_FLUSH_SECONDS} s for the kernel's background hasher` : `(the run ended before the kernel's background hasher finished)`;
  return `${values} still unhashed ${why}: recorded "hash pending", never reported equal to another value (diffs say "not compared")`;
}

const MAX_PROBLEM_LINES = 8;

/** What the recorder could not record, and why: nothing is left out silently. */
export function recorderProblems(executions: RunCellsResult['executions']): string[] {
  const lines: string[] = [];
  for (const execution of executions) {
    const where = execution.cellIndex === null ? 'injected parameters' : `cell ${execution.cellIndex}`;
    if (execution.recorderError) lines.push(`${where}: ${execution.recorderError}`);
    for (const value of execution.values) if (value.error) lines.push(`${where}: ${value.name} not fully recorded: ${value.error}`);
  }
  if (lines.length <= MAX_PROBLEM_LINES) return lines;
  return [...lines.slice(0, MAX_PROBLEM_LINES), `… and ${lines.length - MAX_PROBLEM_LINES} more recorder note(s)`];
}
