/**
 * Event-stream operations as the Worker performs them: one Aggregate object per (project, aggregate),
 * batches for different aggregates sent in parallel, those for one aggregate in one atomic call.
 * A failed expected-sequence check comes back as a value and is raised here as Conflict.
 */
import { stubByName } from "../storage/object-stub";
import { Conflict } from "../errors";
import type { EventPage, StreamBatch } from "./aggregate-stream";
import type { EventBatch } from "./validation";

/** The sequence numbers an append gave one aggregate's events. */
export interface AppendedRange {
  aggregateId: string;
  /** Sequence number of the first event appended (last + 1 when none were). */
  firstSequenceNumber: number;
  lastSequenceNumber: number;
}

/** The Aggregate object of one aggregate of a project. */
export function aggregateStub(env: Cloudflare.Env, projectId: string, aggregateId: string) {
  return stubByName(env.AGGREGATE, `${projectId}/${aggregateId}`);
}

/**
 * Appends the batches. Each aggregate's batches are stored all or nothing; when an expected sequence
 * number does not match, the other aggregates' batches are still stored and Conflict is thrown
 * naming the actual sequence number.
 */
export async function appendEvents(env: Cloudflare.Env, projectId: string, batches: readonly EventBatch[]): Promise<AppendedRange[]> {
  const byAggregate = new Map<string, StreamBatch[]>();
  for (const { aggregateId, ...batch } of batches) {
    const list = byAggregate.get(aggregateId);
    if (list) list.push(batch);
    else byAggregate.set(aggregateId, [batch]);
  }
  const outcomes = await Promise.all(
    [...byAggregate].map(async ([aggregateId, list]) => ({ aggregateId, outcome: await aggregateStub(env, projectId, aggregateId).append(projectId, aggregateId, list) })),
  );
  const ranges: AppendedRange[] = [];
  for (const { aggregateId, outcome } of outcomes) {
    if (!outcome.ok) {
      throw new Conflict(
        `aggregate ${aggregateId} is at sequence number ${outcome.actualSequenceNumber}, not the expected ${outcome.expectedSequenceNumber}`,
        { aggregateId, expectedSequenceNumber: outcome.expectedSequenceNumber, actualSequenceNumber: outcome.actualSequenceNumber },
      );
    }
    ranges.push({ aggregateId, firstSequenceNumber: outcome.firstSequenceNumber, lastSequenceNumber: outcome.lastSequenceNumber });
  }
  return ranges;
}

/** Up to `limit` events of the aggregate after sequence number `after`. */
export function getEvents(env: Cloudflare.Env, projectId: string, aggregateId: string, after: number, limit: number): Promise<EventPage> {
  return aggregateStub(env, projectId, aggregateId).getEvents(after, limit);
}

/** Deletes the aggregate's stream. */
export async function deleteEvents(env: Cloudflare.Env, projectId: string, aggregateId: string): Promise<void> {
  await aggregateStub(env, projectId, aggregateId).deleteEvents();
}
