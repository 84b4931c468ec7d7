/**
 * A session's own stubs of the log partitions it appends to. The runtime delivers calls made
 * through one stub in the order they were made, and promises no order between stubs; a session
 * starts its next frame while the last one's appends are being stored, so each partition is
 * reached through one stub for the session's life, and appends of later frames cannot overtake
 * earlier ones. A stub the runtime broke is dropped (a broken stub fails every later call).
 */

/** `env` with LOG_PARTITION handing out one stub per partition, kept for this env's life. */
export function withOwnPartitionStubs(env: Cloudflare.Env): Cloudflare.Env {
  const namespace = env.LOG_PARTITION;
  const stubs = new Map<string, DurableObjectStub>();
  const get = (id: DurableObjectId): DurableObjectStub => {
    const key = id.toString();
    let stub = stubs.get(key);
    if (!stub) {
      const own = dropOnFailure(namespace.get(id), () => {
        // Only this stub: a call on an older one that fails late must not drop its successor.
        if (stubs.get(key) === own) stubs.delete(key);
      });
      stubs.set(key, (stub = own));
    }
    return stub;
  };
  const own = {
    idFromName: (name: string) => namespace.idFromName(name),
    idFromString: (id: string) => namespace.idFromString(id),
    newUniqueId: (options?: DurableObjectNamespaceNewUniqueIdOptions) => namespace.newUniqueId(options),
    get: (id: DurableObjectId) => get(id),
    getByName: (name: string) => get(namespace.idFromName(name)),
    jurisdiction: (j: DurableObjectJurisdiction) => namespace.jurisdiction(j),
  };
  return { ...env, LOG_PARTITION: own as unknown as typeof namespace };
}

/**
 * `stub`, whose calls call `drop` when they fail for the runtime's reasons (a broken connection, a
 * reset object). An error the object's own code threw (`remote`) leaves the stub working: dropping
 * it then would let the next call overtake calls still in flight on it.
 */
function dropOnFailure(stub: DurableObjectStub, drop: () => void): DurableObjectStub {
  return new Proxy(stub, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        // Reflect.apply: a stub method answers any property, `apply` included, as a remote call.
        const result = Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
        if (typeof property !== "string") return result;
        return Promise.resolve(result).catch((e: unknown) => {
          if (!(e as { remote?: boolean } | null)?.remote) drop();
          throw e;
        });
      };
    },
  });
}
