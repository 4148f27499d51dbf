import { setPriority } from 'node:os';

// Set up before each file of the `unit`, `stack` and `alerts-stack` projects. The rehearsal (the
// `own-stack` project) makes alerts fire by burning CPU (high-cpu, flapping: the api must use over
// 70 % of a core for a minute) while these files run beside it. Their workers, and whatever those
// start, run at a lower priority (nice 10), so within vitest's session the rehearsal's simulator
// comes first. Against the burning api itself this yields only where the kernel weighs threads
// alone (macOS, Linux without autogroups): on Linux with autogroups every native-stack part is a
// session of its own and sessions are weighed first, which is why the CPU part plays alone, last.
setPriority(10);
