// Bindings the hub's Worker and Durable Objects see (wrangler.toml).
declare namespace Cloudflare {
  interface Env {
    PARTITIONS: string;
    DEDUPE_WINDOW_SECONDS?: string;
    /** Guards /admin (a wrangler secret in production). */
    ADMIN_SECRET?: string;
    /** Path prefix of HTTP requests published as WEBREQUESTs (default "/web"). */
    WEB_PREFIX?: string;
    /** Seconds a web request waits for its WEBRESPONSE before a 504 (default 30). */
    WEB_TIMEOUT_SECONDS?: string;
    LOG_PARTITION: DurableObjectNamespace<import("../durable-objects/LogPartition").LogPartition>;
    CLIENT_SESSION: DurableObjectNamespace<import("../durable-objects/ClientSession").ClientSession>;
    CONSUMER: DurableObjectNamespace<import("../durable-objects/Consumer").Consumer>;
    AGGREGATE: DurableObjectNamespace<import("../durable-objects/Aggregate").Aggregate>;
    KEY_VALUE: DurableObjectNamespace<import("../durable-objects/KeyValueShard").KeyValueShard>;
    SCHEDULER: DurableObjectNamespace<import("../durable-objects/Scheduler").Scheduler>;
    WEB_GATEWAY: DurableObjectNamespace<import("../durable-objects/WebGateway").WebGateway>;
    WEB_SOCKET_GATEWAY: DurableObjectNamespace<import("../durable-objects/WebSocketGateway").WebSocketGateway>;
    DB: D1Database;
    TEST_MIGRATIONS?: import("cloudflare:test").D1Migration[];
  }
}
