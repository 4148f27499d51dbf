// Types for node-version.js, which stays plain JavaScript so that bin.js can load it on any Node.
export function requiredNodeVersion(): string;
export function nodeVersionProblem(found: string, required: string, args: string[]): string | undefined;
