/**
 * A real local hub for SDK tests, with the clients a test file opens closed after it.
 */
import { afterAll, beforeAll } from "vitest";
import { type FluxClient, connect } from "../../src/client";
import { type Hub, startHub } from "./hub";

/** SDK logs stay quiet unless FLUX_DEBUG is set. */
const quiet = process.env.FLUX_DEBUG ? console : { warn() {}, error() {} };

/** Starts a hub before the file's tests and stops it (and every client) after them. */
export function useSdkHub() {
  let hub: Hub | undefined;
  const clients: FluxClient[] = [];
  beforeAll(async () => {
    hub = await startHub();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await hub?.dispose();
  });
  return {
    get hub(): Hub {
      return hub!;
    },
    /** A client of the hub, closed after the file's tests. */
    client(clientName = "app", extra: Partial<Parameters<typeof connect>[0]> = {}): FluxClient {
      const c = connect({ url: hub!.wsUrl, clientName, logger: quiet, ...extra });
      clients.push(c);
      return c;
    },
  };
}
