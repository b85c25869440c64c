/**
 * The engine side of the extension, bundled apart (dist/engine.js) and loaded by extension.ts on
 * first use: the store (sql.js), the analysers (tree-sitter WASM, the TypeScript compiler), lineage
 * and every feature built on them. Keeping it out of dist/extension.js is what keeps activation
 * cheap: the editor parses only the small activation bundle until a feature is used.
 */
export { Runtime } from './runtime';
export { tagVariable, untagVariable, tagCellStage } from './tagging';
export { saveTrial, runAsTrial } from './trialCommands';
export { provideHover } from './hoverProvider';
export { provideCodeLenses, provideCellStatusBarItems } from './cellStateProviders';
