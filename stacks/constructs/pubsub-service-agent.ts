import { DataGoogleProject } from "@cdktf/provider-google/lib/data-google-project";
import { Construct } from "constructs";
import type { Grantee } from "./grantee";

/**
 * The Pub/Sub service agent of the project (`service-<number>@gcp-sa-pubsub.iam.gserviceaccount.com`).
 * It forwards dead letters, writes BigQuery subscriptions and mints push OIDC tokens, so it is
 * granted those rights explicitly; the project number is only known at plan time.
 */
export class PubsubServiceAgent extends Construct implements Grantee {
  readonly granteeName = "pubsub-service-agent";
  /** IAM member string, e.g. `serviceAccount:service-123@gcp-sa-pubsub.iam.gserviceaccount.com`. */
  readonly member: string;

  constructor(scope: Construct, id: string, props: { /** GCP project id. */ project: string }) {
    super(scope, id);
    const project = new DataGoogleProject(this, "project", { projectId: props.project });
    this.member = `serviceAccount:service-${project.number}@gcp-sa-pubsub.iam.gserviceaccount.com`;
  }
}
