import { DurableObject } from "cloudflare:workers";

export class LogPartition extends DurableObject<Cloudflare.Env> {}
