// The same app after a barrel import of the provider (importing a class from the package root, not its lib/ path)
// makes Node evaluate the package root, which eagerly requires all ~1,470 resource modules. The
// classes are the same objects either way, so the difference measured is the barrel's load cost.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require("@cdktf/provider-google");
import { synthAndReport } from "./synth-entry";

synthAndReport();
