import { Cloudfunctions2Function } from "@cdktf/provider-google/lib/cloudfunctions2-function";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { StorageBucketObject } from "@cdktf/provider-google/lib/storage-bucket-object";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { existsSync } from "node:fs";
import type { EnvConfig } from "../../config";
import { FUNCTION_TIMEOUT_S } from "../../config/gcp-limits";
import { check, checkIntegerWithin } from "./construct-error";
import type { FunctionSourceBucket } from "./function-source-bucket";
import type { Grantee } from "./grantee";
import type { ResourceLabels } from "./labels";

/** Memory, CPU, instances, concurrency and timeout of one function (`config.functions.*`). */
export type FunctionSettings = EnvConfig["functions"]["enrichment"];

export interface CloudFunctionProps {
  /** Function name and entry point, e.g. "enrichment" (the handler registers under this name). */
  readonly name: string;
  /** One line saying what the function does. */
  readonly description: string;
  /** GCP project id. */
  readonly project: string;
  /** Region, e.g. "europe-west1". */
  readonly region: string;
  /** Absolute path of the function's source zip (index.js + package.json), built by `npm run build:functions`. */
  readonly sourceArchive: string;
  /** Bucket the source archive is uploaded to. */
  readonly sourceBucket: FunctionSourceBucket;
  /** Memory, CPU, min/max instances, concurrency, timeout. */
  readonly settings: FunctionSettings;
  /** Environment variables read once at cold start (see function-env.ts). */
  readonly environment: Readonly<Record<string, string>>;
  /** Labels for the function (config labels + env). */
  readonly labels: ResourceLabels;
}

/**
 * A Cloud Functions gen2 function (nodejs20) with its own service account, internal-only ingress and
 * no public invoker. Its source zip is uploaded under its content hash, so a code change is a new
 * object and a new deployment.
 */
export class CloudFunction extends Construct implements Grantee {
  readonly function: Cloudfunctions2Function;
  readonly serviceAccount: ServiceAccount;
  readonly member: string;
  readonly granteeName: string;
  /** HTTPS URL of the function, the push endpoint. */
  readonly url: string;
  /** Name of the underlying Cloud Run service, where run.invoker is granted. */
  readonly serviceName: string;

  constructor(scope: Construct, id: string, props: CloudFunctionProps) {
    super(scope, id);
    const s = props.settings;
    check(this, /^[a-z][a-z0-9-]{0,49}$/.test(props.name), `function name ${JSON.stringify(props.name)} must be lowercase letters, digits and -`);
    check(this, existsSync(props.sourceArchive), `no function archive at ${props.sourceArchive}: run \`npm run build:functions\` first`);
    check(this, s.minInstances <= s.maxInstances, `minInstances ${s.minInstances} exceeds maxInstances ${s.maxInstances}`);
    checkIntegerWithin(this, "timeoutSeconds", s.timeoutSeconds, FUNCTION_TIMEOUT_S);

    this.serviceAccount = new ServiceAccount(this, "service-account", {
      accountId: `fn-${props.name}`.slice(0, 30),
      displayName: `streamline ${props.name} function`,
      description: `Runs the ${props.name} Cloud Function; holds only the roles it needs.`,
    });
    this.member = this.serviceAccount.member;
    this.granteeName = props.name;

    // A FILE asset of the zip built once by build:functions: cdktf's ARCHIVE type would re-zip per
    // environment at every synth in a child process each (most of synth time), non-deterministically.
    const asset = new TerraformAsset(this, "source", { path: props.sourceArchive, type: AssetType.FILE });
    const archive = new StorageBucketObject(this, "archive", {
      bucket: props.sourceBucket.bucket.name,
      name: `${props.name}/${asset.assetHash}.zip`,
      source: asset.path,
    });

    this.function = new Cloudfunctions2Function(this, "function", {
      name: props.name,
      location: props.region,
      description: props.description,
      labels: { ...props.labels },
      buildConfig: {
        runtime: "nodejs20",
        entryPoint: props.name,
        source: { storageSource: { bucket: archive.bucket, object: archive.name } },
      },
      serviceConfig: {
        availableMemory: s.memory,
        availableCpu: s.cpu,
        minInstanceCount: s.minInstances,
        maxInstanceCount: s.maxInstances,
        maxInstanceRequestConcurrency: s.concurrency,
        timeoutSeconds: s.timeoutSeconds,
        ingressSettings: "ALLOW_INTERNAL_ONLY",
        allTrafficOnLatestRevision: true,
        serviceAccountEmail: this.serviceAccount.email,
        environmentVariables: { ...props.environment },
      },
    });
    this.url = this.function.url;
    this.serviceName = this.function.serviceConfig.service;
  }

  /** roles/bigquery.jobUser: running queries is a project-level permission; data access stays dataset-level. */
  grantBigqueryJobUser(project: string): ProjectIamMember {
    return new ProjectIamMember(this, "bigquery-job-user", { project, role: "roles/bigquery.jobUser", member: this.member });
  }
}
