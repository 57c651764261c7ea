import type { Message, PubSub, Subscription } from "@google-cloud/pubsub";
import type { TableId } from "../../contracts/table";
import type { Warehouse } from "../../functions/runtime/warehouse";
import { ROW_BUILDERS, type BridgedMessage } from "./subscription-rows";

export interface BigQuerySubscriptionBridgeProps {
  pubsub: PubSub;
  projectId: string;
  /** The pull subscription the emulator holds in place of the BigQuery subscription. */
  subscription: string;
  /** The table the stack's BigQuery subscription writes: `project.dataset.table`. */
  table: string;
  warehouse: Warehouse;
  /** Rows per insert. Default: 500. */
  maxBatchRows?: number;
  /** How long a batch may wait to fill, in ms. Default: 50. */
  maxBatchDelayMs?: number;
  /** Called when an insert fails (the messages are nacked and redelivered). */
  onError?: (e: unknown) => void;
}

/**
 * Stands in for a BigQuery subscription, which the emulator cannot run: pulls the messages and writes
 * the rows the subscription would write into the local warehouse, then acks. Insert ids are message
 * ids, so a redelivery is not written twice.
 */
export class BigQuerySubscriptionBridge {
  /** Rows written so far. */
  written = 0;
  /** Epoch ms of the last message received. */
  lastMessageAt = 0;
  private readonly tableId: TableId;
  private readonly build: (m: BridgedMessage, s: string) => Record<string, unknown>;
  private readonly sub: Subscription;
  private batch: Message[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly props: BigQuerySubscriptionBridgeProps) {
    this.tableId = props.table.split(".").slice(-2).join(".") as TableId;
    const build = ROW_BUILDERS[this.tableId];
    if (!build) throw new Error(`no local bridge writes ${this.tableId} (BigQuery subscription ${props.subscription}); known: ${Object.keys(ROW_BUILDERS).join(", ")}`);
    this.build = build;
    this.sub = props.pubsub.subscription(props.subscription, { flowControl: { maxMessages: 2000, allowExcessMessages: false } });
  }

  get name(): string {
    return this.props.subscription;
  }

  get table(): TableId {
    return this.tableId;
  }

  start(): void {
    this.sub.on("message", (m: Message) => {
      this.lastMessageAt = Date.now();
      this.batch.push(m);
      if (this.batch.length >= (this.props.maxBatchRows ?? 500)) this.flushSoon(0);
      else this.flushSoon(this.props.maxBatchDelayMs ?? 50);
    });
    this.sub.on("error", (e) => this.props.onError?.(e));
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.flushSoon(0);
    await this.flushing;
    await this.sub.close();
  }

  private flushSoon(delayMs: number): void {
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const messages = this.batch;
      this.batch = [];
      if (messages.length > 0) this.flushing = this.flushing.then(() => this.write(messages));
    }, delayMs);
  }

  private async write(messages: Message[]): Promise<void> {
    const subscriptionName = `projects/${this.props.projectId}/subscriptions/${this.props.subscription}`;
    const rows = messages.map((m) => this.build({ id: m.id, publishTime: m.publishTime, data: m.data, attributes: m.attributes ?? {} }, subscriptionName));
    try {
      const result = await this.props.warehouse.insertRows(this.tableId, rows, { insertIds: messages.map((m) => m.id) });
      const failed = new Set(result.failed.map((f) => f.index));
      for (const f of result.failed) this.props.onError?.(new Error(`${this.tableId} row of message ${messages[f.index].id} rejected: ${f.reason}`));
      messages.forEach((m, i) => (failed.has(i) ? m.nack() : m.ack()));
      this.written += messages.length - failed.size;
    } catch (e) {
      this.props.onError?.(e);
      for (const m of messages) m.nack();
    }
  }
}
