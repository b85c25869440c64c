/**
 * Definite-assignment state at module level: which names the cell has certainly bound at this
 * point (`cell`), and which the current top-level statement has (`op`). A read of a name that is
 * not definitely bound is upward-exposed.
 */
export interface Flow {
  cell: Set<string>;
  op: Set<string>;
  /** Control cannot reach here (after `raise`, `return`, `break`, `continue`). */
  dead: boolean;
}

export function emptyFlow(): Flow {
  return { cell: new Set(), op: new Set(), dead: false };
}

export function cloneFlow(flow: Flow): Flow {
  return { cell: new Set(flow.cell), op: new Set(flow.op), dead: flow.dead };
}

function intersect(sets: Set<string>[]): Set<string> {
  const [first, ...rest] = sets;
  const out = new Set<string>();
  for (const name of first) if (rest.every((set) => set.has(name))) out.add(name);
  return out;
}

/** The state where control paths join: a name is definite only if every live path bound it. */
export function mergeFlows(flows: Flow[]): Flow {
  const live = flows.filter((flow) => !flow.dead);
  if (live.length === 0) return { ...cloneFlow(flows[0] ?? emptyFlow()), dead: true };
  return { cell: intersect(live.map((f) => f.cell)), op: intersect(live.map((f) => f.op)), dead: false };
}
