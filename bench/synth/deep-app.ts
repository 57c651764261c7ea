import { synthAndReport } from "./synth-entry";

// The app as it ships: provider classes imported by deep path.
synthAndReport();
