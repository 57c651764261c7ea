import { ProjectService } from "@cdktf/provider-google/lib/project-service";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import type { EnvConfig } from "../config";
import { resourceLabels } from "./constructs/labels";
import { applyGuardrails } from "./guardrails";
import { REQUIRED_APIS } from "./required-apis";

export interface BootstrapStackProps {
  /** The environment's validated config: project, region, stateBucket, labels. */
  readonly config: EnvConfig;
}

/**
 * What must exist before the pipeline stack's first `terraform init`: the GCS bucket holding its
 * state, and the project's APIs. Its own state is local (it cannot live in the bucket it creates),
 * kept outside cdktf.out so a new synth does not wipe it (`bootstrap-state/<env>.tfstate`).
 */
export class BootstrapStack extends TerraformStack {
  readonly stateBucket: StorageBucket;

  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const c = props.config;
    applyGuardrails(this, { environment: c.environment, cmekRequired: c.cmek.required });
    // Relative to the stack folder cdktf.out/stacks/<id>/, i.e. <repo>/bootstrap-state/ (gitignored).
    new LocalBackend(this, { path: `../../../bootstrap-state/${c.environment}.tfstate` });
    new GoogleProvider(this, "google", { project: c.project, region: c.region });

    // Enabling an API is idempotent; never disable one on destroy (the pipeline's resources use them).
    const apis = new Map(
      REQUIRED_APIS.map((api) => [api, new ProjectService(this, `api-${api.split(".")[0]}`, { project: c.project, service: api, disableOnDestroy: false, disableDependentServices: false })]),
    );
    this.stateBucket = new StorageBucket(this, "state-bucket", {
      name: c.stateBucket,
      location: c.region,
      // Versioning keeps every earlier state: a bad apply or a corrupted write can be rolled back.
      versioning: { enabled: true },
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      labels: resourceLabels(c),
      lifecycle: { preventDestroy: true },
      dependsOn: [apis.get("storage.googleapis.com")!],
    });
  }
}
