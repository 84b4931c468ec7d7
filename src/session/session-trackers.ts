/**
 * Remembers which Consumer objects a session's trackers joined, so that closing the socket frees
 * their segments even after the session object hibernated and lost its memory.
 */
import { logAddress, parseLogPath } from "../log/log-path";
import type { FluxRequest, SessionInfo } from "../protocol/endpoint";
import { migrate } from "../storage/migrations";
import { consumerObjectName, consumerStub } from "../tracking/consumer-name";

const MIGRATIONS = ["CREATE TABLE session_consumers (consumer TEXT PRIMARY KEY)"];
const TRACKER_REQUESTS = new Set(["read", "claimSegment"]);

/** The consumers this session's trackers belong to. */
export class SessionTrackers {
  private readonly known = new Set<string>();

  constructor(private readonly sql: SqlStorage) {
    migrate(sql, "session_trackers", MIGRATIONS);
    for (const row of sql.exec<{ consumer: string }>("SELECT consumer FROM session_consumers")) this.known.add(row.consumer);
  }

  /** Records the consumers that tracker requests in this frame join. */
  note(info: SessionInfo, requests: FluxRequest[]): void {
    const path = parseLogPath(info.path);
    if (!path || path.mode !== "read") return;
    for (const r of requests) {
      if (!TRACKER_REQUESTS.has(r["@type"]) || typeof r.consumer !== "string") continue;
      let name: string;
      try {
        name = consumerObjectName({ log: logAddress(info.projectId, path.messageType, info.topic), messageType: path.messageType, consumer: r.consumer });
      } catch {
        continue; // the request itself will be answered with the error
      }
      if (this.known.has(name)) continue;
      this.known.add(name);
      this.sql.exec("INSERT OR IGNORE INTO session_consumers (consumer) VALUES (?)", name);
    }
  }

  /** Tells every consumer this session joined that its trackers are gone. */
  async disconnectAll(env: Cloudflare.Env, info: SessionInfo): Promise<void> {
    await Promise.allSettled(
      [...this.known].map((name) => consumerStub(env, name).disconnectSession(info.sessionId)),
    );
    this.sql.exec("DELETE FROM session_consumers");
    this.known.clear();
  }
}
