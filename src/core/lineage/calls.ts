/**
 * What a call of a notebook-defined function does, judged at the moment of the call.
 *
 * A function reads its free variables when it runs, not when it is defined, so a call uses the
 * versions of those names that reach the calling statement — through its callees too, resolved
 * the same way. The call also changes what the function changes: the arguments passed for the
 * parameters it mutates, the globals it mutates, and the globals it rebinds.
 */
import type { CallSite, FunctionFact } from '../analysis/facts';
import type { CalledFunction } from './types';
import { unique } from './statements';

/** The current version of a name while the graph is built. */
export interface Binding {
  operation: number;
  /** The name was removed by `del` at `operation`. */
  deleted?: true;
  /** Set when the version's value is a function or class defined in the notebook. */
  function: { fact: FunctionFact; definedAt: number } | null;
}

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
  for (const call of calls) {
    if (!SIMPLE_NAME.test(call.callee)) continue;
    const target = lookup(call.callee)?.function;
    if (!target) continue;
    direct.add(call.callee);
    effects.mutates.push(...mutatedArguments(call, target.fact));
    addTransitiveEffects(call.callee, target, lookup, effects);
  }
  // A function passed on as a value (`rows.filter(keep)`, `df.apply(score)`, `g = f`) can run
  // during this statement or any later one, so what it reads and changes counts here too.
  for (const name of referenced) {
    if (direct.has(name)) continue;
    const target = lookup(name)?.function;
    if (target) addTransitiveEffects(name, target, lookup, effects);
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
): void {
  const seen = new Set<FunctionFact>([target.fact]);
  const work: CalledFunction[] = [{ name, fact: target.fact, definedAt: target.definedAt }];
  while (work.length > 0) {
    const current = work.pop()!;
    effects.called.push(current);
    const { fact } = current;
    effects.uses.push(current.name, ...fact.freeVariables, ...fact.callees);
    effects.mutates.push(...fact.mutatedGlobals);
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
function mutatedArguments(call: CallSite, fact: FunctionFact): string[] {
  if (fact.mutatedParams.length === 0) return [];
  const params = fact.params;
  // A class is called through __init__, whose first parameter is the new instance.
  const offset = fact.kind === 'class' && (params[0] === 'self' || params[0] === 'cls') ? 1 : 0;
  const mutated: string[] = [];
  call.argNames.forEach((arg, i) => {
    const param = params[i + offset];
    if (arg !== null && param !== undefined && fact.mutatedParams.includes(param)) mutated.push(arg);
  });
  for (const [param, arg] of Object.entries(call.keywordNames)) {
    if (fact.mutatedParams.includes(param)) mutated.push(arg);
  }
  return mutated;
}
