/**
 * A session's own stubs of the log partitions it appends to. The runtime delivers calls made
 * through one stub in the order they were made, and promises no order between stubs; a session
 * starts its next frame while the last one's appends are being stored, so each partition is
 * reached through one stub for the session's life, and appends of later frames cannot overtake
 * earlier ones. A stub that failed is dropped (a broken stub fails every later call).
 */

/** `env` with LOG_PARTITION handing out one stub per partition, kept for this env's life. */
export function withOwnPartitionStubs(env: Cloudflare.Env): Cloudflare.Env {
  const namespace = env.LOG_PARTITION;
  const stubs = new Map<string, DurableObjectStub>();
  const get = (id: DurableObjectId): DurableObjectStub => {
    const key = id.toString();
    let stub = stubs.get(key);
    if (!stub) stubs.set(key, (stub = dropOnFailure(namespace.get(id), () => stubs.delete(key))));
    return stub;
  };
  const own = {
    idFromName: (name: string) => namespace.idFromName(name),
    idFromString: (id: string) => namespace.idFromString(id),
    newUniqueId: (options?: DurableObjectNamespaceNewUniqueIdOptions) => namespace.newUniqueId(options),
    get,
    getByName: (name: string) => get(namespace.idFromName(name)),
    jurisdiction: (j: DurableObjectJurisdiction) => namespace.jurisdiction(j),
  };
  return { ...env, LOG_PARTITION: own as unknown as typeof namespace };
}

/** `stub`, whose calls call `drop` when they fail. */
function dropOnFailure(stub: DurableObjectStub, drop: () => void): DurableObjectStub {
  return new Proxy(stub, {
    get(target, property) {
      const value = Reflect.get(target, property) as unknown;
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        // Reflect.apply: a stub method answers any property, `apply` included, as a remote call.
        const result = Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
        return Promise.resolve(result).catch((e: unknown) => {
          drop();
          throw e;
        });
      };
    },
  });
}
