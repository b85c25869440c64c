/** Tag vocabulary shared by the CLI, the editor and its webviews (docs/architecture.md §4). */

/** Roles a variable tag suggests; any short one-line text is accepted too. */
export const KNOWN_ROLES = ['param', 'metric', 'model', 'dataset', 'target'] as const;
export type KnownRole = (typeof KNOWN_ROLES)[number];

/** Stages offered for a cell; any short name without commas is accepted too. */
export const KNOWN_STAGES = ['data-reading', 'feature-engineering', 'model-training', 'model-scoring', 'evaluation'] as const;

/** A cell's stage is the Jupyter cell tag `stage:<name>`. */
export const STAGE_PREFIX = 'stage:';
