import { deployedRedeliveryOf, deployedRetryWindowSeconds, localPushRedelivery } from "../../../local/emulator/push-redelivery";

test("the deployed retry window sums the doubling backoffs between attempts, capped at the maximum", () => {
  // 5 attempts = 4 waits: 10 + 20 + 40 + 80.
  expect(deployedRetryWindowSeconds({ maxDeliveryAttempts: 5, minimumBackoffSeconds: 10, maximumBackoffSeconds: 600 })).toBe(150);
  // 6 waits: 10 + 20 + 30 + 30 + 30 + 30.
  expect(deployedRetryWindowSeconds({ maxDeliveryAttempts: 7, minimumBackoffSeconds: 10, maximumBackoffSeconds: 30 })).toBe(150);
});

test("local max delivery attempts cover the deployed window at ~1 s per redelivery, within Pub/Sub's cap of 100", () => {
  expect(localPushRedelivery({ maxDeliveryAttempts: 5, minimumBackoffSeconds: 2, maximumBackoffSeconds: 4 })).toEqual({
    maxDeliveryAttempts: 15, // waits 2 + 4 + 4 + 4 = 14 s -> 1 + 14 attempts
    deployedWindowSeconds: 14,
    localWindowSeconds: 14,
  });
  expect(localPushRedelivery({ maxDeliveryAttempts: 5, minimumBackoffSeconds: 10, maximumBackoffSeconds: 600 }).maxDeliveryAttempts).toBe(100);
  // Never fewer attempts than deployed.
  expect(localPushRedelivery({ maxDeliveryAttempts: 20, minimumBackoffSeconds: 0, maximumBackoffSeconds: 0 }).maxDeliveryAttempts).toBe(20);
});

test("a subscription resource without a retry policy keeps its deployed redelivery", () => {
  expect(deployedRedeliveryOf({ name: "x" })).toBeUndefined();
  expect(deployedRedeliveryOf({ retry_policy: [{ minimum_backoff: "10s", maximum_backoff: "600s" }], dead_letter_policy: [{ max_delivery_attempts: 5 }] })).toEqual({
    maxDeliveryAttempts: 5,
    minimumBackoffSeconds: 10,
    maximumBackoffSeconds: 600,
  });
});
