import { deployedRedeliveryOf, localPushRedelivery } from "./push-redelivery";
import { block, resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";

/**
 * Deployed behaviours of the stack that a local run cannot exercise, each with why. The emulator
 * deviations are pinned by test/emulator/capabilities.test.ts; if one of those tests starts failing
 * after an emulator upgrade, revisit this list.
 */
export function unexercisedBehaviours(tf: TerraformJson): string[] {
  const gaps: string[] = [];
  const subs = resourcesOfType(tf, "google_pubsub_subscription").map(([, s]) => s);
  for (const s of subs) {
    if (typeof s.filter === "string" && s.filter !== "") gaps.push(`subscription ${String(s.name)}: filter ${JSON.stringify(s.filter)} is accepted but not enforced by the emulator`);
    if (s.enable_message_ordering === true && block(s.dead_letter_policy)) {
      gaps.push(`subscription ${String(s.name)}: with ordering, the emulator drops a message at max attempts instead of dead-lettering it`);
    }
  }
  const bigquery = subs.filter((s) => block(s.bigquery_config)).map((s) => String(s.name));
  if (bigquery.length > 0) gaps.push(`BigQuery subscriptions (${bigquery.join(", ")}): the emulator writes nothing; a local pull bridge writes the rows instead`);
  if (subs.some((s) => block(s.retry_policy))) gaps.push("retry policies: the emulator's first redelivery ignores the minimum backoff");
  const push = subs.filter((s) => block(s.push_config));
  if (push.length > 0) {
    gaps.push(`push (${push.map((s) => String(s.name)).join(", ")}): the emulator pushes with at most 2 concurrent requests (Pub/Sub scales push concurrency up)`);
    for (const s of push) {
      const deployed = deployedRedeliveryOf(s);
      if (!deployed) continue;
      const local = localPushRedelivery(deployed);
      gaps.push(
        `push subscription ${String(s.name)}: retry policy ${deployed.minimumBackoffSeconds}s-${deployed.maximumBackoffSeconds}s left off locally (the emulator strands nacked pushes under a retry policy); ` +
          `it redelivers about every second instead, with max delivery attempts ${local.maxDeliveryAttempts} (deployed ${deployed.maxDeliveryAttempts}) spanning ${local.localWindowSeconds} s (deployed backoff ${local.deployedWindowSeconds} s)`,
      );
    }
    if (push.some((s) => block(block(s.push_config)?.oidc_token))) gaps.push("push authentication: the emulator sends no OIDC token, so the invoker service account is not checked");
  }
  const iam = Object.keys(tf.resource ?? {}).filter((t) => /_iam_(member|binding|policy)$/.test(t));
  const grants = iam.reduce((n, t) => n + resourcesOfType(tf, t).length, 0);
  if (grants > 0) gaps.push(`IAM (${grants} grants): not implemented by the emulator; least privilege is checked at synth (guardrails), not at run time`);
  for (const [, job] of resourcesOfType(tf, "google_cloud_scheduler_job")) {
    gaps.push(`Cloud Scheduler job ${String(job.name)} (${String(job.schedule)} ${String(job.time_zone)}, retries): the run publishes its payload once instead`);
  }
  const monitoring = Object.keys(tf.resource ?? {}).filter((t) => t.startsWith("google_monitoring_"));
  if (monitoring.length > 0) gaps.push(`Cloud Monitoring (${monitoring.join(", ")}): alerts and dashboards have no local counterpart`);
  for (const [, f] of resourcesOfType(tf, "google_cloudfunctions2_function")) {
    const svc = block(f.service_config);
    gaps.push(`function ${String(f.name)}: ingress ${String(svc?.ingress_settings ?? "?")}, autoscaling ${String(svc?.min_instance_count ?? 0)}-${String(svc?.max_instance_count ?? "?")} instances and service account are not applied locally (one process on loopback)`);
  }
  gaps.push("reconciliation late_arrival: functions stamp ingest_time with the real clock, so an order arrives after its store's day closed only if the run straddles that store's local midnight");
  return gaps;
}
