import { DurableObject } from "cloudflare:workers";

export class Consumer extends DurableObject<Cloudflare.Env> {}
