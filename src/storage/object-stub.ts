/**
 * Reaching a Durable Object by name. `idFromName` hashes the name on every call (SHA-256), and the
 * hub names the same few objects again and again (a tracker's Consumer and partition, a
 * session): on a consume of 1,000-message batches that was ~0.5 ms of the runtime per batch. The
 * ids are kept per namespace and name (they are values, not I/O objects); the stubs are not.
 */

/** Names remembered per namespace before the cache starts over. */
const MAX_NAMES = 10_000;

const ids = new WeakMap<object, Map<string, DurableObjectId>>();

/** The stub of the object named `name` in `namespace`. */
export function stubByName<T extends Rpc.DurableObjectBranded | undefined>(namespace: DurableObjectNamespace<T>, name: string): DurableObjectStub<T> {
  let known = ids.get(namespace);
  if (!known) ids.set(namespace, (known = new Map()));
  let id = known.get(name);
  if (!id) {
    if (known.size >= MAX_NAMES) known.clear();
    known.set(name, (id = namespace.idFromName(name)));
  }
  return namespace.get(id);
}
