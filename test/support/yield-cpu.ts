import { setPriority } from 'node:os';
import { lowerOwnPriority } from '../../scripts/native/priority.ts';

// Set up before each file of the `unit`, `stack`, `alerts-stack` and `own-stack-yielding` projects.
// The rehearsal's CPU part (test/rehearse-cpu.test.ts, in `own-stack`) makes alerts fire by burning
// CPU (high-cpu, flapping: the api must use over 70 % of a core for a minute) while these files run
// beside it on the same cores. Their workers, and whatever those start (the other rehearsal parts'
// stacks among them), run at a lower priority (nice 10): they take the CPU the burn leaves, and the
// burn gets the core it asks for, as it would on a presenter's laptop.
setPriority(10);
// Between sessions Linux weighs each session's autogroup (scripts/native/priority.ts): vitest's whole
// session yields too, its main process included; the stacks yield on their own (test-stack.ts).
await lowerOwnPriority(10);
