import { setPriority } from 'node:os';

// Set up before each file of the `unit` and `stack` projects. The rehearsal (the `own-stack`
// project) makes alerts fire by burning CPU (high-cpu, flapping: the api must use over 70 % of a
// core for a minute) while these files run beside it on the same cores. Their workers, and whatever
// those start, run at a lower priority (nice 10): they take the CPU the rehearsal leaves, and the
// burn gets the core it asks for, as it would on a presenter's laptop.
setPriority(10);
