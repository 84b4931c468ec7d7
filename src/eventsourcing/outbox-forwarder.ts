/**
 * Drains an aggregate's outbox into the EVENT log. Entries leave the outbox only after the log has
 * stored them; a retry resends the same messageIds, which the log deduplicates. Flushes are
 * serialised, so concurrent appends and the alarm never send the same entries at the same time.
 * The host's alarm is the backstop: armed with every publishing append, cleared once drained.
 */
import type { SerializedMessage } from "../protocol/messages";
import type { AggregateStream } from "./aggregate-stream";
import { SerialQueue } from "../serial-queue";

/** Appends messages durably to a project's EVENT log, deduplicating by messageId. */
export type LogSink = (projectId: string, messages: SerializedMessage[]) => Promise<unknown>;

/** What the forwarder needs from its host: the single alarm. */
export type AlarmStorage = Pick<DurableObjectStorage, "setAlarm" | "deleteAlarm">;

/** Delay before the alarm retries an outbox that could not be forwarded. */
export const RETRY_DELAY_MS = 5_000;

/** Most outbox entries sent to the log in one append. */
export const FORWARD_BATCH = 512;

/** Most JSON characters sent to the log in one append, well under the 32 MiB RPC limit. */
export const FORWARD_CHARS = 8 * 1024 * 1024;

/** Forwards one stream's outbox to the log. */
export class OutboxForwarder {
  private readonly chain = new SerialQueue();

  constructor(
    private readonly stream: AggregateStream,
    private readonly alarms: AlarmStorage,
    private readonly sink: LogSink,
  ) {}

  /**
   * Arms the retry alarm. Call in the same synchronous step as the append that filled the outbox,
   * so the entries and the alarm are committed together.
   */
  arm(): void {
    void this.alarms.setAlarm(Date.now() + RETRY_DELAY_MS);
  }

  /** Sends everything pending, after any flush already running; rejects if the log fails. */
  flush(): Promise<void> {
    return this.chain.run(() => this.drain());
  }

  /** The alarm handler: flushes, and re-arms the alarm when the log failed. */
  async retry(): Promise<void> {
    try {
      await this.flush();
    } catch (e) {
      console.error("outbox: forwarding to the EVENT log failed, retrying", e);
      this.arm();
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const entries = this.stream.pending(FORWARD_BATCH, FORWARD_CHARS);
      if (entries.length === 0) {
        void this.alarms.deleteAlarm();
        return;
      }
      // Every entry of an aggregate object has the same project; send runs of one project.
      const projectId = entries[0].projectId;
      const end = entries.findIndex((e) => e.projectId !== projectId);
      const run = end < 0 ? entries : entries.slice(0, end);
      await this.sink(projectId, run.map((e) => e.message));
      this.stream.acknowledge(run[run.length - 1].id);
    }
  }
}
