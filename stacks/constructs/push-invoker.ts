import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { Construct } from "constructs";
import type { CloudFunction } from "./cloud-function";
import type { PubsubServiceAgent } from "./pubsub-service-agent";

export interface PushInvokerProps {
  /** Service account id, 6-30 chars. Default: "pubsub-push-invoker". */
  readonly accountId?: string;
  /** Region of the functions it invokes, e.g. "europe-west1". */
  readonly region: string;
  /** The Pub/Sub service agent, which mints OIDC tokens for this account. */
  readonly serviceAgent: PubsubServiceAgent;
}

/**
 * The identity push subscriptions present to the functions (OIDC token). Functions stay private:
 * only this account gets roles/run.invoker, on each function's Cloud Run service.
 */
export class PushInvoker extends Construct {
  readonly serviceAccount: ServiceAccount;
  readonly email: string;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: PushInvokerProps) {
    super(scope, id);
    this.region = props.region;
    this.serviceAccount = new ServiceAccount(this, "service-account", {
      accountId: props.accountId ?? "pubsub-push-invoker",
      displayName: "streamline Pub/Sub push invoker",
      description: "Identity of push subscriptions calling the functions (OIDC).",
    });
    this.email = this.serviceAccount.email;
    // Projects created before 2021-04 need this for Pub/Sub to mint the push token; scoped to this account only.
    new ServiceAccountIamMember(this, "token-creator-pubsub-service-agent", {
      serviceAccountId: this.serviceAccount.name,
      role: "roles/iam.serviceAccountTokenCreator",
      member: props.serviceAgent.member,
    });
  }

  /** roles/run.invoker on the function's Cloud Run service, for this account only. */
  grantInvoke(fn: CloudFunction): CloudRunV2ServiceIamMember {
    return new CloudRunV2ServiceIamMember(this, `run-invoker-${fn.granteeName}`, {
      name: fn.serviceName,
      location: this.region,
      role: "roles/run.invoker",
      member: this.serviceAccount.member,
    });
  }
}
