/**
 * A TCP proxy in front of a local hub, so that a test can cut, freeze or restart what a client's
 * sockets pass through while the client keeps one URL.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import type { Hub } from "./hub";

/** A TCP proxy to the hub, so a restarted hub (on a new port) keeps the client's URL; `cut()` drops every connection. */
export function proxyTo(hub: () => Hub) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = tcpConnect(Number(new URL(hub().url).port), "127.0.0.1");
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on("error", () => {});
      s.on("close", () => {
        sockets.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  return {
    async listen(): Promise<string> {
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      return `ws://127.0.0.1:${(server.address() as { port: number }).port}`;
    },
    cut() {
      for (const s of sockets) s.destroy();
    },
    /** Existing connections go silent (half-open): nothing passes, nothing closes. */
    freeze() {
      for (const s of sockets) {
        s.unpipe();
        s.pause();
      }
    },
    async close() {
      this.cut();
      await new Promise((r) => server.close(r));
    },
  };
}
