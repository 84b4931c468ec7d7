/**
 * A small order service on the Flux client SDK. Every instance runs the same five consumers, and
 * instances with the same consumer names split the segments between them:
 *
 * - `order-commands` handles PlaceOrder and PayOrder commands. PlaceOrder appends an OrderPlaced
 *   event to the order's event stream (which also puts it on the EVENT log) and schedules a
 *   payment reminder; PayOrder appends OrderPaid and cancels the reminder. The order id is the result.
 * - `order-projection` reads the order events and keeps a view of each order in the key-value store.
 * - `order-search` projects the same events into the `orders` search collection.
 * - `order-queries` answers GetOrder queries from the key-value view.
 * - `order-reminders` handles due PaymentReminders (SCHEDULE log): an order still unpaid gets a
 *   PaymentReminded event.
 */
import { type Consumer, type FluxClient, match, message } from "@flux-edge/client";

/** The PlaceOrder command. */
export interface PlaceOrder {
  orderId: string;
  item: string;
  quantity: number;
}

/** The OrderPlaced event. */
export interface OrderPlaced extends PlaceOrder {
  placedAt: number;
}

/** The PayOrder command. */
export interface PayOrder {
  orderId: string;
}

/** The OrderPaid event. */
export interface OrderPaid extends PayOrder {
  paidAt: number;
}

/** The PaymentReminder a placed order schedules, and the PaymentReminded event it leads to. */
export interface PaymentReminder {
  orderId: string;
}

/** The GetOrder query. */
export interface GetOrder {
  orderId: string;
}

/** The view the projections keep, GetOrder returns and the `orders` collection holds. */
export interface OrderView extends OrderPlaced {
  status: "placed" | "paid";
  paidAt?: number;
}

/** Options of {@link startOrderService}. */
export interface OrderServiceOptions {
  /** Remind about an order still unpaid this long after it was placed (ms, default 15 minutes). */
  reminderAfterMs?: number;
}

/** A running service instance. */
export interface OrderService {
  /** Commands, events, queries, search updates and reminders this instance handled. */
  readonly handled: { commands: number; events: number; queries: number; indexed: number; reminders: number };
  /** Resolves once every consumer of the instance holds its share of the segments. */
  ready(): Promise<void>;
  /** Stops the instance's consumers. */
  stop(): Promise<void>;
}

/** The search collection of order views. */
export const ORDERS = "orders";

const viewKey = (orderId: string) => `order/${orderId}`;
const reminderId = (orderId: string) => `payment-reminder/${orderId}`;
type OrderEvent = { type: string | null; payload: OrderPlaced | OrderPaid };

/** The view after `event`: a new view for OrderPlaced, the paid view for OrderPaid. */
function applyEvent(view: OrderView | undefined, { type, payload }: OrderEvent): OrderView | undefined {
  if (type === "OrderPlaced") return { ...(payload as OrderPlaced), status: "placed" };
  return view && { ...view, status: "paid", paidAt: (payload as OrderPaid).paidAt };
}

/** Starts one instance of the order service on `flux`. */
export function startOrderService(flux: FluxClient, options: OrderServiceOptions = {}): OrderService {
  const reminderAfterMs = options.reminderAfterMs ?? 15 * 60_000;
  const handled = { commands: 0, events: 0, queries: 0, indexed: 0, reminders: 0 };
  const eventTypes = async (orderId: string) => (await flux.eventStore.getEvents(orderId)).map((e) => e.type);
  const consumers: Consumer[] = [
    flux.consume<PlaceOrder | PayOrder>({
      consumer: "order-commands",
      messageType: "COMMAND",
      typeFilter: "PlaceOrder|PayOrder",
      handler: async ({ type, payload }) => {
        handled.commands++;
        if (type === "PayOrder") {
          const events = await eventTypes(payload.orderId);
          if (!events.includes("OrderPlaced")) throw new Error(`unknown order ${payload.orderId}`);
          if (events.includes("OrderPaid")) throw new Error(`order ${payload.orderId} is already paid`);
          const paid: OrderPaid = { orderId: payload.orderId, paidAt: Date.now() };
          await flux.eventStore.appendEvents(payload.orderId, [message(paid, { type: "OrderPaid" })]);
          await flux.cancelSchedule(reminderId(payload.orderId));
          return { orderId: payload.orderId };
        }
        const command = payload as PlaceOrder;
        if (!command.orderId || !(command.quantity > 0)) throw new Error("an order needs an id and a positive quantity");
        const event: OrderPlaced = { ...command, placedAt: Date.now() };
        await flux.eventStore.appendEvents(command.orderId, [message(event, { type: "OrderPlaced" })]);
        const reminder: PaymentReminder = { orderId: command.orderId };
        await flux.schedule(reminder, { scheduleId: reminderId(command.orderId), at: event.placedAt + reminderAfterMs, type: "PaymentReminder" });
        return { orderId: command.orderId };
      },
    }),
    // Both projections see an order's events in order: they share the order's segment (its aggregate id).
    flux.consume<OrderPlaced | OrderPaid>({
      consumer: "order-projection",
      messageType: "EVENT",
      typeFilter: "OrderPlaced|OrderPaid",
      handler: async (event) => {
        handled.events++;
        const key = viewKey(event.payload.orderId);
        const view = applyEvent(await flux.keyValue.getValue<OrderView>(key), event);
        if (view) await flux.keyValue.storeValues({ [key]: view });
      },
    }),
    flux.consume<OrderPlaced | OrderPaid>({
      consumer: "order-search",
      messageType: "EVENT",
      typeFilter: "OrderPlaced|OrderPaid",
      handler: async (event) => {
        handled.indexed++;
        const { orderId } = event.payload;
        const view = applyEvent((await flux.getDocument<OrderView>(ORDERS, orderId))?.value, event);
        if (view) await flux.index(ORDERS, orderId, view, { timestamp: view.placedAt, facets: { status: view.status } });
      },
    }),
    flux.consume<PaymentReminder>({
      consumer: "order-reminders",
      messageType: "SCHEDULE",
      typeFilter: "PaymentReminder",
      handler: async ({ payload: { orderId } }) => {
        if ((await eventTypes(orderId)).includes("OrderPaid")) return;
        handled.reminders++;
        await flux.eventStore.appendEvents(orderId, [message({ orderId, remindedAt: Date.now() }, { type: "PaymentReminded" })]);
      },
    }),
    flux.consume<GetOrder>({
      consumer: "order-queries",
      messageType: "QUERY",
      typeFilter: "GetOrder",
      handler: async ({ payload: query }) => {
        handled.queries++;
        return (await flux.keyValue.getValue<OrderView>(viewKey(query.orderId))) ?? null;
      },
    }),
  ];
  return {
    handled,
    async ready() {
      await Promise.all(consumers.map((c) => c.ready()));
    },
    async stop() {
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}

/**
 * Places an order through any running instance; resolves with the order id. Commands of one order
 * share a routing key, so one instance handles them one at a time.
 */
export async function placeOrder(flux: FluxClient, order: PlaceOrder): Promise<string> {
  const { orderId } = await flux.send<{ orderId: string }>(order, { type: "PlaceOrder", routingKey: order.orderId });
  return orderId;
}

/** Pays an order through any running instance; fails for unknown or paid orders. */
export async function payOrder(flux: FluxClient, orderId: string): Promise<void> {
  await flux.send({ orderId } satisfies PayOrder, { type: "PayOrder", routingKey: orderId });
}

/** The ids of the orders with `status`, from the search projection, oldest first. */
export async function findOrders(flux: FluxClient, status: OrderView["status"]): Promise<string[]> {
  const ids: string[] = [];
  for await (const hit of flux.search<OrderView>(ORDERS).where(match(status, "status")).sortBy("timestamp")) ids.push(hit.id);
  return ids;
}

/** Asks any running instance for an order's view; null until the projection has it. */
export function getOrder(flux: FluxClient, orderId: string): Promise<OrderView | null> {
  return flux.query<OrderView | null>({ orderId } satisfies GetOrder, { type: "GetOrder" });
}
