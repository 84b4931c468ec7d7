/**
 * Flux endpoint paths for logs: `tracking/publish<type>` and `tracking/read<type>`, plus the
 * `topic` that names CUSTOM topics and DOCUMENT collections.
 */
import { BadRequest } from "../errors";
import { type LogType, type MessageType, logTypeOf, parseMessageType } from "../protocol/messages";
import type { LogAddress } from "./log-address";

/** Names users choose (projects, topics, consumers): letters, digits and `._-:$@`, at most 200. */
export const NAME = /^[A-Za-z0-9._\-:$@]{1,200}$/;

/** Types that can be published to (NOTIFICATION, SCHEDULE and DOCUMENT are written by the hub). */
const PUBLISHABLE: ReadonlySet<MessageType> = new Set([
  "METRICS", "EVENT", "COMMAND", "QUERY", "RESULT", "ERROR", "WEBREQUEST", "WEBRESPONSE", "CUSTOM",
]);

/** A parsed `tracking/...` path. */
export interface LogPath {
  mode: "publish" | "read";
  messageType: MessageType;
}

/** Parses `tracking/publishevent` or `tracking/readnotification`; null if it is no log path. */
export function parseLogPath(path: string): LogPath | null {
  const m = /^tracking\/(publish|read)([a-z]+)$/i.exec(path);
  if (!m) return null;
  const messageType = parseMessageType(m[2]);
  if (!messageType) return null;
  const mode = m[1].toLowerCase() as LogPath["mode"];
  if (mode === "publish" && !PUBLISHABLE.has(messageType)) return null;
  return { mode, messageType };
}

/** The log a project, type and topic name; the topic is required exactly for CUSTOM and DOCUMENT. */
export function logAddress(projectId: string, type: MessageType, topic: string | null | undefined): LogAddress {
  const logType: LogType = logTypeOf(type);
  const needsTopic = logType === "CUSTOM" || logType === "DOCUMENT";
  if (needsTopic && !topic) throw new BadRequest(`${logType} logs need a topic`);
  if (needsTopic && !NAME.test(topic!)) throw new BadRequest(`topic "${topic}" has characters outside ${NAME.source}`);
  return { projectId, type: logType, topic: needsTopic ? topic! : null };
}
