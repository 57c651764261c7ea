import { ConfigError } from "../config";
import { buildPipelineApp, loadAllConfigs } from "./app";
import { ConstructPropsError } from "./constructs/construct-error";

// Entry point of `npm run synth` and of cdktf.json's "app". Config is validated for every environment
// first, so an invalid value fails with its env and field and nothing is written; a construct given
// impossible props fails with its path.
try {
  const configs = loadAllConfigs();
  buildPipelineApp(configs, { projectRoot: process.cwd() }).synth();
} catch (err) {
  if (err instanceof ConfigError || err instanceof ConstructPropsError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
