/**
 * May-alias analysis over an execution log: which names may hold the same object, or hold it inside
 * them, so that changing one changes the others (`b = a; b[2] = 9` changes `a`).
 *
 * Every binding makes an abstract object. Objects that may be the same are merged into one class
 * (union-find, so the work stays near-linear in the history however long alias chains grow); a
 * class may have an elements class (what its containers hold: `[a, b]`, `d[k] = v`, and what shallow
 * copies share). Taking an element or a view (`x = d['k']`, `for x in rows`, `v = arr[1:]`) merges
 * the new object with the source's class and its elements; plain `b = a` merges with the class only.
 * A change to a name changes its class (and, unless the change is `outer` — `l.append(x)` — the
 * classes of everything inside it), then every class holding a changed one; every name bound to an
 * object of those classes changed. All of it may-alias: it only ever adds changes. A restart
 * forgets everything.
 *
 * A recorded execution adds what its run-time object identities prove (`observe`): names holding
 * the same object share a class, a name holding a member of another's value is in its elements
 * class. Identities only merge classes, never split them, so they keep the analysis sound.
 */
import type { ValueFlow } from '../analysis/facts';
import type { ObjectIdentity } from '../../shared/records';

type ObjectId = number;

export interface AliasBinding {
  name: string;
  flow: ValueFlow | undefined;
  iterator?: boolean;
}

export class AliasState {
  private parent: ObjectId[] = [];
  /** Per class representative: names whose current object is in the class. */
  private names = new Map<ObjectId, Set<string>>();
  /** Per class representative: an object of the class of its elements. */
  private elements = new Map<ObjectId, ObjectId>();
  /** Per class representative: objects whose elements class it is. */
  private containers = new Map<ObjectId, Set<ObjectId>>();
  private iterators = new Set<ObjectId>();
  private objectOf = new Map<string, ObjectId>();
  private immutable = new Set<string>();

  restart(): void {
    this.parent = [];
    this.names = new Map();
    this.elements = new Map();
    this.containers = new Map();
    this.iterators = new Set();
    this.objectOf = new Map();
    this.immutable = new Set();
  }

  /**
   * Binds each name to a new object related to its flow's sources as they were before the
   * statement (`a, b = b, a`). `keep`: the statement may not bind (a branch, a loop body), so the
   * old object stays possible.
   */
  bindAll(bindings: readonly AliasBinding[], keep: boolean): void {
    const made = bindings.map(({ name, flow, iterator }) => ({ name, flow, object: flow?.immutable ? undefined : this.objectFor(name, flow, iterator ?? false, keep) }));
    for (const { name, flow, object } of made) {
      if (object === undefined && keep) continue;
      this.rebind(name, object);
      if (flow?.immutable && !keep) this.immutable.add(name);
      else this.immutable.delete(name);
    }
  }

  unbind(name: string): void {
    this.rebind(name, undefined);
    this.immutable.delete(name);
  }

  /** Objects of `stored` now live inside `container` (`d[k] = v`, `l.append(v)`). */
  store(container: string, stored: readonly string[]): void {
    const holder = this.objectOf.get(container);
    if (holder === undefined) return;
    for (const name of stored) {
      const object = this.objectOf.get(name);
      if (object !== undefined) this.union(this.elementsOf(holder), object);
    }
  }

  /**
   * Aliasing seen at run time at the end of one execution: names whose values had the same id are
   * one class; a name whose value's id is a member of another name's value is in its elements class.
   * Ids are compared only within these identities (one record), since ids are reused.
   */
  observe(identities: Readonly<Record<string, ObjectIdentity>>): void {
    const holders = new Map<string, ObjectId>();
    for (const [name, { id }] of Object.entries(identities)) {
      const object = this.objectOf.get(name);
      if (object === undefined) continue;
      const same = holders.get(id);
      if (same === undefined) holders.set(id, object);
      else this.union(same, object);
    }
    for (const [name, { members }] of Object.entries(identities)) {
      const container = this.objectOf.get(name);
      if (container === undefined || !members) continue;
      for (const member of members) {
        const held = holders.get(member);
        if (held !== undefined) this.union(this.elementsOf(container), held);
      }
    }
  }

  /** Whether the name's value is a literal number, string, bool or None (never changed in place). */
  isImmutable(name: string): boolean {
    return this.immutable.has(name);
  }

  /** Whether the name may hold an iterator or generator (consuming it changes it). */
  mayBeIterator(name: string): boolean {
    const object = this.objectOf.get(name);
    return object !== undefined && this.iterators.has(this.find(object));
  }

  /** The name's iterator was consumed: the names that changed with it (`name` first). */
  consumed(name: string): string[] {
    return this.mayBeIterator(name) ? this.changed(name, true) : [name];
  }

  /**
   * `name` was changed in place: every name whose value may have changed with it (`name` first).
   * `outer`: only the name's own object changed (`l.append(x)`), not the objects it holds.
   */
  changed(name: string, outer: boolean): string[] {
    const object = this.objectOf.get(name);
    if (object === undefined) return [name];
    const start = [this.find(object)];
    if (!outer) {
      for (let inner = this.elements.get(start[start.length - 1]); inner !== undefined; inner = this.elements.get(start[start.length - 1])) {
        const rep = this.find(inner);
        if (start.includes(rep)) break;
        start.push(rep);
      }
    }
    const changed = new Set<ObjectId>(start);
    const work = [...start];
    while (work.length > 0) {
      for (const container of this.containers.get(work.pop()!) ?? []) {
        const rep = this.find(container);
        if (!changed.has(rep)) {
          changed.add(rep);
          work.push(rep);
        }
      }
    }
    const names = new Set<string>([name]);
    for (const rep of changed) for (const held of this.names.get(rep) ?? []) names.add(held);
    return [...names];
  }

  private objectFor(name: string, flow: ValueFlow | undefined, iterator: boolean, keep: boolean): ObjectId {
    const object = this.fresh();
    if (iterator || flow?.iterator) this.iterators.add(object);
    const old = this.objectOf.get(name);
    if (keep && old !== undefined) this.union(object, old);
    if (!flow) return object;
    for (const source of flow.share) {
      const shared = this.objectOf.get(source);
      if (shared === undefined) continue;
      this.union(object, shared);
      // Anything but a plain `b = a` may be an element or a view of the source.
      if (flow.textFrom !== source) this.union(object, this.elementsOf(shared));
    }
    for (const source of flow.copy) {
      const copied = this.objectOf.get(source);
      if (copied !== undefined) this.union(this.elementsOf(object), this.elementsOf(copied));
    }
    for (const source of flow.contains) {
      const held = this.objectOf.get(source);
      if (held !== undefined) this.union(this.elementsOf(object), held);
    }
    return object;
  }

  private fresh(): ObjectId {
    const object = this.parent.length;
    this.parent.push(object);
    return object;
  }

  private rebind(name: string, object: ObjectId | undefined): void {
    const old = this.objectOf.get(name);
    if (old !== undefined) this.names.get(this.find(old))?.delete(name);
    if (object === undefined) {
      this.objectOf.delete(name);
      return;
    }
    this.objectOf.set(name, object);
    const rep = this.find(object);
    const names = this.names.get(rep);
    if (names) names.add(name);
    else this.names.set(rep, new Set([name]));
  }

  /** An object of the class of `object`'s elements, made on first use. */
  private elementsOf(object: ObjectId): ObjectId {
    const rep = this.find(object);
    const known = this.elements.get(rep);
    if (known !== undefined) return known;
    const inner = this.fresh();
    this.elements.set(rep, inner);
    this.containers.set(inner, new Set([rep]));
    return inner;
  }

  private find(object: ObjectId): ObjectId {
    let root = object;
    while (this.parent[root] !== root) root = this.parent[root];
    for (let current = object; this.parent[current] !== root; ) {
      const next = this.parent[current];
      this.parent[current] = root;
      current = next;
    }
    return root;
  }

  /** Merges two classes, and then their elements classes (iteratively: no recursion limit). */
  private union(a: ObjectId, b: ObjectId): void {
    const pairs: [ObjectId, ObjectId][] = [[a, b]];
    while (pairs.length > 0) {
      const [x, y] = pairs.pop()!;
      let big = this.find(x);
      let small = this.find(y);
      if (big === small) continue;
      if (this.size(big) < this.size(small)) [big, small] = [small, big];
      this.parent[small] = big;
      mergeInto(this.names, big, small);
      mergeInto(this.containers, big, small);
      if (this.iterators.has(small)) this.iterators.add(big);
      const smallElements = this.elements.get(small);
      this.elements.delete(small);
      if (smallElements !== undefined) {
        const bigElements = this.elements.get(big);
        if (bigElements === undefined) this.elements.set(big, smallElements);
        else pairs.push([bigElements, smallElements]);
      }
    }
  }

  private size(rep: ObjectId): number {
    return (this.names.get(rep)?.size ?? 0) + (this.containers.get(rep)?.size ?? 0);
  }
}

function mergeInto<T>(map: Map<ObjectId, Set<T>>, big: ObjectId, small: ObjectId): void {
  const from = map.get(small);
  if (!from) return;
  map.delete(small);
  const into = map.get(big);
  if (!into) map.set(big, from);
  else for (const value of from) into.add(value);
}
