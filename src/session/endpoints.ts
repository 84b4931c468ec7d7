/**
 * Which Flux endpoint serves a WebSocket path.
 */
import { parseLogPath } from "../log/log-path";
import { producerEndpoint } from "../log/producer-endpoint";
import { consumerEndpoint } from "../tracking/consumer-endpoint";
import { eventSourcingEndpoint } from "../eventsourcing/endpoint";
import { keyValueEndpoint } from "../keyvalue/endpoint";
import type { EncodingEndpoint, Endpoint } from "../protocol/endpoint";
import { schedulingEndpoint } from "../scheduling/endpoint";
import { searchEndpoint } from "../search/endpoint";

const SERVICES: Record<string, Endpoint> = {
  eventSourcing: eventSourcingEndpoint,
  keyValue: keyValueEndpoint,
  scheduling: schedulingEndpoint,
  search: searchEndpoint,
};

/** The endpoint for `path` (no leading slash), or null when the hub serves no such path. */
export function endpointFor(path: string): EncodingEndpoint | null {
  const log = parseLogPath(path);
  if (log) return log.mode === "publish" ? producerEndpoint : consumerEndpoint;
  return Object.hasOwn(SERVICES, path) ? SERVICES[path] : null;
}
