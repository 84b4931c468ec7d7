/**
 * The Flux `/eventSourcing` endpoint: AppendEvents, GetEvents, DeleteEvents and the entity
 * relationship requests, answered with Flux result bodies. Beyond Flux, AppendEvents' VoidResult
 * carries each aggregate's new `lastSequenceNumbers`, and a stale `expectedSequenceNumber` is an
 * ErrorResult that also names `error: "conflict"` and the expected and actual numbers (Flux
 * clients ignore fields they do not know).
 */
import { z } from "zod";
import { BadRequest, Conflict } from "../errors";
import { VOID, type Endpoint } from "../protocol/endpoint";
import { rawMessages } from "../protocol/frames";
import { appendEvents, deleteEvents, getEvents } from "./aggregate-client";
import { getRelationships, repairRelationships, updateRelationships } from "./relationship-client";
import { parseWith } from "../validation";
import { MAX_EVENTS_PER_READ, idSchema, parseEventBatch, parseRelationships, sequenceNumberSchema } from "./validation";

const getEventsSchema = z.object({
  aggregateId: idSchema,
  lastSequenceNumber: sequenceNumberSchema.nullish(),
  batchSize: z.number().int().nullish(),
});

const repairSchema = z.object({ aggregateId: idSchema, aggregateType: z.string(), entityIds: z.array(idSchema).nullish() });

/** Flux's GetEvents batch size: non-positive means "as many as allowed", capped at 8192. */
function readLimit(batchSize: number | null | undefined): number {
  return !batchSize || batchSize <= 0 ? MAX_EVENTS_PER_READ : Math.min(batchSize, MAX_EVENTS_PER_READ);
}

/** Handlers of the `/eventSourcing` endpoint by request `@type`. */
export const eventSourcingEndpoint: Endpoint = {
  appendEvents: async (request, session, env) => {
    if (!Array.isArray(request.eventBatches)) throw new BadRequest("eventBatches must be a list");
    const batches = request.eventBatches.map((b, i) => parseEventBatch(b, `eventBatches[${i}]`));
    try {
      const ranges = await appendEvents(env, session.projectId, batches);
      return { ...VOID, lastSequenceNumbers: Object.fromEntries(ranges.map((r) => [r.aggregateId, r.lastSequenceNumber])) };
    } catch (e) {
      if (e instanceof Conflict) return { "@type": "error", ...e.toJSON() };
      throw e;
    }
  },
  getEvents: async (request, session, env) => {
    const r = parseWith(getEventsSchema, request, "getEvents");
    const page = await getEvents(env, session.projectId, r.aggregateId, r.lastSequenceNumber ?? -1, readLimit(r.batchSize));
    return {
      "@type": "getEventsResult",
      eventBatch: { aggregateId: r.aggregateId, events: rawMessages(page.events), storeOnly: false },
      lastSequenceNumber: page.lastSequenceNumber,
    };
  },
  deleteEvents: async (request, session, env) => {
    await deleteEvents(env, session.projectId, parseWith(idSchema, request.aggregateId, "aggregateId"));
    return VOID;
  },
  updateRelationships: async (request, session, env) => {
    const associations = parseRelationships(request.associations, "associations");
    const dissociations = parseRelationships(request.dissociations, "dissociations");
    await updateRelationships(env, session.projectId, associations, dissociations);
    return VOID;
  },
  repairRelationships: async (request, session, env) => {
    const r = parseWith(repairSchema, request, "repairRelationships");
    await repairRelationships(env, session.projectId, r.aggregateId, r.aggregateType, r.entityIds ?? []);
    return VOID;
  },
  getAggregateIds: async (request, session, env) => {
    const relationships = await getRelationships(env, session.projectId, parseWith(idSchema, request.entityId, "entityId"));
    return { "@type": "getAggregateIdsResult", aggregateIds: Object.fromEntries(relationships.map((r) => [r.aggregateId, r.aggregateType])) };
  },
  getRelationships: async (request, session, env) => ({
    "@type": "getRelationshipsResult",
    relationships: await getRelationships(env, session.projectId, parseWith(idSchema, request.entityId, "entityId")),
  }),
};
