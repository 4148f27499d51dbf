import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order in which workers pick up files (see vitest.config.ts). First the files with stacks of
 * their own (the rehearsal is the longest of all). Then the first two files of each shared stack:
 * one takes the stack's turn and the other waits for it, so each stack is busy from the start.
 * Then the unit files, which keep the other workers busy meanwhile, and last the rest of each
 * shared stack's files, one from each in turn. Within a project, vitest's own order: failed
 * first, then the slowest.
 */
export class ProjectOrder extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const ownStack = sorted.filter((file) => file.project.name === 'own-stack');
    // A project with a global setup shares the stack it starts among its files, which take turns.
    const sharesStack = (file: TestSpecification) => file.project.config.globalSetup.length > 0;
    const lanes = [...new Set(sorted.filter(sharesStack).map((file) => file.project.name))].map((name) =>
      sorted.filter((file) => file.project.name === name),
    );
    const others = sorted.filter((file) => !ownStack.includes(file) && !sharesStack(file));
    return [
      ...ownStack,
      ...lanes.flatMap((lane) => lane.slice(0, 2)),
      ...others,
      ...alternate(lanes.map((lane) => lane.slice(2))),
    ];
  }
}

/** One from each list in turn, until all are used up. */
function alternate<T>(lists: T[][]): T[] {
  const longest = Math.max(0, ...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) =>
    lists.flatMap((list) => list.slice(index, index + 1)),
  ).flat();
}
