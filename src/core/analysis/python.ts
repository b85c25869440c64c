/** Python cell analysis: see python/analyzer.ts. */
export { createPythonAnalyzer, type PythonAnalyzer, type PythonAnalyzerOptions } from './python/analyzer';
export { PythonParserLoadError } from './python/parser';
export { DEFAULT_MUTATION_RULES, type MutationRules, type MutationRuleExtensions } from './mutation-rules';
export { PYTHON_BUILTIN_NAMES, isPythonBuiltin } from './builtins';
