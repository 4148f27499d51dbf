import { spawn } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a short command to completion and rejects with its output when it fails. detached puts it
 * (and any daemon it leaves behind, such as the postmaster) in its own process group, away from
 * the terminal's Ctrl-C.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd?: string; detached?: boolean } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      detached: options.detached ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (err) => reject(new Error(`${command} could not run: ${err.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve({ stdout, stderr });
      const output = (stderr + stdout).trim();
      reject(
        new Error(
          `${[command, ...args].join(' ')} failed (${code ?? signal})${output ? ':\n' + output : ''}`,
        ),
      );
    });
  });
}
