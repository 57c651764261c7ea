import type { GuardrailRule } from "../rule";
import { BIGQUERY_RULES } from "./bigquery";
import { FUNCTION_RULES } from "./functions";
import { IAM_RULES } from "./iam";
import { KMS_RULES } from "./kms";
import { LABEL_RULES } from "./labels";
import { MONITORING_RULES } from "./monitoring";
import { PUBSUB_RULES } from "./pubsub";

/** Every rule the guardrails check, in report order. */
export const RULES: readonly GuardrailRule[] = [...PUBSUB_RULES, ...BIGQUERY_RULES, ...IAM_RULES, ...FUNCTION_RULES, ...LABEL_RULES, ...KMS_RULES, ...MONITORING_RULES];
