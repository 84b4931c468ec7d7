/** The shapes of the HTTP API answers the console reads. */

export interface Metrics {
  projectId: string;
  at: number;
  logs: {
    type: string;
    topic: string | null;
    messagesAppended: number;
    messagesLastMinute: number;
    minutes: { minute: number; messages: number }[];
  }[];
  consumers: {
    messageType: string;
    topic: string | null;
    consumer: string;
    messagesBehind: number;
    atLeast: boolean;
    secondsBehind: number;
    trackers: number;
    activeTrackers: number;
  }[];
  sessions: { clientName: string; sockets: number }[];
}

export interface StoredMessage {
  index: string | number;
  messageId: string;
  segment: number | null;
  timestamp: number;
  source: string | null;
  target: string | null;
  metadata: Record<string, string>;
  data: { value: string | null; type: string | null; revision?: number; format?: string | null };
  payload?: unknown;
}

export interface AuditHit {
  type: string;
  topic: string | null;
  index: string;
  partition: number;
  appendedAt: number;
  timestamp: number | null;
  messageId: string | null;
  payloadType: string | null;
  correlationId: string | null;
  traceId: string | null;
}

export interface Tracker {
  trackerId: string;
  clientId: string;
  segment: [number, number] | null;
  active: boolean;
}

export interface ConsumerDetails {
  consumer: string;
  trackers: Tracker[];
  positions: (string | number | null)[];
  partitions: { partition: number; segment: [number, number]; messagesBehind: number; atLeast: boolean; secondsBehind: number }[];
  messagesBehind: number;
  secondsBehind: number;
}

export interface Schedule {
  scheduleId: string;
  deadline: number;
  recurrence?: unknown;
}
