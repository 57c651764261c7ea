import { PubSub } from "@google-cloud/pubsub";
import type { LOG_ALERTS } from "../../contracts/log-events";

/** What an alert says; the same object is logged (ERROR) and published. */
export interface ReconciliationAlert {
  /** The structured field the log-based alert matches on. */
  alert: (typeof LOG_ALERTS)[keyof typeof LOG_ALERTS];
  environment: string;
  run_id: string;
  run_date: string;
  status: string;
  /** Human summary for the notification. */
  summary: string;
  /** Runbook entry the on-call follows. */
  runbook: string;
  [detail: string]: unknown;
}

/** Sends an alert to whoever is subscribed; resolves once it is accepted. */
export interface AlertPublisher {
  publish(alert: ReconciliationAlert): Promise<void>;
}

export interface PubSubAlertPublisherOptions {
  projectId: string;
  /** Topic name ("reconciliation-alerts") or full path. */
  topic: string;
  /** Client to use. Default: a new client; it honours PUBSUB_EMULATOR_HOST. */
  client?: PubSub;
}

/** Alerts as JSON messages on the reconciliation-alerts topic; attributes let subscribers filter. */
export class PubSubAlertPublisher implements AlertPublisher {
  private readonly client: PubSub;
  private readonly topic: ReturnType<PubSub["topic"]>;

  constructor(opts: PubSubAlertPublisherOptions) {
    this.client = opts.client ?? new PubSub({ projectId: opts.projectId });
    // One alert per run at most: send it at once instead of waiting for a batch.
    this.topic = this.client.topic(opts.topic, { batching: { maxMessages: 1 } });
  }

  async publish(alert: ReconciliationAlert): Promise<void> {
    await this.topic.publishMessage({
      json: alert,
      attributes: { alert: alert.alert, environment: alert.environment, run_date: alert.run_date, status: alert.status },
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
