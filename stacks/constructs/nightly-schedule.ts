import { CloudSchedulerJob } from "@cdktf/provider-google/lib/cloud-scheduler-job";
import { Construct } from "constructs";
import type { EnvConfig } from "../../config";
import { SCHEDULER_RETRY_COUNT } from "../../config/gcp-limits";
import { check, checkIntegerWithin } from "./construct-error";
import type { StreamingTopic } from "./streaming-topic";

/** Cron, time zone and retry config (`config.reconciliation.schedule`). */
export type ScheduleSettings = EnvConfig["reconciliation"]["schedule"];

export interface NightlyScheduleProps {
  /** Job name, e.g. "nightly-reconciliation". */
  readonly name: string;
  /** One line saying what the job triggers. */
  readonly description: string;
  /** Region of the job, e.g. "europe-west1". */
  readonly region: string;
  /** Cron, IANA time zone, retry backoff and limits (no attempt deadline: see below). */
  readonly schedule: ScheduleSettings;
  /** Topic the job publishes to. */
  readonly topic: StreamingTopic;
  /** JSON message body published on every run, e.g. { run_date: "previous_day" }. */
  readonly message: object;
}

/**
 * A Cloud Scheduler job publishing a fixed message on a cron in a time zone, with retries. Scheduler
 * cannot template dates, so the message says "previous_day" and the consumer resolves it from the
 * publish time in the schedule's time zone.
 */
export class NightlySchedule extends Construct {
  readonly job: CloudSchedulerJob;

  constructor(scope: Construct, id: string, props: NightlyScheduleProps) {
    super(scope, id);
    const s = props.schedule;
    check(this, /^(\S+\s+){4}\S+$/.test(s.cron.trim()), `cron ${JSON.stringify(s.cron)} must have 5 fields`);
    checkIntegerWithin(this, "retryCount", s.retry.retryCount, SCHEDULER_RETRY_COUNT);

    this.job = new CloudSchedulerJob(this, "job", {
      name: props.name,
      description: props.description,
      region: props.region,
      schedule: s.cron,
      timeZone: s.timeZone,
      // No attempt_deadline: Pub/Sub targets ignore it, and setting one leaves a diff that never
      // resolves (google provider docs). The function's own timeout bounds each attempt instead.
      retryConfig: {
        retryCount: s.retry.retryCount,
        maxRetryDuration: s.retry.maxRetryDuration,
        minBackoffDuration: s.retry.minBackoff,
        maxBackoffDuration: s.retry.maxBackoff,
        maxDoublings: s.retry.maxDoublings,
      },
      pubsubTarget: { topicName: props.topic.id, data: Buffer.from(JSON.stringify(props.message)).toString("base64") },
    });
  }
}
