/** Lists up to this long are searched directly; longer ones get an index (most lists are per statement and short). */
const INDEX_FROM = 8;
const NO_POSITIONS = Object.freeze([]) as unknown as number[];

/** De-duplicated names kept in order of first appearance in the source (by character offset). */
export class OrderedNames {
  // Allocated on the first name: most lists of a statement stay empty.
  private names: string[] | null = null;
  private positions: number[] = NO_POSITIONS;
  private slots: Map<string, number> | null = null;

  private slotOf(name: string): number {
    if (this.slots) return this.slots.get(name) ?? -1;
    return this.names ? this.names.indexOf(name) : -1;
  }

  add(name: string, position: number): void {
    const slot = this.slotOf(name);
    if (slot !== -1) {
      if (position < this.positions[slot]) this.positions[slot] = position;
      return;
    }
    if (!this.names) {
      this.names = [name];
      this.positions = [position];
      return;
    }
    const names = this.names;
    names.push(name);
    this.positions.push(position);
    if (this.slots) this.slots.set(name, names.length - 1);
    else if (names.length > INDEX_FROM) this.slots = new Map(names.map((n, i) => [n, i]));
  }

  has(name: string): boolean {
    return this.slotOf(name) !== -1;
  }

  /** Names by first position; names at the same position keep the order they were added in. */
  toArray(): string[] {
    const { names, positions } = this;
    if (!names) return [];
    let sorted = true;
    for (let i = 1; i < positions.length && sorted; i += 1) sorted = positions[i - 1] <= positions[i];
    if (sorted) return names.slice();
    return names
      .map((_, slot) => slot)
      .sort((a, b) => positions[a] - positions[b] || a - b)
      .map((slot) => names[slot]);
  }
}
