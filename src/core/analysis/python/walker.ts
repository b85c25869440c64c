/**
 * Walks one cell's syntax tree and collects CellFacts. Module-level code is walked in execution
 * order with a definite-assignment state (see flow.ts), so `uses` holds only upward-exposed reads;
 * function bodies are walked with their own static scopes and feed FunctionFacts instead.
 */
import type { CallSite, CellFacts, FileUse, FunctionFact, LiteralValue, Operation, OperationKind, SourceSpan, ValueFlow } from '../facts';
import { isPythonBuiltin } from '../builtins';
import { ARGUMENT_MUTATING, ARGUMENT_MUTATING_METHODS, CONSUMING_BUILTINS, PURE_BUILTINS, COPY_BUILTINS, ELEMENT_BUILTINS, ITERATOR_BUILTINS, READ_ONLY_ACCESSORS, isPureModule } from '../call-rules';
import { methodEffect, type CompiledMutationRules } from '../mutation-rules';
import { fileAccesses, type CallShape } from './file-access';
import { chainRoot, elementFlow, expressionFlow, flowRoots, mergeFlow, type FlowContext } from './value-flow';
import { cloneFlow, emptyFlow, mergeFlows, type Flow } from './flow';
import type { MagicLine } from './ipython';
import { literalValue } from './literals';
import { OrderedNames } from './ordered-names';
import { isIrrefutable, matchPatternNames, targetIdentifiers } from './patterns';
import { importedNames, makeScope, resolveName, scanFunctionBody, walrusScope, type FunctionCollector, type Resolution, type Scope } from './scope';
import { childByField, childrenByField, hasToken, namedChildren, type PyNode } from './syntax-tree';

const MAX_EXPRESSION_DEPTH = 400;
const MAX_OPERATION_CODE = 2000;
const COMPREHENSIONS = new Set(['list_comprehension', 'set_comprehension', 'dictionary_comprehension', 'generator_expression']);
const STATEMENTS = new Set([
  'expression_statement', 'import_statement', 'import_from_statement', 'future_import_statement', 'function_definition',
  'decorated_definition', 'class_definition', 'if_statement', 'for_statement', 'while_statement', 'try_statement',
  'with_statement', 'match_statement', 'return_statement', 'raise_statement', 'break_statement', 'continue_statement',
  'delete_statement', 'global_statement', 'nonlocal_statement', 'pass_statement', 'assert_statement', 'print_statement',
  'exec_statement', 'type_alias_statement', 'block',
]);

interface OperationDraft {
  kind: OperationKind;
  defines: OrderedNames;
  uses: OrderedNames;
  mutates: OrderedNames;
  deletes: OrderedNames;
  calls: CallSite[];
  /** Function-body statements: holds a `return`/`yield` of the function itself. */
  returns: boolean;
  flows: Map<string, ValueFlow>;
  stores: Map<string, Set<string>>;
  /** Mutated name → whether every mutation so far changed only its own object. */
  outer: Map<string, boolean>;
  /** Mutated name → whether every mutation came after the statement had definitely bound it. */
  afterBinding: Map<string, boolean>;
  consumes: Set<string>;
  fileUses: FileUse[];
}

function newDraft(kind: OperationKind): OperationDraft {
  return {
    kind,
    defines: new OrderedNames(),
    uses: new OrderedNames(),
    mutates: new OrderedNames(),
    deletes: new OrderedNames(),
    calls: [],
    returns: false,
    flows: new Map(),
    stores: new Map(),
    outer: new Map(),
    afterBinding: new Map(),
    consumes: new Set(),
    fileUses: [],
  };
}

interface LoopContext {
  breaks: Flow[];
  continues: Flow[];
}

/** `rebind`: augmented assignment (definite, not a new definition); `walrus`: binds outside comprehensions. */
type BindMode = 'define' | 'rebind' | 'walrus';

export interface WalkerInput {
  source: string;
  /** The cell as written (before IPython placeholders), for operation code and spans. */
  originalLines: string[];
  rules: CompiledMutationRules;
  magics: MagicLine[];
  columnShift: Map<number, number>;
}

export class CellWalker {
  private readonly source: string;
  private readonly rules: CompiledMutationRules;
  private readonly magicByLine = new Map<number, MagicLine>();
  private readonly appliedMagics = new Set<MagicLine>();

  private readonly defines = new OrderedNames();
  private readonly uses = new OrderedNames();
  private readonly builtinUses = new OrderedNames();
  private readonly mutates = new OrderedNames();
  private readonly deletes = new OrderedNames();
  private readonly moduleNames = new Set<string>();
  private readonly cellFunctions = new Map<string, FunctionFact>();
  readonly facts: CellFacts;

  private scope: Scope = makeScope('module', null, null);
  private flow: Flow = emptyFlow();
  private loops: LoopContext[] = [];
  private op: OperationDraft | null = null;
  /**
   * While a top-level `def`/`class` body is walked: the body's own scope, and the draft of the
   * body statement being walked. Names count for a body statement when they resolve to that scope
   * or to globals (names local to nested lambdas, comprehensions and functions do not).
   */
  private bodyRoot: Scope | null = null;
  private bodyOp: OperationDraft | null = null;
  /** Per comprehension being walked: the flow at its start, copied on the first change (see beforeFlowChange). */
  private readonly comprehensionEntryFlows: (Flow | null)[] = [];
  /** Where the value being bound comes from, while assignment targets are bound (null: a fresh value). */
  private pendingFlow: ValueFlow | null = null;
  private readonly flowContext: FlowContext;

  constructor(private readonly input: WalkerInput, facts: CellFacts) {
    this.source = input.source;
    this.rules = input.rules;
    this.facts = facts;
    for (const magic of input.magics) this.magicByLine.set(magic.line, magic);
    this.flowContext = { source: this.source, rules: this.rules, isModuleOrBuiltin: (name) => this.isModuleOrBuiltin(name) };
  }

  private flowOf(node: PyNode | undefined): ValueFlow {
    return expressionFlow(node, this.flowContext);
  }

  /** Runs `bindTargets` with the value flow the targets receive. */
  private withFlow(flow: ValueFlow | null, bindTargets: () => void): void {
    const saved = this.pendingFlow;
    this.pendingFlow = flow;
    try {
      bindTargets();
    } finally {
      this.pendingFlow = saved;
    }
  }

  private text(node: PyNode): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }

  // ── entry ────────────────────────────────────────────────────────────────────────────────

  walkModule(root: PyNode): void {
    for (const statement of root.children) {
      if (!statement.named) continue;
      this.walkTopLevel(statement);
    }
    this.finish();
  }

  private walkTopLevel(statement: PyNode): void {
    this.op = newDraft(this.operationKind(statement));
    this.flow.op = new Set();
    this.statement(statement);
    this.facts.operations.push(this.operation(this.op, statement, this.facts.operations.length));
    this.op = null;
  }

  private operation(draft: OperationDraft, statement: PyNode, index: number): Operation {
    const span = this.span(statement, this.magicByLine.get(statement.startRow + 1));
    return {
      index,
      kind: draft.kind,
      span,
      code: this.originalText(span),
      defines: draft.defines.toArray(),
      uses: draft.uses.toArray(),
      mutates: draft.mutates.toArray(),
      deletes: draft.deletes.toArray(),
      calls: draft.calls,
      ...aliasFacts(draft),
    };
  }

  /** Walks a top-level `def`/`class` body in `root` (already entered), one operation per statement. */
  private walkBody(block: PyNode | undefined, root: Scope): Operation[] {
    const body: Operation[] = [];
    if (!block) return body;
    const saved = { root: this.bodyRoot, op: this.bodyOp };
    this.bodyRoot = root;
    try {
      for (const statement of block.children) {
        if (!statement.named) continue;
        const draft = newDraft(this.operationKind(statement));
        this.bodyOp = draft;
        this.statement(statement);
        const operation = this.operation(draft, statement, body.length);
        if (root.kind === 'function') operation.returns = draft.returns;
        body.push(operation);
      }
    } finally {
      this.bodyRoot = saved.root;
      this.bodyOp = saved.op;
    }
    return body;
  }

  /** Whether code walked now runs as part of the body statement itself (not in a nested function or lambda). */
  private inBodyFrame(): boolean {
    for (let scope: Scope | null = this.scope; scope && scope !== this.bodyRoot; scope = scope.parent) {
      if (scope.kind === 'function' || scope.kind === 'lambda') return false;
    }
    return true;
  }

  private finish(): void {
    const cellDefines = this.defines;
    const keep = (names: Map<string, number>): string[] =>
      [...names.entries()]
        .filter(([name]) => !isPythonBuiltin(name) || cellDefines.has(name))
        .sort((a, b) => a[1] - b[1])
        .map(([name]) => name);
    for (const fact of this.facts.functions) {
      const collector = this.collectors.get(fact);
      if (!collector) continue;
      fact.freeVariables = keep(collector.freeVariables);
      fact.callees = keep(collector.callees);
    }
    this.facts.defines = this.defines.toArray();
    this.facts.uses = this.uses.toArray();
    this.facts.builtinUses = this.builtinUses.toArray();
    this.facts.mutates = this.mutates.toArray();
    this.facts.deletes = this.deletes.toArray();
  }

  private operationKind(statement: PyNode): OperationKind {
    if (this.magicByLine.has(statement.startRow + 1)) return 'magic';
    switch (statement.type) {
      case 'expression_statement': {
        const first = statement.children.find((child) => child.named);
        if (first?.type === 'assignment') return childByField(first, 'type') ? 'annassign' : 'assign';
        if (first?.type === 'augmented_assignment') return 'augassign';
        return 'expression';
      }
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        return 'import';
      case 'function_definition':
        return 'function';
      case 'class_definition':
        return 'class';
      case 'decorated_definition':
        return childByField(statement, 'definition')?.type === 'class_definition' ? 'class' : 'function';
      case 'delete_statement':
        return 'delete';
      case 'if_statement':
      case 'for_statement':
      case 'while_statement':
      case 'try_statement':
      case 'with_statement':
      case 'match_statement':
        return 'control';
      case 'print_statement':
        return 'expression';
      case 'type_alias_statement':
        return 'assign';
      default:
        return 'other';
    }
  }

  // ── positions ────────────────────────────────────────────────────────────────────────────

  private column(row: number, column: number): number {
    return column + (this.input.columnShift.get(row) ?? 0);
  }

  private span(node: PyNode, magic?: MagicLine): SourceSpan {
    const lines = this.input.originalLines;
    const span: SourceSpan = {
      startLine: node.startRow + 1,
      startColumn: this.column(node.startRow, node.startCol),
      endLine: node.endRow + 1,
      endColumn: this.column(node.endRow, node.endCol),
    };
    if (magic) {
      span.startColumn = Math.min(span.startColumn, (/^\s*/.exec(lines[magic.line - 1] ?? '')?.[0] ?? '').length);
      if (magic.endLine >= span.endLine) {
        span.endLine = magic.endLine;
        span.endColumn = (lines[magic.endLine - 1] ?? '').length;
      }
    }
    return span;
  }

  private originalText(span: SourceSpan): string {
    if (span.startLine === span.endLine) {
      const code = (this.input.originalLines[span.startLine - 1] ?? '').slice(span.startColumn, span.endColumn);
      return code.length > MAX_OPERATION_CODE ? code.slice(0, MAX_OPERATION_CODE) : code;
    }
    const lines = this.input.originalLines.slice(span.startLine - 1, span.endLine);
    if (lines.length === 0) return '';
    const last = lines.length - 1;
    lines[last] = lines[last].slice(0, span.endColumn);
    lines[0] = lines[0].slice(span.startColumn);
    const code = lines.join('\n');
    return code.length > MAX_OPERATION_CODE ? code.slice(0, MAX_OPERATION_CODE) : code;
  }

  // ── names ────────────────────────────────────────────────────────────────────────────────

  private read(name: string, position: number): void {
    const resolution = resolveName(name, this.scope);
    if (this.bodyOp && this.countsForBody(name, resolution)) this.bodyOp.uses.add(name, position);
    if (resolution.kind === 'local') return;
    const owner = this.scope.owner;
    if (owner && !owner.freeVariables.has(name)) owner.freeVariables.set(name, position);
    if (!resolution.deferred) this.moduleRead(name, position);
  }

  /** A name the body's own scope binds, or a global (builtins only when the cell rebinds them). */
  private countsForBody(name: string, resolution: Resolution): boolean {
    if (resolution.kind === 'local') return resolution.scope === this.bodyRoot;
    return !isPythonBuiltin(name) || this.defines.has(name);
  }

  private moduleRead(name: string, position: number): void {
    const builtin = isPythonBuiltin(name);
    if (!this.flow.cell.has(name)) (builtin ? this.builtinUses : this.uses).add(name, position);
    if (this.op && !this.flow.op.has(name) && (!builtin || this.defines.has(name))) this.op.uses.add(name, position);
  }

  private bind(name: string, position: number, mode: BindMode): void {
    const scope = mode === 'walrus' ? walrusScope(this.scope) : this.scope;
    this.recordFlow(name, scope);
    switch (scope.kind) {
      case 'module':
        this.moduleBind(name, position, mode);
        return;
      case 'class':
        scope.classBound.add(name);
        if (this.bodyOp && scope === this.bodyRoot) this.bodyOp.defines.add(name, position);
        return;
      case 'function':
      case 'lambda':
        if (this.bodyOp && mode !== 'rebind' && (scope === this.bodyRoot || scope.globals.has(name))) this.bodyOp.defines.add(name, position);
        if (scope.globals.has(name) && scope.owner && !scope.owner.globalWrites.has(name)) scope.owner.globalWrites.set(name, position);
        return;
      default:
        return;
    }
  }

  /**
   * Before the flow changes inside comprehensions, keeps the flow they started with (the same for
   * every comprehension entered since the last change). Most comprehensions bind nothing outside,
   * and then their flow is never copied.
   */
  private beforeFlowChange(): void {
    const entries = this.comprehensionEntryFlows;
    let snapshot: Flow | undefined;
    for (let i = entries.length - 1; i >= 0 && entries[i] === null; i -= 1) {
      snapshot ??= cloneFlow(this.flow);
      entries[i] = snapshot;
    }
  }

  private moduleBind(name: string, position: number, mode: BindMode): void {
    this.beforeFlowChange();
    if (mode !== 'rebind') {
      this.defines.add(name, position);
      this.op?.defines.add(name, position);
    }
    this.flow.cell.add(name);
    this.flow.op.add(name);
    if (mode !== 'rebind') this.moduleNames.delete(name);
  }

  /** Notes where a bound name's value comes from: for lineage (module level) or for a function's own summary. */
  private recordFlow(name: string, scope: Scope): void {
    const flow = this.pendingFlow;
    if (scope.kind === 'module') {
      if (this.op && flow) {
        const previous = this.op.flows.get(name);
        this.op.flows.set(name, previous ? mergeFlow(previous, flow) : flow);
      }
      return;
    }
    const owner = scope.owner;
    if (!flow || !owner || scope !== owner.rootScope) return;
    const roots = [...flow.share, ...flow.contains, ...flow.copy].filter((root) => root !== name);
    if (roots.length === 0) return;
    const shares = owner.localShares.get(name) ?? new Set<string>();
    for (const root of roots) shares.add(root);
    owner.localShares.set(name, shares);
  }

  private unbind(name: string, position: number, recordDelete: boolean): void {
    if (recordDelete && this.bodyOp && this.scope === this.bodyRoot) this.bodyOp.deletes.add(name, position);
    if (this.scope.kind !== 'module') return;
    this.beforeFlowChange();
    this.flow.cell.delete(name);
    this.flow.op.delete(name);
    if (recordDelete) {
      this.deletes.add(name, position);
      this.op?.deletes.add(name, position);
    }
  }

  /** `outer`: the mutation changes only the name's own object (`l.append(x)`, `d[k] = v`), not objects it holds. */
  private mutate(name: string, position: number, outer = false, seen?: Set<string>): void {
    const resolution = resolveName(name, this.scope);
    const owner = this.scope.owner;
    if (this.bodyOp && (resolution.kind === 'global' || resolution.scope === this.bodyRoot)) this.bodyOp.mutates.add(name, position);
    if (resolution.kind === 'local') {
      const root = owner?.rootScope;
      if (owner && resolution.scope === root && root.params.has(name) && !owner.mutatedParams.has(name)) {
        owner.mutatedParams.set(name, position);
      }
      // A local that may hold a parameter's or a global's object (`row = data[0]`, `for l in lists`) changes it too.
      const sources = owner && resolution.scope === root ? owner.localShares.get(name) : undefined;
      if (sources) {
        const visited = seen ?? new Set<string>([name]);
        for (const source of sources) {
          if (visited.has(source)) continue;
          visited.add(source);
          this.mutate(source, position, false, visited);
        }
      }
      return;
    }
    if (owner && !owner.mutatedGlobals.has(name)) owner.mutatedGlobals.set(name, position);
    if (!resolution.deferred) {
      this.mutates.add(name, position);
      if (this.op) {
        this.op.mutates.add(name, position);
        this.op.outer.set(name, outer && (this.op.outer.get(name) ?? true));
        this.op.afterBinding.set(name, this.flow.op.has(name) && (this.op.afterBinding.get(name) ?? true));
      }
    }
  }

  /** Names whose objects a value stored into `container` may be (`d[k] = v`, `l.append(v)`). */
  private store(container: string, flow: ValueFlow): void {
    if (!this.op || this.scope.deferred || resolveName(container, this.scope).kind !== 'global') return;
    const roots = flowRoots(flow).filter((root) => root !== container);
    if (roots.length === 0) return;
    const stored = this.op.stores.get(container) ?? new Set<string>();
    for (const root of roots) stored.add(root);
    this.op.stores.set(container, stored);
  }

  private consume(names: readonly string[]): void {
    if (!this.op || this.scope.deferred) return;
    for (const name of names) if (resolveName(name, this.scope).kind === 'global') this.op.consumes.add(name);
  }

  /** A `return`/`yield` of the top-level function whose body is being walked. */
  private markReturn(yields = false): void {
    if (this.bodyOp && this.bodyRoot?.kind === 'function' && this.inBodyFrame()) {
      this.bodyOp.returns = true;
      if (yields && this.bodyRoot.owner) this.bodyRoot.owner.generator = true;
    }
  }

  private isModuleOrBuiltin(name: string): boolean {
    if (this.moduleNames.has(name)) return true;
    if (this.defines.has(name)) return false;
    return this.rules.modules.has(name) || isPythonBuiltin(name);
  }

  // ── statements ───────────────────────────────────────────────────────────────────────────

  private block(node: PyNode | undefined): void {
    if (!node) return;
    for (const child of node.children) if (child.named) this.statement(child);
  }

  private statement(node: PyNode): void {
    switch (node.type) {
      case 'expression_statement':
        this.applyMagic(node);
        for (const child of node.children) {
          if (child.type === 'assignment') this.assignment(child);
          else if (child.type === 'augmented_assignment') this.augmentedAssignment(child);
          else if (child.named) this.expression(child);
        }
        return;
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
        this.importStatement(node);
        return;
      case 'function_definition':
        this.functionDefinition(node, [], node);
        return;
      case 'class_definition':
        this.classDefinition(node, [], node);
        return;
      case 'decorated_definition': {
        const definition = childByField(node, 'definition');
        const decorators = node.children.filter((child) => child.type === 'decorator');
        if (definition?.type === 'class_definition') this.classDefinition(definition, decorators, node);
        else if (definition) this.functionDefinition(definition, decorators, node);
        return;
      }
      case 'delete_statement':
        for (const child of node.children) if (child.named) this.deleteTarget(child);
        return;
      case 'if_statement':
        this.ifStatement(node);
        return;
      case 'for_statement': {
        const iterable = childByField(node, 'right');
        this.expression(iterable);
        const flow = this.flowOf(iterable);
        this.consume(flowRoots(flow));
        this.loop(node, () => this.withFlow(elementFlow(flow), () => this.bindTarget(childByField(node, 'left'))));
        return;
      }
      case 'while_statement':
        this.expression(childByField(node, 'condition'));
        this.loop(node, () => undefined);
        return;
      case 'try_statement':
        this.tryStatement(node);
        return;
      case 'with_statement':
        this.withStatement(node);
        return;
      case 'match_statement':
        this.matchStatement(node);
        return;
      case 'return_statement':
      case 'raise_statement':
        if (node.type === 'return_statement') this.markReturn();
        this.expressionChildren(node);
        this.flow.dead = true;
        return;
      case 'break_statement':
      case 'continue_statement': {
        const loop = this.loops[this.loops.length - 1];
        if (loop) (node.type === 'break_statement' ? loop.breaks : loop.continues).push(cloneFlow(this.flow));
        this.flow.dead = true;
        return;
      }
      case 'global_statement':
      case 'nonlocal_statement':
      case 'pass_statement':
        return;
      case 'type_alias_statement': {
        this.expression(childByField(node, 'right'));
        const id = childByField(node, 'left')?.children.find((child) => child.type === 'identifier');
        if (id) this.bind(this.text(id), id.startIndex, 'define');
        return;
      }
      case 'block':
        this.block(node);
        return;
      case 'ERROR':
        for (const child of node.children) {
          if (!child.named) continue;
          if (STATEMENTS.has(child.type)) this.statement(child);
          else this.expression(child);
        }
        return;
      default:
        this.expressionChildren(node);
    }
  }

  private applyMagic(node: PyNode): void {
    const magic = this.magicByLine.get(node.startRow + 1);
    if (!magic || this.appliedMagics.has(magic)) return;
    this.appliedMagics.add(magic);
    const position = node.startIndex;
    for (const name of magic.uses) this.read(name, position);
    for (const name of magic.defines) this.bind(name, position, 'define');
    if (magic.writesFile) this.facts.files.writes.push({ path: magic.writesFile, line: magic.line, via: `%%${magic.name}` });
    if (magic.readsFile) this.facts.files.reads.push({ path: magic.readsFile, line: magic.line, via: `%${magic.name}` });
  }

  private assignment(node: PyNode): void {
    // `a = b = value`: the value is evaluated first, then targets are bound left to right.
    const targets: PyNode[] = [];
    let current: PyNode | undefined = node;
    let value: PyNode | undefined;
    const annotations: PyNode[] = [];
    while (current && current.type === 'assignment') {
      const left = childByField(current, 'left');
      const type = childByField(current, 'type');
      if (left) targets.push(left);
      if (type) annotations.push(type);
      value = childByField(current, 'right');
      current = value;
    }
    for (const annotation of annotations) this.expression(annotation);
    if (value === undefined) {
      // A bare annotation (`x: int`) binds nothing; its target is evaluated only when it is not a name.
      for (const target of targets) if (target.type !== 'identifier') this.expression(target);
      return;
    }
    if (value.type === 'augmented_assignment') this.augmentedAssignment(value);
    else this.expression(value);
    const flow = value.type === 'augmented_assignment' ? this.flowOf(childByField(value, 'left')) : this.flowOf(value);
    this.withFlow(flow, () => {
      for (const target of targets) this.bindTarget(target);
    });
  }

  private augmentedAssignment(node: PyNode): void {
    const right = childByField(node, 'right');
    this.expression(right);
    const target = childByField(node, 'left');
    if (!target) return;
    const flow = this.flowOf(right);
    if (target.type === 'identifier') {
      const name = this.text(target);
      this.read(name, target.startIndex);
      this.mutate(name, target.startIndex, true);
      this.store(name, flow);
      this.withFlow(null, () => this.bind(name, target.startIndex, 'rebind'));
    } else this.withFlow(flow, () => this.mutateThrough(target));
  }

  /** Binds an assignment / for / with target; attribute and subscript targets mutate their root. */
  private bindTarget(target: PyNode | undefined, mode: BindMode = 'define'): void {
    if (!target) return;
    switch (target.type) {
      case 'identifier':
        this.bind(this.text(target), target.startIndex, mode);
        return;
      case 'attribute':
      case 'subscript':
        this.mutateThrough(target);
        return;
      case 'parenthesized_expression':
      case 'as_pattern_target':
        for (const child of target.children) if (child.named) this.bindTarget(child, mode);
        return;
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'list_splat_pattern':
      case 'list_splat':
      case 'expression_list': {
        // Unpacking: each target may get any element of the value.
        const flow = this.pendingFlow ? elementFlow(this.pendingFlow) : null;
        this.withFlow(flow, () => {
          for (const child of target.children) if (child.named) this.bindTarget(child, mode);
        });
        return;
      }
      default:
        this.expression(target);
    }
  }

  private deleteTarget(target: PyNode): void {
    switch (target.type) {
      case 'identifier':
        this.unbind(this.text(target), target.startIndex, true);
        return;
      case 'attribute':
      case 'subscript':
        this.mutateThrough(target);
        return;
      case 'expression_list':
      case 'tuple':
      case 'list':
      case 'parenthesized_expression':
        for (const child of target.children) if (child.named) this.deleteTarget(child);
        return;
      default:
        this.expression(target);
    }
  }

  /** `x.a.b[0] = …`, `del x[k]`, `x.a += 1`: reads the chain and mutates its root name. */
  private mutateThrough(target: PyNode): void {
    this.expression(target);
    const root = chainRoot(target);
    if (!root) return;
    const name = this.text(root);
    this.mutate(name, root.startIndex, this.changesOwnObject(target));
    if (this.pendingFlow) this.store(name, this.pendingFlow);
  }

  /** `x[k] = v`, `x.a = v`, `df.loc[i, c] = v`: the assignment changes `x` itself, not an object it holds. */
  private changesOwnObject(target: PyNode): boolean {
    const inner = childByField(target, target.type === 'attribute' ? 'object' : 'value');
    if (!inner) return false;
    if (inner.type === 'identifier') return true;
    if (target.type !== 'subscript' || inner.type !== 'attribute') return false;
    const accessor = childByField(inner, 'attribute');
    return childByField(inner, 'object')?.type === 'identifier' && accessor !== undefined && PANDAS_INDEXERS.has(this.text(accessor));
  }

  private importStatement(node: PyNode): void {
    const line = node.startRow + 1;
    if (node.type === 'import_statement') {
      for (const child of node.children) {
        if (child.field !== 'name') continue;
        const moduleNode = child.type === 'aliased_import' ? childByField(child, 'name') : child;
        const bound = importedNames({ ...node, children: [child] }, this.source);
        this.facts.imports.push({ module: moduleNode ? this.text(moduleNode) : this.text(child), names: bound, line });
        for (const name of bound) this.bindImport(name, child.startIndex, moduleNode ? this.text(moduleNode) : this.text(child));
      }
      return;
    }
    const moduleNode = childByField(node, 'module_name');
    const module = node.type === 'future_import_statement' ? '__future__' : moduleNode ? this.text(moduleNode) : '';
    const wildcard = node.children.some((child) => child.type === 'wildcard_import');
    const names = node.type === 'future_import_statement'
      ? childrenByField(node, 'name').map((child) => this.text(child))
      : importedNames(node, this.source);
    this.facts.imports.push({ module, names: wildcard ? ['*'] : names, line });
    if (node.type === 'import_from_statement') for (const name of names) this.bindImport(name, node.startIndex, module);
  }

  private bindImport(name: string, position: number, module: string): void {
    this.withFlow({ share: [], copy: [], contains: [], module }, () => this.bind(name, position, 'define'));
    if (this.scope.kind === 'module') this.moduleNames.add(name);
  }

  private ifStatement(node: PyNode): void {
    this.expression(childByField(node, 'condition'));
    const afterCondition = this.flow;
    const ends: Flow[] = [];
    this.flow = cloneFlow(afterCondition);
    this.block(childByField(node, 'consequence'));
    ends.push(this.flow);
    let hasElse = false;
    for (const branch of childrenByField(node, 'alternative')) {
      this.flow = cloneFlow(afterCondition);
      if (branch.type === 'elif_clause') {
        this.expression(childByField(branch, 'condition'));
        this.block(childByField(branch, 'consequence'));
      } else {
        hasElse = true;
        this.block(childByField(branch, 'body'));
      }
      ends.push(this.flow);
    }
    if (!hasElse) ends.push(afterCondition);
    this.flow = mergeFlows(ends);
  }

  /** `for`/`while`: the body may run zero times, so nothing it binds is definite afterwards. */
  private loop(node: PyNode, bindTargets: () => void): void {
    const before = this.flow;
    const context: LoopContext = { breaks: [], continues: [] };
    this.loops.push(context);
    this.flow = cloneFlow(before);
    bindTargets();
    this.block(childByField(node, 'body'));
    this.loops.pop();
    this.flow = mergeFlows([before, this.flow, ...context.continues]);
    const orElse = childByField(node, 'alternative');
    if (orElse) this.block(childByField(orElse, 'body'));
    this.flow = mergeFlows([this.flow, ...context.breaks]);
  }

  private tryStatement(node: PyNode): void {
    const before = this.flow;
    this.flow = cloneFlow(before);
    this.block(childByField(node, 'body'));
    const bodyEnd = this.flow;
    const ends: Flow[] = [];
    let finallyClause: PyNode | undefined;
    for (const clause of node.children) {
      if (clause.type === 'else_clause') {
        this.flow = bodyEnd;
        this.block(childByField(clause, 'body'));
        ends.push(this.flow);
      } else if (clause.type === 'except_clause' || clause.type === 'except_group_clause') {
        this.flow = mergeFlows([cloneFlow(before), cloneFlow(bodyEnd)]);
        this.flow.dead = false;
        this.exceptClause(clause);
        ends.push(this.flow);
      } else if (clause.type === 'finally_clause') finallyClause = clause;
    }
    if (!node.children.some((clause) => clause.type === 'else_clause')) ends.unshift(bodyEnd);
    this.flow = mergeFlows(ends);
    if (finallyClause) {
      const wasDead = this.flow.dead;
      this.flow.dead = false;
      for (const child of finallyClause.children) if (child.type === 'block') this.block(child);
      this.flow.dead ||= wasDead;
    }
  }

  private exceptClause(clause: PyNode): void {
    let boundAlias: PyNode[] = [];
    for (const child of clause.children) {
      if (!child.named || child.type === 'block') continue;
      if (child.type === 'as_pattern') {
        const alias = childByField(child, 'alias');
        for (const part of child.children) if (part.named && part !== alias) this.expression(part);
        if (alias) {
          boundAlias = targetIdentifiers(alias);
          this.bindTarget(alias);
        }
      } else if (child.field === 'alias') {
        boundAlias = targetIdentifiers(child);
        this.bindTarget(child);
      } else this.expression(child);
    }
    for (const child of clause.children) if (child.type === 'block') this.block(child);
    // Python unbinds the `as` name when the handler ends.
    for (const id of boundAlias) this.unbind(this.text(id), id.startIndex, false);
  }

  private withStatement(node: PyNode): void {
    for (const clause of node.children) {
      if (clause.type !== 'with_clause') continue;
      for (const item of clause.children) {
        if (item.type !== 'with_item') continue;
        const value = childByField(item, 'value');
        if (value?.type === 'as_pattern') {
          const alias = childByField(value, 'alias');
          const parts = value.children.filter((part) => part.named && part !== alias);
          for (const part of parts) this.expression(part);
          this.withFlow(this.flowOf(parts[0]), () => this.bindTarget(alias));
        } else this.expression(value);
      }
    }
    this.block(childByField(node, 'body'));
  }

  private matchStatement(node: PyNode): void {
    for (const subject of childrenByField(node, 'subject')) this.expression(subject);
    const before = this.flow;
    const ends: Flow[] = [];
    let exhaustive = false;
    const body = childByField(node, 'body');
    for (const clause of body?.children ?? []) {
      if (clause.type !== 'case_clause') continue;
      this.flow = cloneFlow(before);
      const pattern = clause.children.find((child) => child.type === 'case_pattern');
      const guard = childByField(clause, 'guard');
      if (pattern) {
        const { captures, reads } = matchPatternNames(pattern, this.source);
        for (const read of reads) this.expression(read);
        for (const capture of captures) this.bind(this.text(capture), capture.startIndex, 'define');
        if (!guard && isIrrefutable(pattern)) exhaustive = true;
      }
      if (guard) this.expressionChildren(guard);
      this.block(childByField(clause, 'consequence'));
      ends.push(this.flow);
    }
    if (!exhaustive) ends.push(before);
    this.flow = mergeFlows(ends);
  }

  // ── definitions ──────────────────────────────────────────────────────────────────────────

  private readonly collectors = new Map<FunctionFact, FunctionCollector>();

  private newCollector(kind: 'function' | 'class', name: string, params: string[]): FunctionCollector {
    return {
      kind,
      name,
      params,
      rootScope: null,
      freeVariables: new Map(),
      globalWrites: new Map(),
      mutatedGlobals: new Map(),
      mutatedParams: new Map(),
      callees: new Map(),
      localShares: new Map(),
    };
  }

  private decoratorNames(decorators: PyNode[]): string[] {
    return decorators.map((decorator) => {
      const expression = decorator.children.find((child) => child.named);
      if (!expression) return '';
      const target = expression.type === 'call' ? childByField(expression, 'function') ?? expression : expression;
      return dottedName(target, this.source) ?? this.text(expression);
    });
  }

  private parameterNames(parameters: PyNode | undefined): { names: string[]; evaluated: PyNode[] } {
    const names: string[] = [];
    const evaluated: PyNode[] = [];
    for (const parameter of parameters?.children ?? []) {
      if (!parameter.named) continue;
      switch (parameter.type) {
        case 'identifier':
          names.push(this.text(parameter));
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
        case 'typed_parameter': {
          const name = childByField(parameter, 'name') ?? parameter.children.find((child) => child.named && child.field !== 'type');
          const ids = !name ? [] : name.type === 'dictionary_splat_pattern' ? name.children.filter((c) => c.type === 'identifier') : targetIdentifiers(name);
          for (const id of ids) names.push(this.text(id));
          for (const part of [childByField(parameter, 'type'), childByField(parameter, 'value')]) if (part) evaluated.push(part);
          break;
        }
        case 'list_splat_pattern':
        case 'dictionary_splat_pattern':
        case 'tuple_pattern': {
          for (const id of parameter.type === 'tuple_pattern' ? targetIdentifiers(parameter) : parameter.children.filter((c) => c.type === 'identifier')) {
            names.push(this.text(id));
          }
          break;
        }
        default:
          break;
      }
    }
    return { names, evaluated };
  }

  private functionDefinition(node: PyNode, decorators: PyNode[], spanNode: PyNode): void {
    for (const decorator of decorators) this.expressionChildren(decorator);
    const { names: params, evaluated } = this.parameterNames(childByField(node, 'parameters'));
    for (const part of evaluated) this.expression(part);
    this.expression(childByField(node, 'return_type'));
    const nameNode = childByField(node, 'name');
    const name = nameNode ? this.text(nameNode) : '';
    const topLevel = this.scope.kind === 'module';
    const collector = topLevel ? this.newCollector('function', name, params) : this.scope.owner;
    const scope = makeScope('function', this.scope, collector);
    for (const param of params) {
      scope.params.add(param);
      scope.locals.add(param);
    }
    const body = childByField(node, 'body');
    if (body) scanFunctionBody(body, this.source, scope);
    if (collector && topLevel) collector.rootScope = scope;
    let statements: Operation[] | undefined;
    this.inScope(scope, () => {
      if (topLevel) statements = this.walkBody(body, scope);
      else this.block(body);
    });
    if (nameNode) this.bind(name, nameNode.startIndex, 'define');
    if (topLevel && collector) {
      this.recordFact(collector, {
        decorators: this.decoratorNames(decorators),
        async: hasToken(node, 'async'),
        span: this.span(spanNode),
        body: statements,
      });
    }
  }

  private classDefinition(node: PyNode, decorators: PyNode[], spanNode: PyNode): void {
    for (const decorator of decorators) this.expressionChildren(decorator);
    this.expression(childByField(node, 'superclasses'));
    const nameNode = childByField(node, 'name');
    const name = nameNode ? this.text(nameNode) : '';
    const topLevel = this.scope.kind === 'module';
    const collector = topLevel ? this.newCollector('class', name, []) : this.scope.owner;
    const scope = makeScope('class', this.scope, collector);
    // The class body runs now, in the enclosing flow; only its bindings are its own.
    const body = childByField(node, 'body');
    let statements: Operation[] | undefined;
    this.inScope(scope, () => {
      if (topLevel) statements = this.walkBody(body, scope);
      else this.block(body);
    }, true);
    if (nameNode) this.bind(name, nameNode.startIndex, 'define');
    if (topLevel && collector) {
      this.recordFact(collector, { decorators: this.decoratorNames(decorators), async: false, span: this.span(spanNode), body: statements });
    }
  }

  private recordFact(collector: FunctionCollector, extra: Pick<FunctionFact, 'decorators' | 'async' | 'span' | 'body'>): void {
    const ordered = (names: Map<string, number>): string[] => [...names.entries()].sort((a, b) => a[1] - b[1]).map(([n]) => n);
    const fact: FunctionFact = {
      name: collector.name,
      kind: collector.kind,
      params: collector.params,
      freeVariables: ordered(collector.freeVariables),
      globalWrites: ordered(collector.globalWrites),
      mutatedGlobals: ordered(collector.mutatedGlobals),
      mutatedParams: ordered(collector.mutatedParams),
      callees: ordered(collector.callees),
      ...(collector.generator ? { generator: true as const } : {}),
      ...extra,
    };
    this.collectors.set(fact, collector);
    this.facts.functions.push(fact);
    this.cellFunctions.set(fact.name, fact);
  }

  /** Runs `walk` in `scope`; function bodies get their own flow and loop stack (they run later). */
  private inScope(scope: Scope, walk: () => void, sharesFlow = false): void {
    const saved = { scope: this.scope, flow: this.flow, loops: this.loops };
    this.scope = scope;
    if (!sharesFlow) {
      this.flow = emptyFlow();
      this.loops = [];
    }
    try {
      walk();
    } finally {
      this.scope = saved.scope;
      if (!sharesFlow) {
        this.flow = saved.flow;
        this.loops = saved.loops;
      }
    }
  }

  // ── expressions ──────────────────────────────────────────────────────────────────────────

  private expressionChildren(node: PyNode, depth = 0): void {
    for (const child of node.children) if (child.named) this.expression(child, depth + 1);
  }

  private expression(node: PyNode | undefined, depth = 0): void {
    if (!node) return;
    if (depth > MAX_EXPRESSION_DEPTH) {
      this.readAllNames(node);
      return;
    }
    switch (node.type) {
      case 'identifier':
        this.read(this.text(node), node.startIndex);
        return;
      case 'attribute':
        this.expression(childByField(node, 'object'), depth + 1);
        return;
      case 'keyword_argument':
        this.expression(childByField(node, 'value'), depth + 1);
        return;
      case 'call':
        this.call(node, depth);
        return;
      case 'assignment':
        this.assignment(node);
        return;
      case 'augmented_assignment':
        this.augmentedAssignment(node);
        return;
      case 'lambda':
        this.lambda(node);
        return;
      case 'yield':
        this.markReturn(true);
        this.expressionChildren(node, depth);
        return;
      case 'named_expression': {
        this.expression(childByField(node, 'value'), depth + 1);
        const name = childByField(node, 'name');
        if (name) this.withFlow(this.flowOf(childByField(node, 'value')), () => this.bind(this.text(name), name.startIndex, 'walrus'));
        return;
      }
      case 'as_pattern': {
        const alias = childByField(node, 'alias');
        for (const child of node.children) if (child.named && child !== alias) this.expression(child, depth + 1);
        this.bindTarget(alias);
        return;
      }
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
      case 'string_content':
      case 'string_start':
      case 'string_end':
      case 'escape_sequence':
      case 'type_conversion':
      case 'keyword_separator':
      case 'positional_separator':
      case 'wildcard_import':
        return;
      default:
        if (COMPREHENSIONS.has(node.type)) this.comprehension(node, depth);
        else this.expressionChildren(node, depth);
    }
  }

  /** Fallback for absurdly deep expressions: every identifier not after a dot is a read. */
  private readAllNames(node: PyNode): void {
    const stack = [node];
    while (stack.length > 0) {
      const current = stack.pop() as PyNode;
      if (current.type === 'identifier') {
        if (current.field !== 'attribute' && current.field !== 'name') this.read(this.text(current), current.startIndex);
        continue;
      }
      for (const child of current.children) if (child.named) stack.push(child);
    }
  }

  private lambda(node: PyNode): void {
    const { names, evaluated } = this.parameterNames(childByField(node, 'parameters'));
    for (const part of evaluated) this.expression(part);
    const scope = makeScope('lambda', this.scope, this.scope.owner);
    for (const name of names) {
      scope.params.add(name);
      scope.locals.add(name);
    }
    this.inScope(scope, () => this.expression(childByField(node, 'body')), true);
  }

  /** The first iterable runs in the enclosing scope; loop variables are local to the comprehension. */
  private comprehension(node: PyNode, depth: number): void {
    const clauses = node.children.filter((child) => child.type === 'for_in_clause' || child.type === 'if_clause');
    const body = node.children.filter((child) => child.named && child.field === 'body');
    const first = clauses[0];
    if (first?.type === 'for_in_clause') {
      for (const right of childrenByField(first, 'right')) {
        this.expression(right, depth + 1);
        if (node.type !== 'generator_expression') this.consume(flowRoots(this.flowOf(right)));
      }
    }
    // A walrus inside binds the enclosing scope, definitely so for the rest of this comprehension
    // but not after it (it may iterate zero times).
    this.comprehensionEntryFlows.push(null);
    const scope = makeScope('comprehension', this.scope, this.scope.owner);
    this.inScope(scope, () => {
      clauses.forEach((clause, index) => {
        if (clause.type === 'for_in_clause') {
          if (index > 0) for (const right of childrenByField(clause, 'right')) this.expression(right, depth + 1);
          for (const id of targetIdentifiers(childByField(clause, 'left') ?? clause)) scope.locals.add(this.text(id));
        } else this.expressionChildren(clause, depth);
      });
      for (const part of body) this.expression(part, depth + 1);
    }, true);
    const before = this.comprehensionEntryFlows.pop();
    if (before) this.flow = mergeFlows([before, this.flow]);
  }

  // ── calls ────────────────────────────────────────────────────────────────────────────────

  private call(node: PyNode, depth: number): void {
    const fn = childByField(node, 'function');
    const args = childByField(node, 'arguments');
    this.expression(fn, depth + 1);
    const positional: PyNode[] = [];
    const keywords = new Map<string, PyNode>();
    const argNames: (string | null)[] = [];
    const keywordNames: Record<string, string> = {};
    const literalArgs: Record<string, LiteralValue> = {};
    if (args?.type === 'generator_expression') {
      positional.push(args);
      argNames.push(null);
      this.expression(args, depth + 1);
    } else {
      for (const arg of args?.children ?? []) {
        if (!arg.named) continue;
        this.expression(arg, depth + 1);
        if (arg.type === 'keyword_argument') {
          const key = childByField(arg, 'name');
          const value = childByField(arg, 'value');
          if (!key || !value) continue;
          const keyword = this.text(key);
          keywords.set(keyword, value);
          if (value.type === 'identifier') keywordNames[keyword] = this.text(value);
          const literal = literalValue(value, this.source);
          if (literal !== undefined) literalArgs[keyword] = literal;
        } else if (arg.type === 'list_splat' || arg.type === 'dictionary_splat' || arg.type === 'parenthesized_list_splat') {
          if (arg.type !== 'dictionary_splat') argNames.push(null);
        } else {
          const index = positional.length;
          positional.push(arg);
          argNames.push(arg.type === 'identifier' ? this.text(arg) : null);
          const literal = literalValue(arg, this.source);
          if (literal !== undefined) literalArgs[String(index)] = literal;
        }
      }
    }
    if (!fn) return;
    const shape = this.callShape(fn, positional, keywords);
    const cellOp = !this.scope.deferred ? this.op : null;
    const bodyOp = this.bodyOp && this.inBodyFrame() ? this.bodyOp : null;
    const argumentNodes = [...positional, ...keywords.values()];
    const known = this.knownCallee(fn, shape);
    if (cellOp || bodyOp) {
      const site: CallSite = { callee: shape.callee, argNames, keywordNames, literalArgs, line: node.startRow + 1 };
      if (shape.method && shape.root) site.receiver = shape.root;
      if (shape.method) site.method = shape.method;
      if (!known) {
        const roots = [...new Set(argumentNodes.flatMap((arg) => flowRoots(this.flowOf(arg))))];
        if (roots.length > 0) site.unknownArgs = roots;
      }
      cellOp?.calls.push(site);
      bodyOp?.calls.push(cellOp ? { ...site } : site);
    }
    if (known) this.consume(argumentNodes.flatMap((arg) => flowRoots(this.flowOf(arg))));
    this.callEffects(node, fn, shape, positional, keywords);
    for (const access of fileAccesses(shape, this.source)) {
      if (access.path !== undefined) {
        const list = access.access === 'read' ? this.facts.files.reads : this.facts.files.writes;
        list.push({ path: access.path, line: node.startRow + 1, via: access.via });
      }
      if (cellOp) cellOp.fileUses.push(access);
    }
  }

  /**
   * A callee whose effect on its arguments the tables know: a builtin, a function of a well-known
   * library, or a method in the mutation table. Anything else may change what it is given.
   */
  private knownCallee(fn: PyNode, shape: CallShape): boolean {
    if (fn.type === 'identifier') {
      const name = this.text(fn);
      if (!this.isModuleOrBuiltin(name)) return false;
      return PURE_BUILTINS.has(name) || COPY_BUILTINS.has(name) || ELEMENT_BUILTINS.has(name) || ITERATOR_BUILTINS.has(name) || CONSUMING_BUILTINS.has(name) || name in ARGUMENT_MUTATING;
    }
    if (fn.type !== 'attribute' || !shape.method) return false;
    const root = chainRoot(childByField(fn, 'object'));
    if (root && this.isModuleOrBuiltin(this.text(root))) return isPureModule(this.text(root));
    const method = shape.method;
    return this.rules.mutating.has(method) || this.rules.nonMutating.has(method) || this.rules.inplaceKeyword.has(method);
  }

  private callShape(fn: PyNode, positional: PyNode[], keywords: Map<string, PyNode>): CallShape {
    const dotted = dottedName(fn, this.source);
    const method = fn.type === 'attribute' ? childByField(fn, 'attribute') : undefined;
    const rootNode = fn.type === 'identifier' ? fn : fn.type === 'attribute' ? chainRoot(childByField(fn, 'object')) : undefined;
    return {
      callee: dotted ?? '<expr>',
      method: method ? this.text(method) : undefined,
      root: rootNode ? this.text(rootNode) : undefined,
      functionNode: fn,
      positional,
      keywords,
    };
  }

  private callEffects(node: PyNode, fn: PyNode, shape: CallShape, positional: PyNode[], keywords: Map<string, PyNode>): void {
    const position = node.startIndex;
    if (fn.type === 'attribute' && shape.method) {
      const receiver = chainRoot(childByField(fn, 'object'));
      if (receiver) {
        const name = this.text(receiver);
        const inplace = keywords.get('inplace');
        const inplaceValue = inplace === undefined ? undefined : inplace.type === 'true' ? true : inplace.type === 'false' || inplace.type === 'none' ? false : 'unknown';
        if (!this.isModuleOrBuiltin(name) && !this.throughReadOnlyAccessor(fn) && methodEffect(this.rules, shape.method, inplaceValue) === 'mutates') {
          this.mutate(name, receiver.startIndex, childByField(fn, 'object')?.type === 'identifier');
          for (const arg of [...positional, ...keywords.values()]) this.store(name, this.flowOf(arg));
        }
      }
    }
    for (const index of this.mutatedArguments(fn, shape)) {
      const root = positional[index] ? chainRoot(positional[index]) : undefined;
      if (root) this.mutate(this.text(root), root.startIndex);
    }
    // `out=` names the array a library function writes its result into.
    const out = keywords.get('out');
    for (const part of out ? (out.type === 'tuple' ? namedChildren(out) : [out]) : []) {
      const root = chainRoot(part);
      if (root) this.mutate(this.text(root), root.startIndex);
    }
    if (fn.type !== 'identifier') return;
    const name = this.text(fn);
    const resolution = resolveName(name, this.scope);
    if (resolution.kind !== 'global') return;
    const owner = this.scope.owner;
    if (owner && !owner.callees.has(name)) owner.callees.set(name, position);
    if (!resolution.deferred) this.applyCellFunction(name, position, positional, keywords);
  }

  /** `df.plot.bar(...)`, `s.str.replace(...)`: a method of a pandas accessor that leaves the object alone. */
  private throughReadOnlyAccessor(fn: PyNode): boolean {
    const object = childByField(fn, 'object');
    if (object?.type !== 'attribute' || childByField(object, 'object')?.type !== 'identifier') return false;
    const accessor = childByField(object, 'attribute');
    return accessor !== undefined && READ_ONLY_ACCESSORS.has(this.text(accessor));
  }

  /** Positions of the arguments a call writes into, from the tables (`np.copyto(dst, src)`, `random.shuffle(x)`, `torch.nn.init.zeros_(w)`). */
  private mutatedArguments(fn: PyNode, shape: CallShape): number[] {
    const indices = new Set<number>();
    const calledName = shape.method ?? (fn.type === 'identifier' ? this.text(fn) : undefined);
    if (calledName === undefined) return [];
    const legacy = this.rules.argumentMutating.get(calledName);
    const rootNode = fn.type === 'attribute' ? chainRoot(childByField(fn, 'object')) : undefined;
    const onModule = fn.type === 'identifier' || (rootNode !== undefined && this.isModuleOrBuiltin(this.text(rootNode)));
    const table = onModule ? ARGUMENT_MUTATING[calledName] : ARGUMENT_MUTATING_METHODS[calledName];
    if (legacy !== undefined && (onModule || ARGUMENT_MUTATING_METHODS[calledName])) indices.add(legacy);
    for (const index of table ?? []) indices.add(index);
    if (onModule && fn.type === 'attribute' && /^[a-z][a-z0-9_]*[a-z0-9]_$/.test(calledName)) indices.add(0);
    return [...indices];
  }

  /**
   * Calling a function this cell defined runs its body now: its free variables are read, its
   * globals written and mutated, and arguments bound to mutated parameters are mutated.
   */
  private applyCellFunction(name: string, position: number, positional: PyNode[], keywords: Map<string, PyNode>): void {
    const called = this.cellFunctions.get(name);
    if (!called || called.kind !== 'function') return;
    called.params.forEach((param, index) => {
      if (!called.mutatedParams.includes(param)) return;
      const argument = index < positional.length ? positional[index] : keywords.get(param);
      const root = argument ? chainRoot(argument) : undefined;
      if (root) this.mutate(this.text(root), root.startIndex);
    });
    const seen = new Set<string>();
    const queue = [name];
    while (queue.length > 0) {
      const fact = this.cellFunctions.get(queue.shift() as string);
      if (!fact || seen.has(fact.name)) continue;
      seen.add(fact.name);
      const collector = this.collectors.get(fact);
      const free = collector ? [...collector.freeVariables.keys()] : fact.freeVariables;
      for (const variable of free) this.moduleRead(variable, position);
      for (const global of fact.mutatedGlobals) this.mutate(global, position);
      for (const global of fact.globalWrites) this.moduleBind(global, position, 'define');
      for (const callee of collector ? collector.callees.keys() : fact.callees) queue.push(callee);
    }
  }
}

/** `a.b.c` as written, when the expression is a chain of names; undefined otherwise. */
export function dottedName(node: PyNode, source: string): string | undefined {
  let dotted = '';
  let current: PyNode | undefined = node;
  while (current) {
    if (current.type === 'identifier') {
      const name = source.slice(current.startIndex, current.endIndex);
      return dotted ? `${name}.${dotted}` : name;
    }
    if (current.type !== 'attribute') return undefined;
    const attribute = childByField(current, 'attribute');
    if (!attribute) return undefined;
    const part = source.slice(attribute.startIndex, attribute.endIndex);
    dotted = dotted ? `${part}.${dotted}` : part;
    current = childByField(current, 'object');
  }
  return undefined;
}

/** pandas indexers: `df.loc[i, c] = v` changes `df` itself. */
const PANDAS_INDEXERS = new Set(['loc', 'iloc', 'at', 'iat']);

/** The alias facts of an operation, only those it has (most statements have none). */
function aliasFacts(draft: OperationDraft): Partial<Operation> {
  const facts: Partial<Operation> = {};
  if (draft.flows.size > 0) facts.flows = Object.fromEntries(draft.flows);
  if (draft.stores.size > 0) facts.stores = Object.fromEntries([...draft.stores].map(([name, stored]) => [name, [...stored]]));
  const outer = [...draft.outer].filter(([, only]) => only).map(([name]) => name);
  if (outer.length > 0) facts.outerMutates = outer;
  const afterBinding = [...draft.afterBinding].filter(([, after]) => after).map(([name]) => name);
  if (afterBinding.length > 0) facts.mutatesAfterBinding = afterBinding;
  if (draft.consumes.size > 0) facts.consumes = [...draft.consumes];
  if (draft.fileUses.length > 0) facts.fileUses = draft.fileUses;
  return facts;
}
