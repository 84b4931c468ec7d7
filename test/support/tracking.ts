/**
 * Helpers for tracking tests: Read requests with Flux's defaults and publishing shortcuts.
 */
import { FluxSocket, type Json, message } from "./flux-socket";

/** A Read as the Java client sends it, with overrides. */
export function readRequest(consumer: string, trackerId: string, extra: Json = {}): Json {
  return {
    "@type": "read",
    consumer,
    trackerId,
    maxSize: 1024,
    maxTimeout: 2000,
    typeFilter: null,
    filterMessageTarget: false,
    ignoreSegment: false,
    singleTracker: false,
    clientControlledIndex: false,
    lastIndex: null,
    purgeTimeout: null,
    ...extra,
  };
}

/** Publishes payloads with STORED to `path` and waits for the acknowledgement. */
export async function publish(wsUrl: string, type: string, payloads: Array<unknown | Json>, extra: (i: number) => Json = () => ({}), params: Record<string, string> = {}) {
  const pub = await FluxSocket.open(wsUrl, `tracking/publish${type}`, params);
  const messages = payloads.map((p, i) => message(p, extra(i)));
  await pub.request({ "@type": "append", messages, guarantee: "STORED" });
  await pub.close();
  return messages;
}
