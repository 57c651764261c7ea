// Measured child-process entry (bundled, run by plain node): the CPU path in a process of its own, so
// neither the bench's heap (cdktf, emulator clients: longer GC pauses) nor tsx's loader is in its CPU
// time. Prints one JSON line: CpuPathRate.
import { measureCpuPath } from "./cpu-path";

console.log(JSON.stringify(measureCpuPath()));
