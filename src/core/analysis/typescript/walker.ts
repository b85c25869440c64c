/**
 * One pass over a parsed JavaScript/TypeScript cell that collects CellFacts.
 *
 * Three contexts decide where a name goes:
 * - cell context: reads of names the cell has not definitely bound are `uses` (or `builtinUses`),
 *   bindings are `defines`, in-place changes are `mutates`;
 * - a named cell-level function or class (`function f`, `const f = () => …`, `class C`): its body
 *   runs at call time, so what it reads, writes and mutates outside itself goes on its
 *   FunctionFact instead of the cell's facts;
 * - anything inside an inner scope (block, loop, catch, inline callback) that the scope declares
 *   itself is local and invisible.
 * Inline functions (callbacks, IIFEs, object methods) are treated as running where they appear.
 */
import ts from 'typescript';
import type { CallSite, CellFacts, Diagnostic, FunctionFact, Operation, OperationKind } from '../facts';
import { DefiniteBindings, Scope, declareHoistedVars, declareLexical, declareList, isVarList } from './scope';
import {
  boundNames,
  codeOf,
  dottedName,
  dottedParts,
  hasModifier,
  lineOf,
  literalValue,
  moduleCall,
  rootIdentifier,
  spanOf,
  stringValue,
  unwrap,
} from './syntax';
import {
  FILE_READERS,
  FILE_WRITERS,
  FIRST_ARGUMENT_MUTATORS,
  MODULE_NAMES,
  NON_MUTATING_METHODS,
  isScriptGlobal,
} from './tables';

/** Compiler API functions bound once (each `ts.X` access is a module getter call). */
const {
  canHaveDecorators,
  forEachChild,
  getDecorators,
  isAccessor,
  isArrayLiteralExpression,
  isArrowFunction,
  isBinaryExpression,
  isBindingElement,
  isBlock,
  isCallExpression,
  isCaseClause,
  isClassDeclaration,
  isClassExpression,
  isClassLike,
  isClassStaticBlockDeclaration,
  isComputedPropertyName,
  isConstructorDeclaration,
  isDeleteExpression,
  isElementAccessExpression,
  isEmptyStatement,
  isExternalModuleReference,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isMethodDeclaration,
  isModuleBlock,
  isNamedExports,
  isNamedImports,
  isNamespaceImport,
  isObjectLiteralExpression,
  isOmittedExpression,
  isPostfixUnaryExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isQualifiedName,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteral,
  isVariableDeclarationList,
} = ts;

/**
 * The syntax kinds used here, copied into a small object: `ts.SyntaxKind` is reached through a
 * module getter and is a large dictionary-mode enum, which made lookups dominate the walk.
 */
const SyntaxKind = {
  AmpersandAmpersandEqualsToken: ts.SyntaxKind.AmpersandAmpersandEqualsToken,
  AmpersandAmpersandToken: ts.SyntaxKind.AmpersandAmpersandToken,
  ArrowFunction: ts.SyntaxKind.ArrowFunction,
  AsyncKeyword: ts.SyntaxKind.AsyncKeyword,
  BarBarEqualsToken: ts.SyntaxKind.BarBarEqualsToken,
  BarBarToken: ts.SyntaxKind.BarBarToken,
  BinaryExpression: ts.SyntaxKind.BinaryExpression,
  Block: ts.SyntaxKind.Block,
  BreakStatement: ts.SyntaxKind.BreakStatement,
  CallExpression: ts.SyntaxKind.CallExpression,
  ClassDeclaration: ts.SyntaxKind.ClassDeclaration,
  ClassExpression: ts.SyntaxKind.ClassExpression,
  ConditionalExpression: ts.SyntaxKind.ConditionalExpression,
  ContinueStatement: ts.SyntaxKind.ContinueStatement,
  DebuggerStatement: ts.SyntaxKind.DebuggerStatement,
  DeleteExpression: ts.SyntaxKind.DeleteExpression,
  DoStatement: ts.SyntaxKind.DoStatement,
  EnumDeclaration: ts.SyntaxKind.EnumDeclaration,
  EqualsToken: ts.SyntaxKind.EqualsToken,
  ExportAssignment: ts.SyntaxKind.ExportAssignment,
  ExportDeclaration: ts.SyntaxKind.ExportDeclaration,
  ExpressionStatement: ts.SyntaxKind.ExpressionStatement,
  ExtendsKeyword: ts.SyntaxKind.ExtendsKeyword,
  FirstCompoundAssignment: ts.SyntaxKind.FirstCompoundAssignment,
  ForInStatement: ts.SyntaxKind.ForInStatement,
  ForOfStatement: ts.SyntaxKind.ForOfStatement,
  ForStatement: ts.SyntaxKind.ForStatement,
  FunctionDeclaration: ts.SyntaxKind.FunctionDeclaration,
  FunctionExpression: ts.SyntaxKind.FunctionExpression,
  Identifier: ts.SyntaxKind.Identifier,
  IfStatement: ts.SyntaxKind.IfStatement,
  ImportDeclaration: ts.SyntaxKind.ImportDeclaration,
  ImportEqualsDeclaration: ts.SyntaxKind.ImportEqualsDeclaration,
  ImportKeyword: ts.SyntaxKind.ImportKeyword,
  InterfaceDeclaration: ts.SyntaxKind.InterfaceDeclaration,
  JsxAttribute: ts.SyntaxKind.JsxAttribute,
  JsxClosingElement: ts.SyntaxKind.JsxClosingElement,
  JsxNamespacedName: ts.SyntaxKind.JsxNamespacedName,
  JsxOpeningElement: ts.SyntaxKind.JsxOpeningElement,
  JsxSelfClosingElement: ts.SyntaxKind.JsxSelfClosingElement,
  LabeledStatement: ts.SyntaxKind.LabeledStatement,
  LastCompoundAssignment: ts.SyntaxKind.LastCompoundAssignment,
  MetaProperty: ts.SyntaxKind.MetaProperty,
  MinusMinusToken: ts.SyntaxKind.MinusMinusToken,
  ModuleDeclaration: ts.SyntaxKind.ModuleDeclaration,
  NewExpression: ts.SyntaxKind.NewExpression,
  ObjectLiteralExpression: ts.SyntaxKind.ObjectLiteralExpression,
  PlusPlusToken: ts.SyntaxKind.PlusPlusToken,
  PostfixUnaryExpression: ts.SyntaxKind.PostfixUnaryExpression,
  PrefixUnaryExpression: ts.SyntaxKind.PrefixUnaryExpression,
  PropertyAccessExpression: ts.SyntaxKind.PropertyAccessExpression,
  QuestionQuestionEqualsToken: ts.SyntaxKind.QuestionQuestionEqualsToken,
  QuestionQuestionToken: ts.SyntaxKind.QuestionQuestionToken,
  ReturnStatement: ts.SyntaxKind.ReturnStatement,
  StaticKeyword: ts.SyntaxKind.StaticKeyword,
  SwitchStatement: ts.SyntaxKind.SwitchStatement,
  ThrowStatement: ts.SyntaxKind.ThrowStatement,
  TryStatement: ts.SyntaxKind.TryStatement,
  TypeAliasDeclaration: ts.SyntaxKind.TypeAliasDeclaration,
  TypeParameter: ts.SyntaxKind.TypeParameter,
  VariableDeclarationList: ts.SyntaxKind.VariableDeclarationList,
  VariableStatement: ts.SyntaxKind.VariableStatement,
  WhileStatement: ts.SyntaxKind.WhileStatement,
  WithStatement: ts.SyntaxKind.WithStatement,
  YieldExpression: ts.SyntaxKind.YieldExpression,
  Count: ts.SyntaxKind.Count,
} as const;

/** `ts.isTypeNode` looks only at the kind, so it is tabulated once per kind. */
const TYPE_KINDS: readonly boolean[] = Array.from({ length: SyntaxKind.Count }, (_, kind) =>
  ts.isTypeNode({ kind } as ts.Node),
);

function isTypeNode(node: ts.Node): boolean {
  return TYPE_KINDS[node.kind] === true;
}

/** Deeper than this, the walker stops recursing and reads the remaining subtree conservatively. */
const MAX_DEPTH = 500;

interface FunctionTracker {
  name: string;
  kind: 'function' | 'class';
  /** The function (or the class's constructor) whose parameters are the fact's `params`. */
  paramOwner: ts.Node | undefined;
  paramScope: Scope | undefined;
  params: string[];
  freeVariables: Set<string>;
  globalWrites: Set<string>;
  mutatedGlobals: Set<string>;
  mutatedParams: Set<string>;
  callees: Set<string>;
  decorators: string[];
  async: boolean;
  node: ts.Node;
  /** A tracked function's top-level body statements (see BodyWalk). */
  body: Operation[] | undefined;
}

/**
 * While a tracked function's body is walked: the function's scope and the facts of the body
 * statement being walked. Names count for it when they resolve to that scope or outside the
 * function (names of nested blocks and functions stay inside the statement).
 */
interface BodyWalk {
  root: Scope;
  statement: StatementFacts;
  returns: boolean;
}

interface StatementFacts {
  defines: Set<string>;
  uses: Set<string>;
  mutates: Set<string>;
  deletes: Set<string>;
  calls: CallSite[];
}

type FunctionNode = ts.FunctionLikeDeclaration;

function newStatementFacts(): StatementFacts {
  return { defines: new Set(), uses: new Set(), mutates: new Set(), deletes: new Set(), calls: [] };
}

function isFunctionValue(expr: ts.Expression | undefined): expr is ts.ArrowFunction | ts.FunctionExpression | ts.ClassExpression {
  if (!expr) return false;
  const inner = unwrap(expr);
  return isArrowFunction(inner) || isFunctionExpression(inner) || isClassExpression(inner);
}

function isCompoundAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= SyntaxKind.FirstCompoundAssignment && kind <= SyntaxKind.LastCompoundAssignment;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return (
    kind === SyntaxKind.AmpersandAmpersandToken ||
    kind === SyntaxKind.BarBarToken ||
    kind === SyntaxKind.QuestionQuestionToken
  );
}

function isUpdate(node: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): boolean {
  return node.operator === SyntaxKind.PlusPlusToken || node.operator === SyntaxKind.MinusMinusToken;
}

export class CellWalker {
  private scope: Scope | undefined;
  private tracker: FunctionTracker | undefined;
  private body: BodyWalk | undefined;
  private readonly definite = new DefiniteBindings();
  private readonly defines = new Set<string>();
  private readonly uses = new Set<string>();
  private readonly builtinUses = new Set<string>();
  private readonly mutates = new Set<string>();
  private readonly deletes = new Set<string>();
  /** Every name the cell has bound so far, definitely or not: such a name no longer denotes a global. */
  private readonly boundInCell = new Set<string>();
  private readonly importBound = new Set<string>();
  private readonly claimedModuleCalls = new Set<ts.Node>();
  private statement = newStatementFacts();
  private depth = 0;
  private warnedDepth = false;
  private readonly walkChild = (child: ts.Node): void => {
    this.walk(child);
  };

  constructor(
    private readonly sourceFile: ts.SourceFile,
    private readonly facts: CellFacts,
  ) {}

  run(): void {
    try {
      this.hoistFunctions();
      for (const statement of this.sourceFile.statements) {
        if (isEmptyStatement(statement)) continue;
        this.definite.startStatement();
        this.statement = newStatementFacts();
        this.walk(statement);
        this.facts.operations.push(this.operation(statement));
      }
    } finally {
      this.facts.defines = [...this.defines];
      this.facts.uses = [...this.uses];
      this.facts.builtinUses = [...this.builtinUses];
      this.facts.mutates = [...this.mutates];
      this.facts.deletes = [...this.deletes];
    }
  }

  /** Cell-level function declarations are callable from the cell's first line. */
  private hoistFunctions(): void {
    for (const statement of this.sourceFile.statements) {
      if (isFunctionDeclaration(statement) && statement.name && statement.body) {
        this.definite.cell.add(statement.name.text);
        this.boundInCell.add(statement.name.text);
      }
    }
  }

  private operation(statement: ts.Statement): Operation {
    return this.operationOf(statement, operationKind(statement), this.statement, this.facts.operations.length);
  }

  private operationOf(node: ts.Node, kind: OperationKind, facts: StatementFacts, index: number): Operation {
    return {
      index,
      kind,
      span: spanOf(node, this.sourceFile),
      code: codeOf(node, this.sourceFile),
      defines: [...facts.defines],
      uses: [...facts.uses],
      mutates: [...facts.mutates],
      deletes: [...facts.deletes],
      calls: facts.calls,
    };
  }

  /**
   * A tracked function's body, one operation per top-level statement (an expression body is one
   * operation that returns), walked in the function's scope (already entered).
   */
  private walkBodyStatements(body: ts.ConciseBody, root: Scope): Operation[] {
    const saved = this.body;
    const operations: Operation[] = [];
    const walkOne = (node: ts.Node, kind: OperationKind, returns: boolean): void => {
      const walk: BodyWalk = { root, statement: newStatementFacts(), returns };
      this.body = walk;
      this.walk(node);
      const operation = this.operationOf(node, kind, walk.statement, operations.length);
      operation.returns = walk.returns;
      operations.push(operation);
    };
    try {
      if (!isBlock(body)) walkOne(body, 'expression', true);
      else for (const statement of body.statements) if (!isEmptyStatement(statement)) walkOne(statement, operationKind(statement), false);
    } finally {
      this.body = saved;
    }
    return operations;
  }

  /** Whether the current scope is the body's own or a name resolved to `scope` counts for the body statement. */
  private countsForBody(scope: Scope | undefined, name: string): boolean {
    return scope ? scope === this.body?.root : !this.isGlobal(name);
  }

  /** A `return`/`yield` of the tracked function itself, not of a function nested in it. */
  private markReturn(): void {
    const body = this.body;
    if (!body) return;
    for (let scope = this.scope; scope && scope !== body.root; scope = scope.parent) if (scope.kind === 'function') return;
    body.returns = true;
  }

  // ---- names ------------------------------------------------------------------------------

  private isGlobal(name: string): boolean {
    return isScriptGlobal(name) && !this.boundInCell.has(name);
  }

  private readName(name: string): void {
    if (this.body && name && this.countsForBody(this.scope?.resolve(name), name)) this.body.statement.uses.add(name);
    if (!name || this.scope?.resolve(name)) return;
    if (this.tracker) {
      if (!this.isGlobal(name)) this.tracker.freeVariables.add(name);
      return;
    }
    const builtin = this.isGlobal(name);
    if (!builtin && !this.definite.statement.has(name)) this.statement.uses.add(name);
    if (!this.definite.cell.has(name)) (builtin ? this.builtinUses : this.uses).add(name);
  }

  private bindName(name: string): void {
    if (this.body && name && this.countsForBody(this.scope?.resolve(name), name)) this.body.statement.defines.add(name);
    if (!name || this.scope?.resolve(name)) return;
    if (this.tracker) {
      this.tracker.globalWrites.add(name);
      return;
    }
    this.defines.add(name);
    this.statement.defines.add(name);
    this.boundInCell.add(name);
    this.definite.bind(name);
  }

  /** The object `name` denotes may change in place. */
  private mutateName(name: string): void {
    const scope = this.scope?.resolve(name);
    if (this.body && this.countsForBody(scope, name)) this.body.statement.mutates.add(name);
    if (this.tracker) {
      if (!scope) {
        if (!this.isGlobal(name)) this.tracker.mutatedGlobals.add(name);
      } else if (scope === this.tracker.paramScope && scope.params.has(name)) {
        this.tracker.mutatedParams.add(name);
      }
      return;
    }
    if (scope || this.isGlobal(name)) return;
    this.mutates.add(name);
    this.statement.mutates.add(name);
  }

  /** `x += 1`, `x++`: a new value computed from the old one. */
  private updateName(name: string): void {
    if (this.body && name && this.countsForBody(this.scope?.resolve(name), name)) this.body.statement.mutates.add(name);
    if (!name || this.scope?.resolve(name)) return;
    if (this.tracker) {
      this.tracker.globalWrites.add(name);
      return;
    }
    if (this.isGlobal(name)) return;
    this.mutates.add(name);
    this.statement.mutates.add(name);
  }

  private mutateRoot(expr: ts.Expression): void {
    const root = rootIdentifier(expr);
    if (root) this.mutateName(root.text);
  }

  private isCellLevel(name: string): boolean {
    return !this.tracker && !this.scope?.resolve(name);
  }

  /** Calls on these receivers do not change them: globals like `Math`, imported modules. */
  private isModuleReceiver(name: string): boolean {
    if (this.scope?.resolve(name)) return false;
    if (this.importBound.has(name)) return true;
    return !this.boundInCell.has(name) && (isScriptGlobal(name) || MODULE_NAMES.has(name));
  }

  // ---- traversal ----------------------------------------------------------------------------

  private walk(node: ts.Node | undefined): void {
    if (!node) return;
    if (this.depth >= MAX_DEPTH) {
      this.walkConservatively(node);
      return;
    }
    this.depth++;
    try {
      this.visit(node);
    } finally {
      this.depth--;
    }
  }

  private visit(node: ts.Node): void {
    if (isTypeNode(node)) return;
    switch (node.kind) {
      case SyntaxKind.Identifier:
        this.readName((node as ts.Identifier).text);
        return;
      case SyntaxKind.VariableStatement:
        this.walkVariableList((node as ts.VariableStatement).declarationList);
        return;
      case SyntaxKind.VariableDeclarationList:
        this.walkVariableList(node as ts.VariableDeclarationList);
        return;
      case SyntaxKind.FunctionDeclaration:
        this.walkFunctionDeclaration(node as ts.FunctionDeclaration);
        return;
      case SyntaxKind.ClassDeclaration:
      case SyntaxKind.ClassExpression:
        this.walkClassNode(node as ts.ClassLikeDeclaration);
        return;
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.FunctionExpression:
        this.walkInlineFunction(node as FunctionNode);
        return;
      case SyntaxKind.InterfaceDeclaration:
      case SyntaxKind.TypeAliasDeclaration:
        if (!this.scope && !this.tracker) this.bindName((node as ts.InterfaceDeclaration | ts.TypeAliasDeclaration).name.text);
        return;
      case SyntaxKind.EnumDeclaration:
        this.walkEnum(node as ts.EnumDeclaration);
        return;
      case SyntaxKind.ModuleDeclaration:
        this.walkNamespace(node as ts.ModuleDeclaration);
        return;
      case SyntaxKind.ImportDeclaration:
        this.walkImport(node as ts.ImportDeclaration);
        return;
      case SyntaxKind.ImportEqualsDeclaration:
        this.walkImportEquals(node as ts.ImportEqualsDeclaration);
        return;
      case SyntaxKind.ExportDeclaration:
        this.walkExport(node as ts.ExportDeclaration);
        return;
      case SyntaxKind.Block:
        this.walkBlock((node as ts.Block).statements);
        return;
      case SyntaxKind.IfStatement:
        this.walkIf(node as ts.IfStatement);
        return;
      case SyntaxKind.ForStatement:
        this.walkFor(node as ts.ForStatement);
        return;
      case SyntaxKind.ForInStatement:
      case SyntaxKind.ForOfStatement:
        this.walkForInOf(node as ts.ForInOrOfStatement);
        return;
      case SyntaxKind.WhileStatement:
        this.walk((node as ts.WhileStatement).expression);
        this.definite.branch(() => this.walk((node as ts.WhileStatement).statement));
        return;
      case SyntaxKind.SwitchStatement:
        this.walkSwitch(node as ts.SwitchStatement);
        return;
      case SyntaxKind.TryStatement:
        this.walkTry(node as ts.TryStatement);
        return;
      case SyntaxKind.LabeledStatement:
        this.walk((node as ts.LabeledStatement).statement);
        return;
      case SyntaxKind.BreakStatement:
      case SyntaxKind.ContinueStatement:
      case SyntaxKind.DebuggerStatement:
      case SyntaxKind.MetaProperty:
      case SyntaxKind.TypeParameter:
      case SyntaxKind.JsxClosingElement:
      case SyntaxKind.JsxNamespacedName:
        return;
      case SyntaxKind.ReturnStatement:
      case SyntaxKind.YieldExpression:
        this.markReturn();
        forEachChild(node, this.walkChild);
        return;
      case SyntaxKind.BinaryExpression:
        this.walkBinary(node as ts.BinaryExpression);
        return;
      case SyntaxKind.ConditionalExpression:
        this.walkConditional(node as ts.ConditionalExpression);
        return;
      case SyntaxKind.PrefixUnaryExpression:
      case SyntaxKind.PostfixUnaryExpression:
        this.walkUnary(node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression);
        return;
      case SyntaxKind.DeleteExpression:
        this.walkDelete(node as ts.DeleteExpression);
        return;
      case SyntaxKind.CallExpression:
        this.walkCall(node as ts.CallExpression);
        return;
      case SyntaxKind.NewExpression:
        this.walkNew(node as ts.NewExpression);
        return;
      case SyntaxKind.PropertyAccessExpression:
        this.walk((node as ts.PropertyAccessExpression).expression);
        return;
      case SyntaxKind.ObjectLiteralExpression:
        this.walkObjectLiteral(node as ts.ObjectLiteralExpression);
        return;
      case SyntaxKind.JsxAttribute:
        this.walk((node as ts.JsxAttribute).initializer);
        return;
      case SyntaxKind.JsxOpeningElement:
      case SyntaxKind.JsxSelfClosingElement:
        this.walkJsxTag(node as ts.JsxOpeningElement | ts.JsxSelfClosingElement);
        return;
      default:
        forEachChild(node, this.walkChild);
    }
  }

  /** Past MAX_DEPTH: every identifier in value position is a read; nothing is bound. No recursion. */
  private walkConservatively(root: ts.Node): void {
    if (!this.warnedDepth) {
      this.warnedDepth = true;
      this.addDiagnostic('warning', `code nested deeper than ${MAX_DEPTH} levels is analysed approximately`, root);
    }
    const pending: ts.Node[] = [root];
    while (pending.length > 0) {
      const node = pending.pop() as ts.Node;
      if (isTypeNode(node)) continue;
      if (isIdentifier(node)) this.readName(node.text);
      else if (isPropertyAccessExpression(node)) pending.push(node.expression);
      else if (isPropertyAssignment(node)) pending.push(node.initializer);
      else forEachChild(node, (child) => void pending.push(child));
    }
  }

  private addDiagnostic(severity: Diagnostic['severity'], message: string, node: ts.Node): void {
    const position = this.sourceFile.getLineAndCharacterOfPosition(node.getStart(this.sourceFile));
    this.facts.diagnostics.push({ severity, message, line: position.line + 1, column: position.character });
  }

  private withScope(scope: Scope, body: () => void): void {
    const saved = this.scope;
    this.scope = scope;
    try {
      body();
    } finally {
      this.scope = saved;
    }
  }

  private walkBlock(statements: readonly ts.Statement[]): void {
    const scope = new Scope('block', this.scope);
    declareLexical(scope, statements);
    this.withScope(scope, () => {
      for (const statement of statements) this.walk(statement);
    });
  }

  // ---- declarations -------------------------------------------------------------------------

  private walkVariableList(list: ts.VariableDeclarationList): void {
    for (const declaration of list.declarations) {
      const { name, initializer } = declaration;
      if (isIdentifier(name) && isFunctionValue(initializer) && this.isCellLevel(name.text)) {
        this.bindName(name.text);
        this.walkTrackedValue(name.text, unwrap(initializer as ts.Expression), declaration);
        continue;
      }
      const imported = initializer ? moduleCall(initializer) : undefined;
      if (imported) this.claimedModuleCalls.add(imported.call);
      this.walk(initializer);
      this.bindPattern(name);
      if (imported) {
        const names = boundNames(name);
        this.addImport(imported.module, names, declaration);
        for (const bound of names) if (this.isCellLevel(bound)) this.importBound.add(bound);
      }
    }
  }

  /** Binds a declaration's name or pattern; defaults and computed keys are reads, in order. */
  private bindPattern(name: ts.BindingName): void {
    if (isIdentifier(name)) {
      this.bindName(name.text);
      return;
    }
    if (this.depth >= MAX_DEPTH) {
      this.walkConservatively(name);
      return;
    }
    this.depth++;
    try {
      for (const element of name.elements) {
        if (!isBindingElement(element)) continue;
        if (element.propertyName && isComputedPropertyName(element.propertyName)) this.walk(element.propertyName.expression);
        this.walk(element.initializer);
        this.bindPattern(element.name);
      }
    } finally {
      this.depth--;
    }
  }

  private walkFunctionDeclaration(node: ts.FunctionDeclaration): void {
    if (!node.body) return; // an overload signature: nothing runs
    const name = node.name?.text;
    if (name) {
      const tracked = this.isCellLevel(name);
      this.bindName(name);
      if (tracked) {
        this.walkTrackedValue(name, node, node);
        return;
      }
    }
    this.walkInlineFunction(node);
  }

  private walkClassNode(node: ts.ClassLikeDeclaration): void {
    const name = isClassDeclaration(node) ? node.name?.text : undefined;
    if (name && this.isCellLevel(name)) {
      this.walkTrackedValue(name, node, node);
      return;
    }
    this.walkClass(node, name, undefined);
  }

  private newTracker(name: string, kind: FunctionTracker['kind'], node: ts.Node): FunctionTracker {
    return {
      name,
      kind,
      paramOwner: undefined,
      paramScope: undefined,
      params: [],
      freeVariables: new Set(),
      globalWrites: new Set(),
      mutatedGlobals: new Set(),
      mutatedParams: new Set(),
      callees: new Set(),
      decorators: [],
      async: false,
      node,
      body: undefined,
    };
  }

  /** A named cell-level function or class: its body's effects go on a FunctionFact. */
  private walkTrackedValue(name: string, value: ts.Node, spanNode: ts.Node): void {
    const tracker = this.newTracker(name, isClassLike(value) ? 'class' : 'function', spanNode);
    if (isClassLike(value)) {
      tracker.paramOwner = value.members.find(ts.isConstructorDeclaration);
      this.walkClass(value, isClassDeclaration(value) ? name : undefined, tracker);
    } else {
      const fn = value as FunctionNode;
      tracker.paramOwner = fn;
      tracker.async = hasModifier(fn, SyntaxKind.AsyncKeyword);
      const outer = this.tracker;
      this.tracker = tracker;
      try {
        this.walkFunctionBody(fn);
      } finally {
        this.tracker = outer;
      }
    }
    this.facts.functions.push(this.functionFact(tracker));
  }

  private functionFact(tracker: FunctionTracker): FunctionFact {
    const fact: FunctionFact = {
      name: tracker.name,
      kind: tracker.kind,
      params: tracker.params,
      freeVariables: [...tracker.freeVariables],
      globalWrites: [...tracker.globalWrites],
      mutatedGlobals: [...tracker.mutatedGlobals],
      mutatedParams: [...tracker.mutatedParams],
      callees: [...tracker.callees],
      decorators: tracker.decorators,
      async: tracker.async,
      span: spanOf(tracker.node, this.sourceFile),
    };
    if (tracker.body) fact.body = tracker.body;
    return fact;
  }

  /** A function that runs where it appears, maybe not at all: what it binds is not definite. */
  private walkInlineFunction(fn: FunctionNode): void {
    this.definite.branch(() => this.walkFunctionBody(fn));
  }

  private walkFunctionBody(fn: FunctionNode): void {
    const scope = new Scope('function', this.scope);
    if (isFunctionExpression(fn) && fn.name) scope.names.add(fn.name.text);
    if (!isArrowFunction(fn)) scope.names.add('arguments');
    const params: string[] = [];
    for (const parameter of fn.parameters) {
      if (isIdentifier(parameter.name) && parameter.name.text === 'this') continue;
      for (const name of boundNames(parameter.name)) {
        scope.names.add(name);
        scope.params.add(name);
        params.push(name);
      }
    }
    const tracked = this.tracker && this.tracker.paramOwner === fn ? this.tracker : undefined;
    if (tracked) {
      tracked.paramScope = scope;
      tracked.params = params;
    }
    const body = fn.body;
    if (body && isBlock(body)) {
      declareLexical(scope, body.statements);
      declareHoistedVars(scope, body);
    }
    this.withScope(scope, () => {
      for (const parameter of fn.parameters) {
        for (const decorator of getDecorators(parameter) ?? []) this.walk(decorator.expression);
        this.walk(parameter.initializer);
        this.bindPattern(parameter.name);
      }
      if (tracked?.kind === 'function' && body) tracked.body = this.walkBodyStatements(body, scope);
      else if (body && isBlock(body)) for (const statement of body.statements) this.walk(statement);
      else this.walk(body);
    });
  }

  /**
   * Decorators, `extends`, computed member names and static initializers run when the class is
   * defined; methods, the constructor and instance field initializers run later (on the tracker).
   */
  private walkClass(node: ts.ClassLikeDeclaration, bindAs: string | undefined, tracker: FunctionTracker | undefined): void {
    for (const decorator of getDecorators(node) ?? []) {
      this.walk(decorator.expression);
      if (tracker) tracker.decorators.push(decoratorName(decorator));
    }
    for (const clause of node.heritageClauses ?? []) {
      if (clause.token !== SyntaxKind.ExtendsKeyword) continue;
      for (const type of clause.types) this.walk(type.expression);
    }
    if (bindAs) this.bindName(bindAs);
    const scope = new Scope('class', this.scope);
    if (node.name) scope.names.add(node.name.text);
    this.withScope(scope, () => {
      for (const member of node.members) this.walkClassMember(member, tracker);
    });
  }

  private walkClassMember(member: ts.ClassElement, tracker: FunctionTracker | undefined): void {
    const decorators = canHaveDecorators(member) ? getDecorators(member) : undefined;
    for (const decorator of decorators ?? []) this.walk(decorator.expression);
    if (member.name && isComputedPropertyName(member.name)) this.walk(member.name.expression);
    const isStatic = hasModifier(member, SyntaxKind.StaticKeyword);
    if (isClassStaticBlockDeclaration(member)) {
      this.walkBlock(member.body.statements);
    } else if (isPropertyDeclaration(member)) {
      if (isStatic) this.walk(member.initializer);
      else this.atCallTime(tracker, () => this.walk(member.initializer));
    } else if (isMethodDeclaration(member) || isConstructorDeclaration(member) || isAccessor(member)) {
      this.atCallTime(tracker, () => this.walkFunctionBody(member));
    }
  }

  /** Code that runs later: on the tracker when there is one, else as a branch of the cell. */
  private atCallTime(tracker: FunctionTracker | undefined, body: () => void): void {
    if (!tracker) {
      this.definite.branch(body);
      return;
    }
    const outer = this.tracker;
    this.tracker = tracker;
    try {
      body();
    } finally {
      this.tracker = outer;
    }
  }

  private walkEnum(node: ts.EnumDeclaration): void {
    this.bindName(node.name.text);
    const scope = new Scope('block', this.scope);
    for (const member of node.members) {
      if (isIdentifier(member.name) || isStringLiteral(member.name)) scope.names.add(member.name.text);
    }
    this.withScope(scope, () => {
      for (const member of node.members) this.walk(member.initializer);
    });
  }

  private walkNamespace(node: ts.ModuleDeclaration): void {
    if (!isIdentifier(node.name)) return; // `declare module 'x'`: types only
    if (!this.scope && !this.tracker) this.bindName(node.name.text);
    if (node.body && isModuleBlock(node.body)) this.walkBlock(node.body.statements);
  }

  // ---- imports and exports ------------------------------------------------------------------

  private addImport(module: string, names: string[], node: ts.Node): void {
    this.facts.imports.push({ module, names, line: lineOf(node, this.sourceFile) });
  }

  private bindImported(name: string): void {
    this.bindName(name);
    if (!this.tracker && !this.scope) this.importBound.add(name);
  }

  private walkImport(node: ts.ImportDeclaration): void {
    const module = stringValue(node.moduleSpecifier as ts.Expression) ?? node.moduleSpecifier.getText(this.sourceFile);
    const names: string[] = [];
    const clause = node.importClause;
    if (clause?.name) names.push(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && isNamespaceImport(bindings)) names.push(bindings.name.text);
    if (bindings && isNamedImports(bindings)) for (const element of bindings.elements) names.push(element.name.text);
    for (const name of names) this.bindImported(name);
    this.addImport(module, names, node);
  }

  private walkImportEquals(node: ts.ImportEqualsDeclaration): void {
    const reference = node.moduleReference;
    if (isExternalModuleReference(reference)) {
      const module = stringValue(reference.expression) ?? reference.expression.getText(this.sourceFile);
      this.bindImported(node.name.text);
      this.addImport(module, [node.name.text], node);
      return;
    }
    let root: ts.EntityName = reference;
    while (isQualifiedName(root)) root = root.left;
    this.readName(root.text);
    this.bindName(node.name.text);
  }

  private walkExport(node: ts.ExportDeclaration): void {
    if (node.moduleSpecifier) {
      const module = stringValue(node.moduleSpecifier) ?? node.moduleSpecifier.getText(this.sourceFile);
      this.addImport(module, [], node);
      return;
    }
    if (node.isTypeOnly || !node.exportClause || !isNamedExports(node.exportClause)) return;
    for (const element of node.exportClause.elements) {
      const local = element.propertyName ?? element.name;
      if (isIdentifier(local)) this.readName(local.text);
    }
  }

  // ---- statements ---------------------------------------------------------------------------

  private walkIf(node: ts.IfStatement): void {
    this.walk(node.expression);
    const whenTrue = this.definite.branch(() => this.walk(node.thenStatement));
    if (!node.elseStatement) return;
    const whenFalse = this.definite.branch(() => this.walk(node.elseStatement));
    this.definite.bindCommon([whenTrue, whenFalse]);
  }

  private walkFor(node: ts.ForStatement): void {
    const scope = new Scope('block', this.scope);
    const initializer = node.initializer;
    if (initializer && isVariableDeclarationList(initializer) && !isVarList(initializer)) declareList(scope, initializer);
    this.withScope(scope, () => {
      this.walk(initializer);
      this.walk(node.condition);
      this.definite.branch(() => {
        this.walk(node.statement);
        this.walk(node.incrementor);
      });
    });
  }

  private walkForInOf(node: ts.ForInOrOfStatement): void {
    this.walk(node.expression);
    const scope = new Scope('block', this.scope);
    const initializer = node.initializer;
    if (isVariableDeclarationList(initializer) && !isVarList(initializer)) declareList(scope, initializer);
    this.withScope(scope, () =>
      this.definite.branch(() => {
        if (isVariableDeclarationList(initializer)) {
          for (const declaration of initializer.declarations) this.bindPattern(declaration.name);
        } else {
          this.assignTarget(initializer);
        }
        this.walk(node.statement);
      }),
    );
  }

  private walkSwitch(node: ts.SwitchStatement): void {
    this.walk(node.expression);
    const scope = new Scope('block', this.scope);
    for (const clause of node.caseBlock.clauses) declareLexical(scope, clause.statements);
    this.withScope(scope, () => {
      for (const clause of node.caseBlock.clauses) {
        this.definite.branch(() => {
          if (isCaseClause(clause)) this.walk(clause.expression);
          for (const statement of clause.statements) this.walk(statement);
        });
      }
    });
  }

  private walkTry(node: ts.TryStatement): void {
    this.definite.branch(() => this.walk(node.tryBlock));
    const handler = node.catchClause;
    if (handler) {
      const scope = new Scope('block', this.scope);
      const binding = handler.variableDeclaration;
      if (binding) for (const name of boundNames(binding.name)) scope.names.add(name);
      this.withScope(scope, () =>
        this.definite.branch(() => {
          if (binding) this.bindPattern(binding.name);
          this.walk(handler.block);
        }),
      );
    }
    this.walk(node.finallyBlock);
  }

  // ---- expressions --------------------------------------------------------------------------

  private walkBinary(node: ts.BinaryExpression): void {
    const operator = node.operatorToken.kind;
    if (operator === SyntaxKind.EqualsToken) {
      const target = unwrap(node.left);
      if (isIdentifier(target) && isFunctionValue(node.right) && this.isCellLevel(target.text)) {
        this.bindName(target.text);
        this.walkTrackedValue(target.text, unwrap(node.right), node);
        return;
      }
      this.walk(node.right);
      this.assignTarget(node.left);
      return;
    }
    if (isCompoundAssignment(operator)) {
      const target = unwrap(node.left);
      this.walk(target);
      if (isShortCircuitAssignment(operator)) this.definite.branch(() => this.walk(node.right));
      else this.walk(node.right);
      if (isIdentifier(target)) this.updateName(target.text);
      else this.mutateRoot(target);
      return;
    }
    if (isShortCircuit(operator)) {
      this.walk(node.left);
      this.definite.branch(() => this.walk(node.right));
      return;
    }
    // Long chains like `a + b + c + …` nest on the left: walk the spine iteratively.
    const rights: ts.Expression[] = [];
    let current: ts.Expression = node;
    while (isBinaryExpression(current) && isPlainOperator(current.operatorToken.kind)) {
      rights.push(current.right);
      current = current.left;
    }
    this.walk(current);
    for (let i = rights.length - 1; i >= 0; i--) this.walk(rights[i]);
  }

  /** The left side of `=` (or a `for…of` target): names are bound, members mutate their root. */
  private assignTarget(target: ts.Expression): void {
    const node = unwrap(target);
    if (isIdentifier(node)) {
      this.bindName(node.text);
    } else if (isPropertyAccessExpression(node)) {
      this.walk(node.expression);
      this.mutateRoot(node);
    } else if (isElementAccessExpression(node)) {
      this.walk(node.expression);
      this.walk(node.argumentExpression);
      this.mutateRoot(node);
    } else if (isArrayLiteralExpression(node)) {
      for (const element of node.elements) this.assignElement(element);
    } else if (isObjectLiteralExpression(node)) {
      for (const property of node.properties) this.assignProperty(property);
    } else {
      this.walk(node);
    }
  }

  private assignElement(element: ts.Expression): void {
    if (isOmittedExpression(element)) return;
    if (isSpreadElement(element)) {
      this.assignTarget(element.expression);
    } else if (isBinaryExpression(element) && element.operatorToken.kind === SyntaxKind.EqualsToken) {
      this.walk(element.right);
      this.assignTarget(element.left);
    } else {
      this.assignTarget(element);
    }
  }

  private assignProperty(property: ts.ObjectLiteralElementLike): void {
    if (isShorthandPropertyAssignment(property)) {
      this.walk(property.objectAssignmentInitializer);
      this.bindName(property.name.text);
    } else if (isPropertyAssignment(property)) {
      if (isComputedPropertyName(property.name)) this.walk(property.name.expression);
      this.assignElement(property.initializer);
    } else if (isSpreadAssignment(property)) {
      this.assignTarget(property.expression);
    }
  }

  private walkConditional(node: ts.ConditionalExpression): void {
    this.walk(node.condition);
    const whenTrue = this.definite.branch(() => this.walk(node.whenTrue));
    const whenFalse = this.definite.branch(() => this.walk(node.whenFalse));
    this.definite.bindCommon([whenTrue, whenFalse]);
  }

  private walkUnary(node: ts.PrefixUnaryExpression | ts.PostfixUnaryExpression): void {
    const operand = unwrap(node.operand);
    this.walk(operand);
    if (!isUpdate(node)) return;
    if (isIdentifier(operand)) this.updateName(operand.text);
    else this.mutateRoot(operand);
  }

  private walkDelete(node: ts.DeleteExpression): void {
    const operand = unwrap(node.expression);
    if (isIdentifier(operand)) {
      if (this.isCellLevel(operand.text) && operand.text) {
        this.deletes.add(operand.text);
        this.statement.deletes.add(operand.text);
      }
      return;
    }
    this.walk(operand);
    this.mutateRoot(operand);
  }

  private walkObjectLiteral(node: ts.ObjectLiteralExpression): void {
    for (const property of node.properties) {
      if (property.name && isComputedPropertyName(property.name)) this.walk(property.name.expression);
      if (isPropertyAssignment(property)) this.walk(property.initializer);
      else if (isShorthandPropertyAssignment(property)) this.readName(property.name.text);
      else if (isSpreadAssignment(property)) this.walk(property.expression);
      else this.walkInlineFunction(property);
    }
  }

  private walkJsxTag(node: ts.JsxOpeningElement | ts.JsxSelfClosingElement): void {
    const tag = node.tagName;
    if (isIdentifier(tag)) {
      if (/^[A-Z]/.test(tag.text)) this.readName(tag.text);
    } else {
      this.walk(tag);
    }
    this.walk(node.attributes);
  }

  private walkCall(node: ts.CallExpression): void {
    this.walk(node.expression);
    for (const argument of node.arguments) this.walk(argument);
    const imported = moduleCall(node);
    if (imported && !this.claimedModuleCalls.has(node)) this.addImport(imported.module, [], node);
    this.applyCallMutation(node);
    this.recordCall(node, node.arguments);
    this.recordFileAccess(node);
  }

  private walkNew(node: ts.NewExpression): void {
    this.walk(node.expression);
    for (const argument of node.arguments ?? []) this.walk(argument);
    this.recordCall(node, node.arguments ?? []);
  }

  /**
   * `x.push(…)`, `x.a.sort()`: a mutation of `x`. Unknown methods count as mutations too, except
   * on globals and modules; known read-only methods (`map`, `slice`, …) do not.
   */
  private applyCallMutation(node: ts.CallExpression): void {
    const callee = unwrap(node.expression);
    if (!isPropertyAccessExpression(callee) || !isIdentifier(callee.name)) return;
    const root = rootIdentifier(callee.expression);
    if (!root) return;
    if (this.isModuleReceiver(root.text)) {
      const dotted = dottedName(callee);
      if (dotted && FIRST_ARGUMENT_MUTATORS.has(dotted) && node.arguments.length > 0) this.mutateRoot(node.arguments[0]);
      return;
    }
    if (NON_MUTATING_METHODS.has(callee.name.text)) return;
    this.mutateName(root.text);
  }

  private recordCall(node: ts.CallExpression | ts.NewExpression, args: readonly ts.Expression[]): void {
    const parts = dottedParts(node.expression);
    if (this.tracker) {
      const callee = unwrap(node.expression);
      if (isIdentifier(callee) && !this.scope?.resolve(callee.text) && !this.isGlobal(callee.text)) {
        this.tracker.callees.add(callee.text);
      }
    }
    const target = this.tracker ? this.body?.statement : this.statement;
    if (!target) return;
    const isImport = node.expression.kind === SyntaxKind.ImportKeyword;
    const site: CallSite = {
      callee: parts ? parts.join('.') : isImport ? 'import' : '<expr>',
      argNames: args.map((arg) => (isIdentifier(arg) ? arg.text : null)),
      keywordNames: {},
      literalArgs: {},
      line: lineOf(node, this.sourceFile),
    };
    if (parts) site.receiver = parts[0];
    if (parts && parts.length > 1) site.method = parts[parts.length - 1];
    args.forEach((arg, index) => {
      const value = literalValue(arg);
      if (value !== undefined) site.literalArgs[String(index)] = value;
    });
    target.calls.push(site);
  }

  private recordFileAccess(node: ts.CallExpression): void {
    const parts = dottedParts(node.expression);
    if (!parts || node.arguments.length === 0) return;
    const last = parts[parts.length - 1];
    const reads = FILE_READERS.has(last);
    if (!reads && !FILE_WRITERS.has(last)) return;
    const path = stringValue(node.arguments[0]);
    if (path === undefined) return;
    const access = { path, line: lineOf(node, this.sourceFile), via: parts.join('.') };
    (reads ? this.facts.files.reads : this.facts.files.writes).push(access);
  }
}

function isShortCircuitAssignment(kind: ts.SyntaxKind): boolean {
  return (
    kind === SyntaxKind.AmpersandAmpersandEqualsToken ||
    kind === SyntaxKind.BarBarEqualsToken ||
    kind === SyntaxKind.QuestionQuestionEqualsToken
  );
}

function isPlainOperator(kind: ts.SyntaxKind): boolean {
  return kind !== SyntaxKind.EqualsToken && !isCompoundAssignment(kind) && !isShortCircuit(kind);
}

function decoratorName(decorator: ts.Decorator): string {
  const expr = unwrap(decorator.expression);
  const target = isCallExpression(expr) ? expr.expression : expr;
  return dottedName(target) ?? '<expr>';
}

function operationKind(statement: ts.Statement): OperationKind {
  switch (statement.kind) {
    case SyntaxKind.VariableStatement: {
      const declarations = (statement as ts.VariableStatement).declarationList.declarations;
      const allImports = declarations.length > 0 && declarations.every((d) => d.initializer && moduleCall(d.initializer));
      return allImports ? 'import' : 'assign';
    }
    case SyntaxKind.ImportDeclaration:
    case SyntaxKind.ImportEqualsDeclaration:
      return 'import';
    case SyntaxKind.ExportDeclaration:
      return (statement as ts.ExportDeclaration).moduleSpecifier ? 'import' : 'other';
    case SyntaxKind.FunctionDeclaration:
      return 'function';
    case SyntaxKind.ClassDeclaration:
      return 'class';
    case SyntaxKind.ExpressionStatement:
      return expressionKind((statement as ts.ExpressionStatement).expression);
    case SyntaxKind.ExportAssignment:
      return 'expression';
    case SyntaxKind.IfStatement:
    case SyntaxKind.ForStatement:
    case SyntaxKind.ForInStatement:
    case SyntaxKind.ForOfStatement:
    case SyntaxKind.WhileStatement:
    case SyntaxKind.DoStatement:
    case SyntaxKind.SwitchStatement:
    case SyntaxKind.TryStatement:
    case SyntaxKind.Block:
    case SyntaxKind.LabeledStatement:
    case SyntaxKind.ReturnStatement:
    case SyntaxKind.ThrowStatement:
    case SyntaxKind.BreakStatement:
    case SyntaxKind.ContinueStatement:
    case SyntaxKind.WithStatement:
      return 'control';
    default:
      return 'other';
  }
}

function expressionKind(expression: ts.Expression): OperationKind {
  const expr = unwrap(expression);
  if (isBinaryExpression(expr)) {
    if (expr.operatorToken.kind === SyntaxKind.EqualsToken) return 'assign';
    if (isCompoundAssignment(expr.operatorToken.kind)) return 'augassign';
  }
  if ((isPrefixUnaryExpression(expr) || isPostfixUnaryExpression(expr)) && isUpdate(expr)) return 'augassign';
  if (isDeleteExpression(expr)) return 'delete';
  if (moduleCall(expr)) return 'import';
  return 'expression';
}
