/** De-duplicated names kept in order of first appearance in the source (by character offset). */
export class OrderedNames {
  private readonly firstSeen = new Map<string, number>();

  add(name: string, position: number): void {
    const seen = this.firstSeen.get(name);
    if (seen === undefined || position < seen) this.firstSeen.set(name, position);
  }

  has(name: string): boolean {
    return this.firstSeen.has(name);
  }

  toArray(): string[] {
    return [...this.firstSeen.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => name);
  }
}
