import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { Construct } from "constructs";
import { check } from "./construct-error";
import type { ResourceLabels } from "./labels";

export interface FunctionSourceBucketProps {
  /** Bucket name, globally unique, e.g. "streamline-dev-function-sources". */
  readonly name: string;
  /** Bucket location, e.g. "europe-west1" (same region as the functions). */
  readonly location: string;
  /** When false, `terraform destroy` may delete the bucket with its objects (dev). */
  readonly deletionProtection: boolean;
  /** Labels for the bucket (config labels + env). */
  readonly labels: ResourceLabels;
}

/** Private, per-environment bucket the function source archives are uploaded to. */
export class FunctionSourceBucket extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: FunctionSourceBucketProps) {
    super(scope, id);
    check(this, /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(props.name), `bucket name ${JSON.stringify(props.name)} must be a GCS bucket name`);
    this.bucket = new StorageBucket(this, "bucket", {
      name: props.name,
      location: props.location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: !props.deletionProtection,
      labels: { ...props.labels },
    });
  }
}
