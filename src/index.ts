/**
 * The Worker entry: the Hono app that fronts the HTTP API and routes Flux WebSocket endpoints to
 * the Durable Objects that serve them.
 */
import { Hono } from "hono";

export { LogPartition } from "../durable-objects/LogPartition";
export { ClientSession } from "../durable-objects/ClientSession";
export { Consumer } from "../durable-objects/Consumer";
export { Aggregate } from "../durable-objects/Aggregate";
export { KeyValueShard } from "../durable-objects/KeyValueShard";
export { Scheduler } from "../durable-objects/Scheduler";

const app = new Hono<{ Bindings: Cloudflare.Env }>();
app.get("/health", (c) => c.text("Healthy"));

export default app;
