/**
 * Bench-only Worker: the raw SQLite insert ceiling of one Durable Object, with none of the hub's
 * code in the way. `POST /run?layout=rows|batch&messages=N&batch=B` sends N generated 200-byte
 * messages to a fresh object in RPCs of B messages, each stored in one transaction either as one
 * row per message (plain INSERT) or as one row per batch in the hub's layout (segments blob,
 * JSON id and type lists, newline-joined messages; see src/log/log-store.ts).
 */
import { DurableObject } from "cloudflare:workers";
import { payloadText } from "../shared/payload";

interface Env {
  CEILING: DurableObjectNamespace<Ceiling>;
}

/** A batch as the hub's partition receives it: columns, one entry per message. */
interface Batch {
  lines: string[];
  segments: number[];
  ids: string[];
  types: string[];
}

export type Layout = "rows" | "batch";

const SCHEMA: Record<Layout, string> = {
  rows: `CREATE TABLE messages (
           idx INTEGER PRIMARY KEY, segment INTEGER NOT NULL, message_id TEXT NOT NULL, type TEXT, message TEXT NOT NULL)`,
  batch: `CREATE TABLE batches (
            first_index INTEGER PRIMARY KEY, last_index INTEGER NOT NULL, segments BLOB NOT NULL,
            message_ids TEXT NOT NULL, types TEXT NOT NULL, targets TEXT, messages TEXT NOT NULL)`,
};

export class Ceiling extends DurableObject<Env> {
  /** Creates the table for `layout`. */
  async init(layout: Layout): Promise<void> {
    this.ctx.storage.sql.exec(SCHEMA[layout]);
  }

  /** One row per message, all in one transaction. */
  async insertRows(first: number, b: Batch): Promise<void> {
    const sql = this.ctx.storage.sql;
    this.ctx.storage.transactionSync(() => {
      for (let i = 0; i < b.lines.length; i++) {
        sql.exec("INSERT INTO messages (idx, segment, message_id, type, message) VALUES (?, ?, ?, ?, ?)", first + i, b.segments[i], b.ids[i], b.types[i], b.lines[i]);
      }
    });
  }

  /** One row for the whole batch, as the hub stores it. */
  async insertBatchRow(first: number, b: Batch): Promise<void> {
    this.ctx.storage.transactionSync(() => {
      this.ctx.storage.sql.exec(
        "INSERT INTO batches (first_index, last_index, segments, message_ids, types, targets, messages) VALUES (?, ?, ?, ?, ?, NULL, ?)",
        first,
        first + b.lines.length - 1,
        Uint8Array.from(b.segments),
        JSON.stringify(b.ids),
        JSON.stringify(b.types),
        b.lines.join("\n"),
      );
    });
  }
}

/** `size` messages of exactly 200 bytes each, with distinct ids and spread segments. */
function makeBatch(size: number): Batch {
  const batch: Batch = { lines: [], segments: [], ids: [], types: [] };
  for (let i = 0; i < size; i++) {
    batch.lines.push(payloadText(i));
    batch.segments.push(i % 128);
    batch.ids.push(crypto.randomUUID());
    batch.types.push("com.example.Payload");
  }
  return batch;
}

let run = 0;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const q = new URL(request.url).searchParams;
    const layout = q.get("layout") as Layout;
    if (layout !== "rows" && layout !== "batch") return new Response("layout must be rows or batch", { status: 400 });
    const messages = Number(q.get("messages") ?? 100_000);
    const size = Number(q.get("batch") ?? 1000);
    const stub = env.CEILING.get(env.CEILING.idFromName(`run-${++run}`));
    await stub.init(layout);
    const batch = makeBatch(size);
    for (let first = 0; first < messages; first += size) {
      await (layout === "rows" ? stub.insertRows(first, batch) : stub.insertBatchRow(first, batch));
    }
    return Response.json({ layout, messages, rows: layout === "rows" ? messages : Math.ceil(messages / size) });
  },
};
