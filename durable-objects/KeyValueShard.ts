import { DurableObject } from "cloudflare:workers";

export class KeyValueShard extends DurableObject<Cloudflare.Env> {}
