/**
 * The Flux `/keyValue` endpoint: StoreValues, StoreValueIfAbsent, GetValue, DeleteValue and the
 * deprecated StoreValuesAndWait, answered with Flux result bodies.
 */
import { BadRequest } from "../errors";
import { VOID, type Endpoint, type RequestHandler } from "../protocol/endpoint";
import { deleteValue, getValue, storeValueIfAbsent, storeValues } from "./kv-client";
import { parseKey, parsePair } from "./validation";

const store: RequestHandler = async (request, session, env) => {
  if (!Array.isArray(request.values)) throw new BadRequest("values must be a list of key-value pairs");
  await storeValues(env, session.projectId, request.values.map(parsePair));
  return VOID;
};

/** Handlers of the `/keyValue` endpoint by request `@type`. */
export const keyValueEndpoint: Endpoint = {
  storeValues: store,
  storeValuesAndWait: store,
  storeValueIfAbsent: async (request, session, env) => ({
    "@type": "boolean",
    success: await storeValueIfAbsent(env, session.projectId, parsePair(request.value)),
  }),
  getValue: async (request, session, env) => ({
    "@type": "getValueResult",
    value: await getValue(env, session.projectId, parseKey(request.key)),
  }),
  deleteValue: async (request, session, env) => {
    await deleteValue(env, session.projectId, parseKey(request.key));
    return VOID;
  },
};
