/**
 * May-alias analysis over an execution log: which names may hold the same object, or hold it inside
 * them, so that changing one changes the others (`b = a; b[2] = 9` changes `a`).
 *
 * Abstract objects stand for what a binding made: every bound value gets a fresh object plus one
 * for its elements, and takes (from its ValueFlow) the objects of the names it shares, the elements
 * of the names it copies, and the objects of the names it holds. A change to a name changes its
 * objects (and, unless the change is `outer`, everything reachable inside them); a changed object
 * changes every object that holds it, and every name bound to one of those. All of it may-alias:
 * it can only add changes, never drop one. Work per statement is proportional to the objects it
 * touches, and a restart forgets everything.
 */
import type { ValueFlow } from '../analysis/facts';

type ObjectId = number;

export class AliasState {
  private next = 0;
  /** name → the objects its current value may be. */
  private readonly pointsTo = new Map<string, Set<ObjectId>>();
  /** object → names whose value may be it. */
  private readonly holders = new Map<ObjectId, Set<string>>();
  /** object → objects it may hold (elements, members, views into it). */
  private readonly inner = new Map<ObjectId, Set<ObjectId>>();
  /** object → objects that may hold it. */
  private readonly outer = new Map<ObjectId, Set<ObjectId>>();
  private readonly iterators = new Set<ObjectId>();
  private readonly immutable = new Set<string>();

  restart(): void {
    this.pointsTo.clear();
    this.holders.clear();
    this.inner.clear();
    this.outer.clear();
    this.iterators.clear();
    this.immutable.clear();
  }

  /**
   * The objects each of `bindings` gets, judged before any of them is rebound (`a, b = b, a`).
   * `keep`: the statement may not bind (a branch, a loop body), so old objects stay possible.
   */
  bindAll(bindings: readonly { name: string; flow: ValueFlow | undefined; iterator?: boolean }[], keep: boolean): void {
    const computed = bindings.map(({ name, flow, iterator }) => ({ name, objects: this.objectsFor(flow, iterator ?? false), immutable: flow?.immutable === true }));
    for (const { name, objects, immutable } of computed) {
      if (keep) for (const object of this.pointsTo.get(name) ?? []) objects.add(object);
      this.setPointsTo(name, objects);
      if (immutable && !keep) this.immutable.add(name);
      else this.immutable.delete(name);
    }
  }

  unbind(name: string): void {
    this.setPointsTo(name, new Set());
    this.immutable.delete(name);
  }

  /** Objects of `stored` now live inside `container` (`d[k] = v`, `l.append(v)`). */
  store(container: string, stored: readonly string[]): void {
    const containers = this.pointsTo.get(container);
    if (!containers) return;
    for (const name of stored) {
      for (const object of this.pointsTo.get(name) ?? []) {
        for (const holder of containers) if (holder !== object) this.link(holder, object);
      }
    }
  }

  /** Whether the name's value is a literal number, string, bool or None (never changed in place). */
  isImmutable(name: string): boolean {
    return this.immutable.has(name);
  }

  /** Whether the name may hold an iterator or generator (consuming it changes it). */
  mayBeIterator(name: string): boolean {
    for (const object of this.pointsTo.get(name) ?? []) if (this.iterators.has(object)) return true;
    return false;
  }

  /** The iterator objects of `name` changed (consumed): names that may hold them. */
  consumed(name: string): string[] {
    const objects = [...(this.pointsTo.get(name) ?? [])].filter((object) => this.iterators.has(object));
    return this.namesOf(this.withHolders(objects), name);
  }

  /**
   * `name` was changed in place: every name whose value may have changed with it (`name` first).
   * `outer`: only the name's own object changed (`l.append(x)`), not the objects it holds.
   */
  changed(name: string, outer: boolean): string[] {
    const own = [...(this.pointsTo.get(name) ?? [])];
    const changed = outer ? own : this.reachable(own);
    return this.namesOf(this.withHolders(changed), name);
  }

  private objectsFor(flow: ValueFlow | undefined, iterator: boolean): Set<ObjectId> {
    const objects = new Set<ObjectId>();
    if (flow?.immutable) return objects;
    const fresh = this.next++;
    const elements = this.next++;
    objects.add(fresh);
    this.link(fresh, elements);
    if (iterator || flow?.iterator) this.iterators.add(fresh);
    if (!flow) return objects;
    for (const object of this.reachable(flow.share.flatMap((name) => [...(this.pointsTo.get(name) ?? [])]))) objects.add(object);
    for (const name of flow.copy) {
      for (const object of this.pointsTo.get(name) ?? []) {
        for (const element of this.inner.get(object) ?? []) this.link(fresh, element);
      }
    }
    for (const name of flow.contains) {
      for (const object of this.pointsTo.get(name) ?? []) this.link(fresh, object);
    }
    return objects;
  }

  private setPointsTo(name: string, objects: Set<ObjectId>): void {
    for (const object of this.pointsTo.get(name) ?? []) this.holders.get(object)?.delete(name);
    for (const object of objects) {
      const names = this.holders.get(object);
      if (names) names.add(name);
      else this.holders.set(object, new Set([name]));
    }
    this.pointsTo.set(name, objects);
  }

  private link(container: ObjectId, element: ObjectId): void {
    add(this.inner, container, element);
    add(this.outer, element, container);
  }

  /** The objects and everything inside them, transitively. */
  private reachable(start: readonly ObjectId[]): ObjectId[] {
    return walk(start, (object) => this.inner.get(object));
  }

  /** The objects and everything that holds them, transitively. */
  private withHolders(start: readonly ObjectId[]): ObjectId[] {
    return walk(start, (object) => this.outer.get(object));
  }

  private namesOf(objects: readonly ObjectId[], first: string): string[] {
    const names = new Set<string>([first]);
    for (const object of objects) for (const name of this.holders.get(object) ?? []) names.add(name);
    return [...names];
  }
}

function add(map: Map<ObjectId, Set<ObjectId>>, key: ObjectId, value: ObjectId): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function walk(start: readonly ObjectId[], next: (object: ObjectId) => ReadonlySet<ObjectId> | undefined): ObjectId[] {
  const seen = new Set<ObjectId>(start);
  const work = [...start];
  while (work.length > 0) {
    for (const object of next(work.pop()!) ?? []) {
      if (!seen.has(object)) {
        seen.add(object);
        work.push(object);
      }
    }
  }
  return [...seen];
}
