/**
 * Documentation for input that a hand-written parser checks (a Flux SerializedMessage, a search
 * query): the field stays `unknown` to zod, so the parser keeps its own error wording, and carries
 * in its metadata the JSON Schema of a zod schema at least as strict as that parser, which the
 * OpenAPI document shows.
 */
import { z } from "zod";

/** An `unknown` field described, in the OpenAPI document, by `shape`. */
export function checkedElsewhere(shape: z.ZodType, description: string) {
  const { $schema: _draft, ...json } = z.toJSONSchema(shape, { io: "input", unrepresentable: "any" });
  return z.unknown().meta({ ...json, description });
}
