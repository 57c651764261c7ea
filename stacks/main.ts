import { synthMain } from "./app";

// Entry point of `npm run synth` and of cdktf.json's "app"; sources resolve from the working directory
// (the repository root, where both run).
process.exitCode = synthMain({ projectRoot: process.cwd() });
