/**
 * Results of handled commands and queries: the RESULT message a handler's return value (or
 * failure) becomes, addressed back to the requester, and how a requester reads one.
 */
import type { SerializedMessage } from "../protocol/messages";
import { FluxError } from "./errors";
import { type FluxMessage, decodeData, jsonData } from "./messages";

/** `data.type` of the RESULT (and ERROR log entry) for a failed handler. */
export const HANDLER_ERROR_TYPE = "io.fluxcapacitor.javaclient.common.exception.TechnicalException";

/** Whether `message` asked for a result: a COMMAND or QUERY sent with `send`/`query`. */
export function expectsResult(message: FluxMessage): boolean {
  return (message.messageType === "COMMAND" || message.messageType === "QUERY") && message.source !== null && message.requestId !== null;
}

/** The JSON body that describes a handler failure. */
export function errorPayload(error: unknown): { message: string } {
  return { message: error instanceof Error ? error.message : String(error) };
}

/** The RESULT answering `request` with `value`, or with the failure when `failed`. */
export function resultFor(request: FluxMessage, value: unknown, failed = false): SerializedMessage {
  return {
    data: failed ? jsonData(errorPayload(value), HANDLER_ERROR_TYPE) : jsonData(value, null),
    metadata: {},
    messageId: crypto.randomUUID(),
    timestamp: Date.now(),
    target: request.source,
    requestId: request.requestId,
    segment: request.segment,
  };
}

/** The payload of a RESULT, or the `handler_error` it reports (any `*Exception` type, as Java handlers send). */
export function unwrapResult(result: FluxMessage): unknown {
  const type = result.type;
  if (type === HANDLER_ERROR_TYPE || type?.endsWith("Exception")) {
    const body = decodeData(result.serialized.data) as { message?: unknown } | null;
    throw new FluxError("handler_error", typeof body?.message === "string" ? body.message : `the handler failed (${type})`);
  }
  return result.payload;
}
