import { finding, type GuardrailRule } from "../rule";
import { asString, block } from "../../terraform-json";
import type { TfBlock } from "../terraform-view";

// Google-managed defaults a function falls back to when it names no service account.
const DEFAULT_SERVICE_ACCOUNT = /(-compute@developer\.gserviceaccount\.com|@appspot\.gserviceaccount\.com)$/;
const INTERNAL_INGRESS = "ALLOW_INTERNAL_ONLY";

const functionTypes = ["google_cloudfunctions2_function", "google_cloudfunctions_function"];

/** gen2 keeps runtime settings in service_config; gen1 at the top level. */
const runtimeOf = (f: TfBlock) => block(f.config.service_config) ?? f.config;

export const ownServiceAccount: GuardrailRule = {
  id: "FN-001",
  title: "Each function runs as its own service account",
  rationale: "The default compute account holds Editor on the project; a shared account lets one function's grants leak to another.",
  fix: "Give the function a dedicated google_service_account (the CloudFunction construct creates one per function) and set service_account_email.",
  check(ctx) {
    const fns = ctx.view.ofType(...functionTypes);
    const byAccount = new Map<string, TfBlock[]>();
    const out = fns.flatMap((f) => {
      const sa = asString(runtimeOf(f).service_account_email);
      if (sa === undefined) return [finding(this, f, "names no service_account_email, so it runs as the default compute service account")];
      if (DEFAULT_SERVICE_ACCOUNT.test(sa)) return [finding(this, f, `runs as the default service account ${sa}`)];
      byAccount.set(sa, [...(byAccount.get(sa) ?? []), f]);
      return [];
    });
    for (const [sa, sharing] of byAccount) {
      if (sharing.length > 1) out.push(...sharing.map((f) => finding(this, f, `shares service account ${sa} with ${sharing.filter((o) => o !== f).map((o) => o.address).join(", ")}`)));
    }
    return out;
  },
};

export const internalIngress: GuardrailRule = {
  id: "FN-002",
  title: "Functions accept internal traffic only",
  rationale: "Our functions are invoked by Pub/Sub push, which counts as internal; an internet-facing endpoint is attack surface for nothing.",
  fix: 'Set ingress_settings = "ALLOW_INTERNAL_ONLY" (service_config for gen2).',
  checkov: ["CKV_GCP_124"],
  check(ctx) {
    return ctx.view.ofType(...functionTypes).flatMap((f) => {
      const ingress = asString(runtimeOf(f).ingress_settings);
      return ingress === INTERNAL_INGRESS ? [] : [finding(this, f, `ingress_settings is ${ingress ?? "unset (ALLOW_ALL)"}`)];
    });
  },
};

export const FUNCTION_RULES = [ownServiceAccount, internalIngress];
