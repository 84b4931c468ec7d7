/**
 * HTTP access to a project's key-value store, mounted under `/api/projects/:projectId/kv`:
 * `GET /:key` answers the stored Flux Data, `PUT /:key` stores a Data body, `DELETE /:key` removes
 * it. Keys may contain `/`.
 */
import { Hono } from "hono";
import { NotFound } from "../errors";
import { deleteValue, getValue, storeValues } from "../keyvalue/kv-client";
import { parseData, parseKey } from "../keyvalue/validation";
import { stringifyJson } from "../protocol/json";
import type { HubEnv } from "./app";
import { projectParam, readJson } from "./validation";

/** Routes under `/api/projects/:projectId/kv`. */
export const keyValueRoutes = new Hono<HubEnv>()
  .get("/:key{.+}", async (c) => {
    const key = parseKey(c.req.param("key"));
    const value = await getValue(c.env, projectParam(c), key);
    if (!value) throw new NotFound(`no value for key "${key}"`);
    return c.body(stringifyJson(value), 200, { "content-type": "application/json" });
  })
  .put("/:key{.+}", async (c) => {
    const key = parseKey(c.req.param("key"));
    await storeValues(c.env, projectParam(c), [{ key, value: parseData(await readJson(c)) }]);
    return c.body(null, 204);
  })
  .delete("/:key{.+}", async (c) => {
    await deleteValue(c.env, projectParam(c), parseKey(c.req.param("key")));
    return c.body(null, 204);
  });
