/**
 * The Flux consumer endpoint (`tracking/read<type>`): ReadFromIndex reads the log directly; the
 * tracker requests (Read, ClaimSegment, positions, DisconnectTracker) go to the Consumer object
 * that owns the consumer's tracker cluster.
 */
import { BadRequest } from "../errors";
import type { Endpoint } from "../protocol/endpoint";
import { rawMessages } from "../protocol/frames";
import { toIndex } from "../log/index-clock";
import { readFromIndex } from "../log/log-client";
import { logAddress, parseLogPath } from "../log/log-path";

/** The most messages one read returns. */
export const MAX_READ_SIZE = 8192;

/** Validates a requested batch size. */
export function readSize(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new BadRequest("maxSize must be a positive integer");
  return Math.min(value, MAX_READ_SIZE);
}

/** Handlers for `tracking/read<type>`. */
export const consumerEndpoint: Endpoint = {
  async readFromIndex(request, session, env) {
    let minIndex: bigint | null;
    try {
      minIndex = toIndex(request.minIndex);
    } catch {
      throw new BadRequest("minIndex must be an integer");
    }
    const path = parseLogPath(session.path)!;
    const log = logAddress(session.projectId, path.messageType, session.topic);
    const { messages } = await readFromIndex(env, log, minIndex ?? 0n, readSize(request.maxSize, 1024));
    return { "@type": "readFromIndexResult", messages: rawMessages(messages) };
  },
};
