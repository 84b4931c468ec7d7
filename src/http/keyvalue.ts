/**
 * HTTP access to a project's key-value store, mounted under `/api/projects/:projectId/kv`:
 * `GET /:key` answers the stored Flux Data, `PUT /:key` stores a Data body, `DELETE /:key` removes
 * it. Keys may contain `/`.
 */
import { Hono } from "hono";
import { z } from "zod";
import { NotFound } from "../errors";
import { deleteValue, getValue, storeValues } from "../keyvalue/kv-client";
import { dataSchema, keySchema, parseData } from "../keyvalue/validation";
import { stringifyJson } from "../protocol/json";
import type { HubEnv } from "./hub-env";
import { doc, params } from "./openapi";
import { projectParam, readJson } from "./validation";

const keyParams = z.object({ key: keySchema });

/** Routes under `/api/projects/:projectId/kv`. */
export const keyValueRoutes = new Hono<HubEnv>()
  .get("/:key{.+}", doc({ summary: "Read a value (Flux Data)", tag: "key-value" }), params(keyParams), async (c) => {
    const { key } = c.req.valid("param");
    const value = await getValue(c.env, projectParam(c), key);
    if (!value) throw new NotFound(`no value for key "${key}"`);
    return c.body(stringifyJson(value), 200, { "content-type": "application/json" });
  })
  .put(
    "/:key{.+}",
    doc({
      summary: "Store a value (Flux Data)",
      tag: "key-value",
      body: dataSchema,
      example: { value: "eyJpdGVtcyI6MX0=", type: "Cart", revision: 0, format: "json" },
      ok: { status: 204, description: "stored" },
    }),
    params(keyParams),
    async (c) => {
      const { key } = c.req.valid("param");
      await storeValues(c.env, projectParam(c), [{ key, value: parseData(await readJson(c)) }]);
      return c.body(null, 204);
    },
  )
  .delete(
    "/:key{.+}",
    doc({ summary: "Delete a value", tag: "key-value", ok: { status: 204, description: "deleted" } }),
    params(keyParams),
    async (c) => {
      await deleteValue(c.env, projectParam(c), c.req.valid("param").key);
      return c.body(null, 204);
    },
  );
