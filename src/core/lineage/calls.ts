/**
 * What a call of a notebook-defined function does, judged at the moment of the call.
 *
 * A function reads its free variables when it runs, not when it is defined, so a call uses the
 * versions of those names that reach the calling statement — through its callees too, resolved
 * the same way. The call also changes what the function changes: the arguments passed for the
 * parameters it mutates, the globals it mutates, and the globals it rebinds.
 */
import type { CallSite, FunctionFact } from '../analysis/facts';
import { isPureModule } from '../analysis/call-rules';
import type { CalledFunction } from './types';
import { unique } from './statements';

/** The current version of a name while the graph is built. */
export interface Binding {
  operation: number;
  /** The name was removed by `del` at `operation`. */
  deleted?: true;
  /** Set when the version's value is a function or class defined in the notebook. */
  function: { fact: FunctionFact; definedAt: number } | null;
  /** Set when the name was bound by an import from this module. */
  module?: string;
  /** Set when the value is a constant string (a path). */
  text?: string;
  /** Set when the value is a Python list, tuple or str: its slices are copies. */
  sequence?: true;
}

/** What a notebook function changes when called, through the functions it calls too. */
interface FunctionSummary {
  params: Set<string>;
  globals: Set<string>;
}

type Summaries = Map<FunctionFact, FunctionSummary> & { cuts?: number };

export interface CallEffects {
  uses: string[];
  mutates: string[];
  defines: string[];
  called: CalledFunction[];
}

const SIMPLE_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

export function callEffects(calls: readonly CallSite[], lookup: (name: string) => Binding | undefined, referenced: readonly string[] = []): CallEffects {
  const effects: CallEffects = { uses: [], mutates: [], defines: [], called: [] };
  const direct = new Set<string>();
  const summaries: Summaries = new Map();
  for (const call of calls) {
    if (!SIMPLE_NAME.test(call.callee)) continue;
    const target = lookup(call.callee)?.function;
    if (!target) continue;
    direct.add(call.callee);
    effects.mutates.push(...mutatedArguments(call, target.fact, summarize(target.fact, lookup, summaries, new Set()).params));
    addTransitiveEffects(call.callee, target, lookup, effects, summaries);
  }
  // A function passed on as a value (`rows.filter(keep)`, `df.apply(score)`, `g = f`) can run
  // during this statement or any later one, so what it reads and changes counts here too.
  for (const name of referenced) {
    if (direct.has(name)) continue;
    const target = lookup(name)?.function;
    if (target) addTransitiveEffects(name, target, lookup, effects, summaries);
  }
  return {
    uses: unique(effects.uses),
    mutates: unique(effects.mutates),
    defines: unique(effects.defines),
    called: effects.called,
  };
}

function addTransitiveEffects(
  name: string,
  target: NonNullable<Binding['function']>,
  lookup: (name: string) => Binding | undefined,
  effects: CallEffects,
  summaries: Summaries,
): void {
  const seen = new Set<FunctionFact>([target.fact]);
  const work: CalledFunction[] = [{ name, fact: target.fact, definedAt: target.definedAt }];
  while (work.length > 0) {
    const current = work.pop()!;
    effects.called.push(current);
    const { fact } = current;
    effects.uses.push(current.name, ...fact.freeVariables, ...fact.callees);
    effects.mutates.push(...summarize(fact, lookup, summaries, new Set()).globals);
    effects.defines.push(...fact.globalWrites);
    for (const callee of fact.callees) {
      const next = lookup(callee)?.function;
      if (next && !seen.has(next.fact)) {
        seen.add(next.fact);
        work.push({ name: callee, fact: next.fact, definedAt: next.definedAt });
      }
    }
  }
}

/** Names passed, positionally or by keyword, for the parameters the function mutates. */
function mutatedArguments(call: CallSite, fact: FunctionFact, mutatedParams: ReadonlySet<string>): string[] {
  if (mutatedParams.size === 0) return [];
  const params = fact.params;
  // A class is called through __init__, whose first parameter is the new instance.
  const offset = fact.kind === 'class' && (params[0] === 'self' || params[0] === 'cls') ? 1 : 0;
  const mutated: string[] = [];
  call.argNames.forEach((arg, i) => {
    const param = params[i + offset];
    if (arg !== null && param !== undefined && mutatedParams.has(param)) mutated.push(arg);
  });
  for (const [param, arg] of Object.entries(call.keywordNames)) {
    if (mutatedParams.has(param)) mutated.push(arg);
  }
  return mutated;
}

/**
 * The parameters and globals a function changes: its own, those it passes to notebook functions
 * that change them (resolved as at the calling statement), and those it passes to callables the
 * analysis does not know. Recursion stops at functions already being summarised.
 */
function summarize(fact: FunctionFact, lookup: (name: string) => Binding | undefined, summaries: Summaries, active: Set<FunctionFact>): FunctionSummary {
  const known = summaries.get(fact);
  if (known) return known;
  const summary: FunctionSummary = { params: new Set(fact.mutatedParams), globals: new Set(fact.mutatedGlobals) };
  const cutsBefore = summaries.cuts ?? 0;
  active.add(fact);
  const params = new Set(fact.params);
  const globals = new Set(fact.freeVariables);
  const note = (name: string) => {
    if (params.has(name)) summary.params.add(name);
    else if (globals.has(name)) summary.globals.add(name);
  };
  for (const op of fact.body ?? []) {
    for (const call of op.calls) {
      const callee = SIMPLE_NAME.test(call.callee) && !params.has(call.callee) ? lookup(call.callee) : undefined;
      const target = callee?.function?.fact;
      if (target && active.has(target)) summaries.cuts = (summaries.cuts ?? 0) + 1;
      if (target && !active.has(target)) {
        const inner = summarize(target, lookup, summaries, active);
        mutatedArguments(call, target, inner.params).forEach(note);
        for (const name of inner.globals) summary.globals.add(name);
      } else if (call.unknownArgs && !target && !isKnownLibraryCall(call, lookup)) {
        call.unknownArgs.forEach(note);
      }
    }
  }
  active.delete(fact);
  // A summary that stopped at a function still being summarised (recursion) may be incomplete: not kept.
  if ((summaries.cuts ?? 0) === cutsBefore) summaries.set(fact, summary);
  return summary;
}

/** A call whose callee (or receiver) is a name imported from a library known to change no argument. */
export function isKnownLibraryCall(call: CallSite, lookup: (name: string) => Binding | undefined): boolean {
  const root = call.receiver ?? (SIMPLE_NAME.test(call.callee) ? call.callee : undefined);
  const module = root === undefined ? undefined : lookup(root)?.module;
  return module !== undefined && isPureModule(module);
}

/** Names a call the analysis knows nothing about may change: its arguments, unless the callee is a notebook function (summarised instead) or a pure library's. */
export function unknownCallMutations(calls: readonly CallSite[], lookup: (name: string) => Binding | undefined): string[] {
  const mutated: string[] = [];
  for (const call of calls) {
    if (!call.unknownArgs) continue;
    if (SIMPLE_NAME.test(call.callee) && lookup(call.callee)?.function) continue;
    if (isKnownLibraryCall(call, lookup)) continue;
    mutated.push(...call.unknownArgs);
  }
  return unique(mutated);
}
