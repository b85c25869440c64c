/**
 * Reaching definitions over an execution log, in execution order (not notebook order).
 *
 * One pass over the log's statements with a map name → current version: each statement's reads
 * resolve against the map, then its changes update it. A successful statement that defines or
 * mutates a name makes a new version (a mutation depends on the version before it); `del` kills
 * it (a later read of the name depends on the `del` conditionally, see NameRead); failed
 * executions change nothing; a restart empties the map. The cost is linear in the size of the facts.
 */
import { NbprovError } from '../errors';
import type { ValueFlow } from '../analysis/facts';
import { AliasState } from './aliases';
import { callEffects, unknownCallMutations, type Binding } from './calls';
import { fileReads, fileWrites, isFileName } from './files';
import { restartSegments } from './history';
import { statementsOf, unique, type Statement } from './statements';
import type {
  ExecutionInput,
  ExecutionNode,
  FactsOf,
  LineageGraph,
  NameRead,
  NameVersion,
  OperationNode,
  VersionKind,
} from './types';

export function buildLineageGraph(executions: readonly ExecutionInput[], factsOf: FactsOf): LineageGraph {
  const builder = new GraphBuilder();
  const segments = restartSegments(executions);
  executions.forEach((execution, position) => {
    if (position > 0 && segments[position] !== segments[position - 1]) builder.restart();
    builder.addExecution(execution, segments[position], factsOf(execution));
  });
  return builder.finish();
}

class GraphBuilder {
  private readonly executions: ExecutionNode[] = [];
  private readonly operations: OperationNode[] = [];
  private readonly executionById = new Map<string, number>();
  private readonly versions = new Map<string, NameVersion[]>();
  private readonly cellExecutions = new Map<string, number[]>();
  private readonly dependents: number[][] = [];
  private bindings = new Map<string, Binding>();
  /** Files outlive kernel restarts, so their versions are kept apart from the names'. */
  private readonly fileBindings = new Map<string, Binding>();
  private readonly aliases = new AliasState();

  restart(): void {
    this.bindings = new Map();
    this.aliases.restart();
  }

  private binding(name: string): Binding | undefined {
    return isFileName(name) ? this.fileBindings.get(name) : this.bindings.get(name);
  }

  private setBinding(name: string, binding: Binding): void {
    if (isFileName(name)) this.fileBindings.set(name, binding);
    else this.bindings.set(name, binding);
  }

  addExecution(input: ExecutionInput, segment: number, facts: Parameters<typeof statementsOf>[1]): void {
    if (this.executionById.has(input.id)) {
      throw new DuplicateExecutionError(input.id);
    }
    const position = this.executions.length;
    const firstOperation = this.operations.length;
    for (const statement of statementsOf(input.code, facts)) {
      this.addOperation(statement, position, input.success);
    }
    const operationCount = this.operations.length - firstOperation;
    if (input.identities) this.aliases.observe(input.identities);
    // Dependencies last: a later statement of the execution may confirm an earlier one's alias read.
    for (let op = firstOperation; op < firstOperation + operationCount; op++) {
      (this.operations[op] as { dependencies: readonly number[] }).dependencies = dependenciesOf(this.operations[op].reads);
    }
    const reads = this.externalReads(position, firstOperation, operationCount);
    this.dependents.push([]);
    for (const from of unique(reads.flatMap((r) => (r.from === null ? [] : [r.from])))) {
      this.dependents[from].push(position);
    }
    const changes = input.success
      ? unique(this.operations.slice(firstOperation).flatMap((op) => [...op.defines, ...op.mutates]))
      : [];
    this.executions.push({
      id: input.id,
      cellId: input.cellId,
      cellIndex: input.cellIndex,
      executionCount: input.executionCount,
      position,
      input,
      success: input.success,
      segment,
      firstOperation,
      operationCount,
      reads,
      dependencies: dependenciesOf(reads),
      dependents: this.dependents[position],
      changes,
      ...(facts.partial ? { partial: facts.partial } : {}),
    });
    this.executionById.set(input.id, position);
    const ofCell = this.cellExecutions.get(input.cellId);
    if (ofCell) ofCell.push(position);
    else this.cellExecutions.set(input.cellId, [position]);
  }

  finish(): LineageGraph {
    return {
      executions: this.executions,
      operations: this.operations,
      executionById: this.executionById,
      versions: this.versions,
      cellExecutions: this.cellExecutions,
    };
  }

  private addOperation(statement: Statement, execution: number, success: boolean): void {
    const position = this.operations.length;
    const lookup = (name: string) => this.binding(name);
    const effects = callEffects(statement.calls, lookup, statement.uses);
    const defines = unique([...statement.defines, ...effects.defines]);
    const deletes = statement.deletes;
    const files = { reads: fileReads(statement.fileUses ?? [], lookup, this.fileBindings.keys()), writes: fileWrites(statement.fileUses ?? [], lookup) };
    const aliased = this.aliasedChanges(statement, effects.mutates, lookup, success);
    const direct = unique([...statement.mutates, ...effects.mutates, ...aliased.direct, ...files.writes]);
    const mutates = unique([...direct, ...aliased.aliases]);
    // Mutating or deleting a name needs its earlier version as much as reading it does (unless the
    // statement bound the name itself before changing it).
    const boundFirst = new Set(statement.mutatesAfterBinding ?? []);
    const readNames = unique([...statement.uses, ...effects.uses, ...files.reads, ...direct.filter((name) => !boundFirst.has(name)), ...deletes]);
    const reads = readNames.map((name) => readOf(name, lookup(name)));
    // A name changed only as an alias of a changed one: its earlier binding matters only to whoever reads its new version.
    const plain = new Set(readNames);
    for (const name of aliased.aliases) {
      if (plain.has(name) || boundFirst.has(name)) continue;
      const read = readOf(name, lookup(name));
      if (read.from !== null && !read.deleted) reads.push({ ...read, alias: true });
    }
    this.confirmAliasReads(reads, execution);
    this.operations.push({
      position,
      execution,
      kind: statement.kind,
      span: statement.span,
      code: statement.code,
      defines: success ? defines : [],
      mutates: success ? mutates : [],
      deletes: success ? deletes : [],
      reads,
      dependencies: [],
      calledFunctions: effects.called,
    });
    if (!success) return;
    for (const name of deletes) {
      this.setBinding(name, { operation: position, deleted: true, function: null });
      this.aliases.unbind(name);
      this.addVersion(name, position, execution, 'delete');
    }
    const defined = new Set(defines);
    for (const name of mutates) {
      if (defined.has(name)) continue;
      const previous = this.binding(name);
      // A changed value is no longer a known constant.
      this.setBinding(name, { ...previous, operation: position, function: previous?.function ?? null, deleted: undefined, text: undefined });
      this.addVersion(name, position, execution, 'mutate');
    }
    const texts = new Map(defines.map((name) => [name, this.constantText(statement.flows?.[name])]));
    for (const name of defines) {
      const fact = lastFunctionNamed(statement, name);
      const flow = statement.flows?.[name];
      const binding: Binding = { operation: position, function: fact ? { fact, definedAt: position } : null };
      if (flow?.module !== undefined) binding.module = flow.module;
      if (flow?.sequence) binding.sequence = true;
      // A branch or loop may not bind the name: its constant is then not known.
      const text = texts.get(name);
      if (text !== undefined && statement.kind !== 'control') binding.text = text;
      this.setBinding(name, binding);
      this.addVersion(name, position, execution, 'define');
    }
  }

  /**
   * Names changed along with the statement's mutations: aliases of the names it mutates, the
   * arguments of calls nothing is known about, iterators it consumes. Updates the alias state with
   * the statement's bindings and stores first (a loop body binds, then mutates through the binding).
   */
  private aliasedChanges(statement: Statement, callMutates: readonly string[], lookup: (name: string) => Binding | undefined, success: boolean): { direct: string[]; aliases: string[] } {
    if (!success) return { direct: [], aliases: [] };
    const unknown = unknownCallMutations(statement.calls, lookup).filter((name) => !this.aliases.isImmutable(name) && !lookup(name)?.function && lookup(name)?.module === undefined);
    const consumed = (statement.consumes ?? []).filter((name) => this.aliases.mayBeIterator(name));
    const bindings = unique(statement.defines).map((name) => {
      const flow = statement.flows?.[name];
      return { name, flow: flow && this.withCalledFunctions(flow, lookup), iterator: this.fromGenerator(statement.flows?.[name], lookup) };
    });
    // A compound statement (branch, loop) may leave a name as it was.
    this.aliases.bindAll(bindings, statement.kind === 'control');
    for (const [container, stored] of Object.entries(statement.stores ?? {})) this.aliases.store(container, stored);
    const outer = new Set(statement.outerMutates ?? []);
    const changed: string[] = [];
    for (const name of statement.mutates) if (!isFileName(name)) changed.push(...this.aliases.changed(name, outer.has(name)));
    for (const name of [...callMutates, ...unknown]) changed.push(...this.aliases.changed(name, false));
    for (const name of consumed) changed.push(...this.aliases.consumed(name));
    const direct = unique([...unknown, ...consumed]);
    const own = new Set([...direct, ...statement.mutates, ...callMutates]);
    return { direct, aliases: unique(changed).filter((name) => !own.has(name)) };
  }

  /** The constant string a bound value is: a literal, or the constant of the name it came from. */
  private constantText(flow: ValueFlow | undefined): string | undefined {
    if (!flow) return undefined;
    return flow.text ?? (flow.textFrom === undefined ? undefined : this.binding(flow.textFrom)?.text);
  }

  /**
   * The flow as the history resolves it: a slice of a Python sequence is a copy, and a value
   * returned by a notebook function may also be one of the globals it reads.
   */
  private withCalledFunctions(original: ValueFlow, lookup: (name: string) => Binding | undefined): ValueFlow {
    let flow = original;
    if (flow.sliceOf !== undefined && lookup(flow.sliceOf)?.sequence) {
      flow = { ...flow, share: flow.share.filter((name) => name !== flow.sliceOf), copy: unique([...flow.copy, flow.sliceOf]) };
    }
    if (!flow.calls) return flow;
    const globals = flow.calls.flatMap((name) => lookup(name)?.function?.fact.freeVariables ?? []);
    return globals.length === 0 ? flow : { ...flow, share: unique([...flow.share, ...globals.filter((name) => !lookup(name)?.function)]) };
  }

  private fromGenerator(flow: ValueFlow | undefined, lookup: (name: string) => Binding | undefined): boolean {
    return (flow?.calls ?? []).some((name) => lookup(name)?.function?.fact.generator === true);
  }

  /**
   * A statement of the same execution reads a version an earlier statement made as an alias: that
   * statement's read of the alias's earlier binding is needed after all.
   */
  private confirmAliasReads(reads: readonly NameRead[], execution: number): void {
    for (const read of reads) {
      if (read.from === null || read.alias || this.operations[read.from].execution !== execution) continue;
      const earlier = this.operations[read.from].reads.find((r) => r.name === read.name && r.alias);
      if (earlier) delete (earlier as { alias?: true }).alias;
    }
  }

  private replacedLater(name: string, from: number, end: number): boolean {
    for (let op = from; op < end; op++) {
      if (this.operations[op].defines.includes(name) || this.operations[op].deletes.includes(name)) return true;
    }
    return false;
  }

  /** Reads of the execution's statements that reach outside it, lifted to execution positions. */
  private externalReads(execution: number, first: number, count: number): NameRead[] {
    const reads: NameRead[] = [];
    const seen = new Map<string, NameRead>();
    for (let op = first; op < first + count; op++) {
      for (const read of this.operations[op].reads) {
        const from = read.from === null ? null : this.operations[read.from].execution;
        if (from === execution) continue;
        // An alias version the execution itself replaces later never leaves it.
        if (read.alias && this.replacedLater(read.name, op + 1, first + count)) continue;
        const key = `${read.name}\u0000${from}`;
        const known = seen.get(key);
        if (known) {
          // A plain read of the same version makes an alias read of it plain too.
          if (known.alias && !read.alias) delete (known as { alias?: true }).alias;
          continue;
        }
        const lifted: NameRead = read.deleted ? { name: read.name, from, deleted: true } : read.alias ? { name: read.name, from, alias: true } : { name: read.name, from };
        seen.set(key, lifted);
        reads.push(lifted);
      }
    }
    return reads;
  }

  private addVersion(name: string, operation: number, execution: number, kind: VersionKind): void {
    const version: NameVersion = { operation, execution, kind };
    const list = this.versions.get(name);
    if (list) list.push(version);
    else this.versions.set(name, [version]);
  }
}

function readOf(name: string, binding: Binding | undefined): NameRead {
  if (!binding) return { name, from: null };
  return binding.deleted ? { name, from: binding.operation, deleted: true } : { name, from: binding.operation };
}

/** Positions read from unconditionally, ascending. */
function dependenciesOf(reads: readonly NameRead[]): number[] {
  return unique(reads.flatMap((r) => (r.from === null || r.deleted || r.alias ? [] : [r.from]))).sort((a, b) => a - b);
}

function lastFunctionNamed(statement: Statement, name: string) {
  for (let i = statement.functions.length - 1; i >= 0; i--) {
    if (statement.functions[i].name === name) return statement.functions[i];
  }
  return undefined;
}

export class DuplicateExecutionError extends NbprovError<'duplicate-execution', { executionId: string }> {
  constructor(readonly executionId: string) {
    super(`Execution id '${executionId}' appears twice in the execution log; each execution needs a unique id.`, { code: 'duplicate-execution', data: { executionId } });
  }
}
