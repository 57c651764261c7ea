import { finding, type GuardrailRule, type RuleContext } from "../rule";
import { asString, block } from "../../terraform-json";

const hasKey = (v: unknown) => typeof v === "string" && v !== "";

export const topicCmek: GuardrailRule = {
  id: "KMS-001",
  title: "Topics use CMEK where config requires it",
  rationale: "Environments under a CMEK policy must be able to revoke access to stored messages by disabling the key.",
  fix: "Set kms_key_name on the topic from config cmek.kmsKeyName (and grant the Pub/Sub service agent encrypt/decrypt on the key).",
  checkov: ["CKV_GCP_83"],
  check(ctx) {
    if (!ctx.cmekRequired) return [];
    return ctx.view
      .ofType("google_pubsub_topic")
      .filter((t) => !hasKey(t.config.kms_key_name))
      .map((t) => finding(this, t, "has no kms_key_name"));
  },
};

export const bigqueryCmek: GuardrailRule = {
  id: "KMS-002",
  title: "BigQuery datasets and tables use CMEK where config requires it",
  rationale: "Tables hold the same events as the topics; a key policy that stops at Pub/Sub protects nothing.",
  fix: "Set default_encryption_configuration.kms_key_name on each dataset (tables inherit it) from config cmek.kmsKeyName.",
  checkov: ["CKV_GCP_81", "CKV_GCP_80"],
  check(ctx: RuleContext) {
    if (!ctx.cmekRequired) return [];
    const datasetKey = (v: unknown) => hasKey(block(ctx.view.deref(v)?.config.default_encryption_configuration)?.kms_key_name);
    const datasets = ctx.view
      .ofType("google_bigquery_dataset")
      .filter((d) => !hasKey(block(d.config.default_encryption_configuration)?.kms_key_name))
      .map((d) => finding(this, d, "has no default_encryption_configuration.kms_key_name"));
    const tables = ctx.view
      .ofType("google_bigquery_table")
      .filter((t) => block(t.config.view) === undefined)
      .filter((t) => !hasKey(block(t.config.encryption_configuration)?.kms_key_name) && !datasetKey(t.config.dataset_id))
      .map((t) => finding(this, t, "has no encryption_configuration.kms_key_name and its dataset has no default key"));
    return [...datasets, ...tables];
  },
};

export const storageCmek: GuardrailRule = {
  id: "KMS-003",
  title: "Buckets use CMEK where config requires it",
  rationale: "Function source archives and exports sit in buckets; the key policy covers them too.",
  fix: "Set encryption.default_kms_key_name on the bucket from config cmek.kmsKeyName.",
  check(ctx) {
    if (!ctx.cmekRequired) return [];
    return ctx.view
      .ofType("google_storage_bucket")
      .filter((b) => !hasKey(asString(block(b.config.encryption)?.default_kms_key_name)))
      .map((b) => finding(this, b, "has no encryption.default_kms_key_name"));
  },
};

export const KMS_RULES = [topicCmek, bigqueryCmek, storageCmek];
