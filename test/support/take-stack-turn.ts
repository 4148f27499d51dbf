import { afterAll, inject } from 'vitest';
import { takeTurn } from './stack-turn.ts';

// Set up before each file of the `stack` project: one such file at a time (see stack-turn.ts). The
// turn is taken before the file loads, and given back after its own afterAll hooks have cleaned up.
const giveBack = await takeTurn(inject('stackTurnPort'));
afterAll(giveBack);
