/**
 * The Flux consumer endpoint (`tracking/read<type>`): ReadFromIndex reads the log directly; the
 * tracker requests (Read, ClaimSegment, positions, DisconnectTracker) go to the Consumer object
 * that owns the consumer's tracker cluster.
 */
import { BadRequest } from "../errors";
import { readFromIndex } from "../log/log-client";
import { logAddress, parseLogPath } from "../log/log-path";
import { type EncodingEndpoint, type FluxRequest, type SessionInfo, VOID } from "../protocol/endpoint";
import { rawMessages } from "../protocol/frames";
import { checkConsumerName, consumerStub, type ConsumerTarget } from "./consumer-name";
import { toIndex } from "./position";
import type { Requester } from "./recipient";
import type { ReadSettings } from "./tracker";

/** The most messages one read returns. */
export const MAX_READ_SIZE = 8192;
/** The longest a Read may be parked (ms). */
export const MAX_TIMEOUT = 5 * 60_000;

/** Validates a requested batch size. */
export function readSize(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new BadRequest("maxSize must be a positive integer");
  return Math.min(value, MAX_READ_SIZE);
}

function index(value: unknown, field: string): bigint {
  try {
    return toIndex(value);
  } catch {
    throw new BadRequest(`${field} must be an integer index`);
  }
}

function target(request: FluxRequest, session: SessionInfo): ConsumerTarget {
  const consumer = checkConsumerName(request.consumer);
  const path = parseLogPath(session.path)!;
  return { log: logAddress(session.projectId, path.messageType, session.topic), messageType: path.messageType, consumer };
}

function stub(env: Cloudflare.Env, t: ConsumerTarget) {
  return consumerStub(env, t);
}

function optionalBoolean(r: FluxRequest, field: string): boolean {
  const v = r[field];
  if (v !== undefined && v !== null && typeof v !== "boolean") throw new BadRequest(`${field} must be a boolean`);
  return v === true;
}

/**
 * The tracker settings of a Read or ClaimSegment, checked field by field. ClaimSegment extends Read
 * in the Java client and is sent with `maxSize: 0` (a claim carries no messages), so it may be 0 there.
 */
function readSettings(r: FluxRequest, claim = false): ReadSettings {
  if (typeof r.trackerId !== "string" || r.trackerId.length === 0 || r.trackerId.length > 200) {
    throw new BadRequest("trackerId must be a non-empty string of at most 200 characters");
  }
  const maxTimeout = r.maxTimeout ?? 60_000;
  if (typeof maxTimeout !== "number" || !Number.isInteger(maxTimeout) || maxTimeout < 0) throw new BadRequest("maxTimeout must be a non-negative integer (ms)");
  const purgeTimeout = r.purgeTimeout ?? null;
  if (purgeTimeout !== null && (typeof purgeTimeout !== "number" || !Number.isInteger(purgeTimeout) || purgeTimeout < 0)) {
    throw new BadRequest("purgeTimeout must be a non-negative integer (ms) or null");
  }
  if (r.typeFilter !== undefined && r.typeFilter !== null && typeof r.typeFilter !== "string") throw new BadRequest("typeFilter must be a string");
  return {
    consumer: r.consumer as string,
    trackerId: r.trackerId,
    maxSize: claim && r.maxSize === 0 ? 0 : readSize(r.maxSize, 1024),
    maxTimeout: Math.min(maxTimeout, MAX_TIMEOUT),
    typeFilter: (r.typeFilter as string | null | undefined) ?? null,
    filterMessageTarget: optionalBoolean(r, "filterMessageTarget"),
    ignoreSegment: optionalBoolean(r, "ignoreSegment"),
    singleTracker: optionalBoolean(r, "singleTracker"),
    clientControlledIndex: optionalBoolean(r, "clientControlledIndex"),
    lastIndex: r.lastIndex === undefined || r.lastIndex === null ? null : index(r.lastIndex, "lastIndex"),
    purgeTimeout,
  };
}

function segmentRange(value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => Number.isInteger(v) && v >= 0 && v <= 128) || value[0] > value[1]) {
    throw new BadRequest("segment must be [start, end] with 0 <= start <= end <= 128");
  }
  return [value[0], value[1]];
}

const requester = (s: SessionInfo): Requester => ({ sessionId: s.sessionId, clientId: s.clientId, ...(s.compression ? { compression: s.compression } : {}) });

/** Handlers for `tracking/read<type>`. */
export const consumerEndpoint: EncodingEndpoint = {
  async read(request, session, env) {
    const t = target(request, session);
    return stub(env, t).read(t, readSettings(request), request.requestId ?? null, requester(session));
  },

  async claimSegment(request, session, env) {
    const t = target(request, session);
    return stub(env, t).claimSegment(t, readSettings(request, true), request.requestId ?? null, requester(session));
  },

  async storePosition(request, session, env) {
    const t = target(request, session);
    await stub(env, t).storePosition(t, segmentRange(request.segment), index(request.lastIndex, "lastIndex"));
    return VOID;
  },

  async resetPosition(request, session, env) {
    const t = target(request, session);
    await stub(env, t).resetPosition(t, index(request.lastIndex, "lastIndex"));
    return VOID;
  },

  async getPosition(request, session, env) {
    const t = target(request, session);
    return { "@type": "getPositionResult", position: await stub(env, t).getPosition(t) };
  },

  async disconnectTracker(request, session, env) {
    const t = target(request, session);
    if (typeof request.trackerId !== "string") throw new BadRequest("trackerId must be a string");
    await stub(env, t).disconnectTracker(t, request.trackerId, request.sendFinalEmptyBatch === true);
    return VOID;
  },

  async readFromIndex(request, session, env) {
    const path = parseLogPath(session.path)!;
    const log = logAddress(session.projectId, path.messageType, session.topic);
    const minIndex = request.minIndex === undefined || request.minIndex === null ? 0n : index(request.minIndex, "minIndex");
    const { messages } = await readFromIndex(env, log, minIndex, readSize(request.maxSize, 1024));
    return { "@type": "readFromIndexResult", messages: rawMessages(messages) };
  },
};
