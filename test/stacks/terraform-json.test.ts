import { block, isExpression, mentions, referencedAddress, referencedName, resourcesOfType, type TerraformJson } from "../../stacks/terraform-json";

const tf: TerraformJson = {
  resource: {
    google_pubsub_topic: { events_A1: { name: "commerce-events" }, unnamed_B2: { name: "${var.x}" } },
    google_pubsub_subscription: { enrichment_C3: { name: "enrichment", topic: "${google_pubsub_topic.events_A1.id}", dead_letter_policy: [{ max_delivery_attempts: 5 }] } },
  },
  data: { google_iam_policy: { p_D4: {} } },
};

test("a whole reference names its address, with or without an attribute or index", () => {
  expect(referencedAddress("${google_pubsub_topic.events_A1.id}")).toBe("google_pubsub_topic.events_A1");
  expect(referencedAddress("${data.google_iam_policy.p_D4.policy_data}")).toBe("data.google_iam_policy.p_D4");
  expect(referencedAddress("${google_pubsub_topic.events_A1}")).toBe("google_pubsub_topic.events_A1");
  expect(referencedAddress("projects/p/topics/${google_pubsub_topic.events_A1.name}")).toBeUndefined();
  expect(mentions("projects/p/topics/${google_pubsub_topic.events_A1.name}", "google_pubsub_topic.events_A1")).toBe(true);
  expect(mentions("${google_pubsub_topic.events_A10.name}", "google_pubsub_topic.events_A1")).toBe(false);
});

test("referencedName resolves a reference to the target's name and a literal path to its last segment", () => {
  expect(referencedName(tf, "${google_pubsub_topic.events_A1.id}")).toBe("commerce-events");
  expect(referencedName(tf, "projects/p/topics/commerce-events-dlq")).toBe("commerce-events-dlq");
  expect(referencedName(tf, "enrichment")).toBe("enrichment");
});

test("referencedName refuses a reference it cannot resolve, naming it", () => {
  expect(() => referencedName(tf, "${google_pubsub_topic.gone_Z9.id}")).toThrow("points at no resource google_pubsub_topic.gone_Z9");
  expect(() => referencedName(tf, "${data.google_iam_policy.p_D4.id}")).toThrow("points at no resource data.google_iam_policy.p_D4");
  expect(() => referencedName(tf, "${google_pubsub_topic.unnamed_B2.id}")).toThrow("has no literal name");
});

test("nested blocks read the same as an object or a one-element list; expressions are told from literals", () => {
  const [[logical, sub]] = resourcesOfType(tf, "google_pubsub_subscription");
  expect(logical).toBe("enrichment_C3");
  expect(block(sub.dead_letter_policy)).toEqual({ max_delivery_attempts: 5 });
  expect(block({ ttl: "" })).toEqual({ ttl: "" });
  expect(block(null)).toBeUndefined();
  expect(resourcesOfType(tf, "google_bigquery_table")).toEqual([]);
  expect(isExpression(sub.topic)).toBe(true);
  expect(isExpression("enrichment")).toBe(false);
});
