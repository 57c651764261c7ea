import { BigqueryDataset } from "@cdktf/provider-google/lib/bigquery-dataset";
import { BigqueryDatasetIamMember } from "@cdktf/provider-google/lib/bigquery-dataset-iam-member";
import { Construct } from "constructs";
import { DAY_MS } from "../../config/calendar-date";
import { check } from "./construct-error";
import type { Grantee } from "./grantee";
import type { ResourceLabels } from "./labels";

export interface DatasetProps {
  /** GCP project id the dataset belongs to. */
  readonly project: string;
  /** Dataset id, e.g. "curated". */
  readonly datasetId: string;
  /** BigQuery location, e.g. "EU". */
  readonly location: string;
  /** One line saying what the dataset holds. */
  readonly description: string;
  /** Default partition expiration (days) for tables created in it without their own; null = keep forever. */
  readonly defaultPartitionExpirationDays: number | null;
  /** Labels for the dataset (config labels + env). */
  readonly labels: ResourceLabels;
}

/** A BigQuery dataset with dataset-level grants: access is granted here, never project-wide. */
export class Dataset extends Construct {
  readonly dataset: BigqueryDataset;
  readonly datasetId: string;
  readonly project: string;

  constructor(scope: Construct, id: string, props: DatasetProps) {
    super(scope, id);
    check(this, /^[A-Za-z0-9_]{1,1024}$/.test(props.datasetId), `datasetId ${JSON.stringify(props.datasetId)} must be letters, digits and _`);
    const days = props.defaultPartitionExpirationDays;
    check(this, days === null || (Number.isInteger(days) && days >= 1), `defaultPartitionExpirationDays ${days} must be a positive integer or null`);

    this.dataset = new BigqueryDataset(this, "dataset", {
      project: props.project,
      datasetId: props.datasetId,
      location: props.location,
      description: props.description,
      defaultPartitionExpirationMs: days === null ? undefined : days * DAY_MS,
      labels: { ...props.labels },
    });
    this.datasetId = props.datasetId;
    this.project = props.project;
  }

  /** Read tables and views of this dataset. */
  grantDataViewer(grantee: Grantee): BigqueryDatasetIamMember {
    return this.grant("roles/bigquery.dataViewer", grantee);
  }

  /** Read and write table data (and create tables) in this dataset. */
  grantDataEditor(grantee: Grantee): BigqueryDatasetIamMember {
    return this.grant("roles/bigquery.dataEditor", grantee);
  }

  private grant(role: string, grantee: Grantee): BigqueryDatasetIamMember {
    const id = `${role.split(".").pop()}-${grantee.granteeName}`;
    // Granting twice (two BigQuery subscriptions into one dataset) is one grant.
    const existing = this.node.tryFindChild(id);
    if (existing) return existing as BigqueryDatasetIamMember;
    return new BigqueryDatasetIamMember(this, id, {
      datasetId: this.dataset.datasetId,
      role,
      member: grantee.member,
    });
  }
}
