/**
 * From an audit hit to the full message: the keys come from D1, the message from the partition
 * that stores it. A message purged by retention leaves its keys behind with `message: null`.
 */
import { NotFound, BadRequest } from "../errors";
import { partitionStub } from "../log/log-client";
import { RawJson } from "../protocol/json";
import type { LogType } from "../protocol/messages";
import { type AuditHit, findAudited } from "./audit-query";

/** An audit hit with its stored message (complete JSON), or null once the log no longer holds it. */
export interface AuditedMessage extends AuditHit {
  message: RawJson | null;
}

/** The audited message at `index` of a log; `partition` is needed only when two partitions share the index. */
export async function readAuditedMessage(
  env: Cloudflare.Env,
  projectId: string,
  at: { type: LogType; topic: string | null; index: bigint; partition?: number },
): Promise<AuditedMessage> {
  const hits = await findAudited(env.DB, projectId, at);
  if (hits.length === 0) throw new NotFound(`no audited ${at.type} message at index ${at.index}`);
  if (hits.length > 1) {
    throw new BadRequest(`partitions ${hits.map((h) => h.partition).join(", ")} each hold index ${at.index}: give partition`);
  }
  const hit = hits[0];
  const read = await partitionStub(env, { projectId, type: hit.type, topic: hit.topic }, hit.partition).read(at.index - 1n, 1);
  const message = read.indexes[0] === at.index ? new RawJson(read.messages[0]) : null;
  return { ...hit, message };
}
