#!/usr/bin/env node
// `npx shopfast-sim` from the repository, no build needed: register tsx's loader, then run the
// TypeScript CLI.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
