/**
 * Consumer: one consumer of one log: its tracker cluster, positions and parked reads.
 */
import { DurableObject } from "cloudflare:workers";

export class Consumer extends DurableObject<Cloudflare.Env> {
  /** Called by partitions when messages arrive past a registered index. */
  async wake(): Promise<void> {}

  /** Frees the segments of every tracker of a closed session. */
  async disconnectSession(sessionId: string): Promise<void> {
    void sessionId;
  }
}
