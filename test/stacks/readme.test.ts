import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ENVIRONMENTS, loadConfig, parseConfig, RAW_CONFIGS } from "../../config";
import { bootstrapStackId, stackId } from "../../stacks/app";
import { PROJECT_ROOT } from "./synth-pipeline";

// README snippets are checked against the code, so they stay true.
const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

test("every `npm run <script>` the README mentions exists", () => {
  const scripts = [...readme.matchAll(/npm run (?:-s )?([\w:-]+)/g)].map((m) => m[1]);
  expect(scripts.length).toBeGreaterThan(0);
  for (const s of scripts) expect(Object.keys(pkg.scripts)).toContain(s);
});

test("the stack ids and folders the README deploys are the ones the app synthesizes", () => {
  const ids = ENVIRONMENTS.flatMap((env) => [stackId(loadConfig(env)), bootstrapStackId(loadConfig(env))]);
  const deployed = [...readme.matchAll(/cdktf deploy (\S+)/g)].map((m) => m[1]);
  const folders = [...readme.matchAll(/cd (?:cdktf\.out\/stacks\/|\.\.\/)([\w-]+) &&/g)].map((m) => m[1]);
  expect(folders).toEqual(["streamline-dev-bootstrap", "streamline-dev"]);
  for (const id of [...deployed, ...folders]) expect(ids).toContain(id);
});

test("the README's config error is what an over-long prod retention really prints", () => {
  const shown = /```\n(invalid config for environment[^`]+)```/.exec(readme)?.[1].trimEnd();
  expect(shown).toMatch(/^invalid config for environment "prod":\n  - /);
  const prod = RAW_CONFIGS.prod;
  const tooLong = { ...prod, pubsub: { ...prod.pubsub, topics: { ...prod.pubsub.topics, "commerce-events": { messageRetention: "2764800s" } } } };
  expect(() => parseConfig("prod", tooLong)).toThrow(shown!);
});
