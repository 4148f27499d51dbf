// What the rest of the repository may use of the simulator (scripts/docs.ts writes the docs' tables
// from it, scripts/docs-commands.ts parses the docs' command lines with the CLI's definition,
// scripts/stage-screenshot.ts runs the stage console); everything else under simulator/ is its own
// business.
export { buildProgram } from './cli.ts';
export { describeScenario } from './commands/list.ts';
export { commandContext } from './context.ts';
export { clock } from './display/format.ts';
export { scenarioFaultTtlSeconds } from './run/fault-switch.ts';
export { scenarios } from './scenarios/registry.ts';
export { simulatorVariables } from './settings.ts';
export { startStage } from './stage/open-stage.ts';
