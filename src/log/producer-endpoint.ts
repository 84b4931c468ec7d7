/**
 * The Flux producer endpoint (`tracking/publish<type>`): Append and SetRetentionTime.
 */
import { BadRequest, PayloadTooLarge } from "../errors";
import { type Endpoint, VOID } from "../protocol/endpoint";
import type { SerializedMessage } from "../protocol/messages";
import { checkMessages } from "../protocol/message-check";
import { appendCoalesced } from "./append-coalescer";
import { setRetention } from "./log-client";
import { logAddress, parseLogPath } from "./log-path";

/** The most messages one Append may carry. */
export const MAX_APPEND_MESSAGES = 10_000;

/** Handlers for `tracking/publish<type>`. */
export const producerEndpoint: Endpoint = {
  async append(request, session, env) {
    const messages = request.messages;
    if (!Array.isArray(messages)) throw new BadRequest("append.messages must be an array");
    if (messages.length > MAX_APPEND_MESSAGES) {
      throw new PayloadTooLarge(`append of ${messages.length} messages exceeds ${MAX_APPEND_MESSAGES}`);
    }
    // Checked here, per request, so that a bad request fails alone before appends are coalesced.
    checkMessages(messages);
    const path = parseLogPath(session.path)!;
    await appendCoalesced(env, logAddress(session.projectId, path.messageType, session.topic), messages as SerializedMessage[]);
    return VOID;
  },

  async setRetentionTime(request, session, env) {
    const seconds = request.retentionTimeInSeconds;
    if (seconds !== null && seconds !== undefined && !(typeof seconds === "number" && Number.isInteger(seconds) && seconds >= 0)) {
      throw new BadRequest("retentionTimeInSeconds must be a non-negative integer or null");
    }
    const path = parseLogPath(session.path)!;
    await setRetention(env, logAddress(session.projectId, path.messageType, session.topic), seconds ?? null);
    return VOID;
  },
};
