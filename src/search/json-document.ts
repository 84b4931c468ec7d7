/**
 * Plain JSON documents for the HTTP API: JSON parsed with every number's literal text kept, so
 * `1.50` stays `1.50` as in Flux. Inverting JSON into entries and back (JacksonInverter) and
 * serializing a JSON document live in src/protocol/document.ts, which the client shares.
 */
import { JsonNumber } from "../protocol/document";

type SourceContext = { source?: string };

/** Parses JSON keeping every number's literal text as a JsonNumber. */
export function parseJsonKeepingNumbers(text: string): unknown {
  const revive = (_key: string, value: unknown, context?: SourceContext) =>
    typeof value === "number" ? new JsonNumber(context?.source ?? String(value)) : value;
  return JSON.parse(text, revive as (key: string, value: unknown) => unknown);
}
