import { chown, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { initSqlPath } from './paths.ts';
import { runCommand } from './run-command.ts';

/** A throwaway server: its data directory, port and the PostgreSQL binaries that run it. */
export interface PostgresInfo {
  dataDir: string;
  port: number;
  binDir: string;
}

const appUser = 'shopfast';
const appPassword = 'shopfast';
const appDatabase = 'shopfast';
const debianPostgresRoot = '/usr/lib/postgresql';

/** PG_BIN_DIR, else the newest /usr/lib/postgresql/<version>/bin (Debian, Ubuntu), else a clear error. */
export async function findPostgresBinDir(): Promise<string> {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv) return fromEnv;
  const versions = existsSync(debianPostgresRoot) ? await readdir(debianPostgresRoot) : [];
  const newest = versions
    .filter((v) => /^\d+$/.test(v) && existsSync(join(debianPostgresRoot, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  if (newest) return join(debianPostgresRoot, newest, 'bin');
  throw new Error(
    'PostgreSQL binaries not found: install PostgreSQL (apt-get install postgresql), set PG_BIN_DIR ' +
      'to the folder holding initdb and pg_ctl, or set DATABASE_URL to use an existing database.',
  );
}

/** PostgreSQL refuses to run as root, so as root its tools run as the postgres user. */
function asPostgresUser(binDir: string, tool: string, args: string[]): [string, string[]] {
  const binary = join(binDir, tool);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];
}

function runAsPostgresUser(binDir: string, tool: string, args: string[], detached = false) {
  const [command, fullArgs] = asPostgresUser(binDir, tool, args);
  return runCommand(command, fullArgs, { cwd: tmpdir(), detached });
}

async function ownDataDirAsPostgresUser(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const { stdout } = await runCommand('id', ['-u', 'postgres']);
  const { stdout: gid } = await runCommand('id', ['-g', 'postgres']);
  await chown(dataDir, Number(stdout.trim()), Number(gid.trim()));
}

/**
 * initdb into a fresh temp dir, start the server on 127.0.0.1:port, create the shopfast role and
 * database and apply init.sql. Returns the server and the URL the services use.
 */
export async function createThrowawayPostgres(
  port: number,
): Promise<{ info: PostgresInfo; databaseUrl: string }> {
  const binDir = await findPostgresBinDir();
  const dataDir = await mkdtemp(join(tmpdir(), 'shopfast-pg-'));
  const info: PostgresInfo = { dataDir, port, binDir };
  try {
    await ownDataDirAsPostgresUser(dataDir);
    // Trust auth and no fsync: a throwaway demo database on loopback, fast to create.
    await runAsPostgresUser(binDir, 'initdb', [
      '-D',
      dataDir,
      '-A',
      'trust',
      '-U',
      'postgres',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    await startPostgres(info);
    await createAppDatabase(port);
    const databaseUrl = `postgres://${appUser}:${appPassword}@127.0.0.1:${port}/${appDatabase}`;
    await applyInitSql(databaseUrl);
    return { info, databaseUrl };
  } catch (err) {
    await removePostgres(info);
    throw err;
  }
}

/** Starts (or restarts) the server in info.dataDir on info.port; resolves once it accepts connections. */
export async function startPostgres(info: PostgresInfo): Promise<void> {
  const options = `-p ${info.port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`;
  const serverLog = join(info.dataDir, 'server.log');
  try {
    await runAsPostgresUser(
      info.binDir,
      'pg_ctl',
      ['-D', info.dataDir, '-l', serverLog, '-o', options, '-w', '-t', '60', 'start'],
      true,
    );
  } catch (err) {
    const log = await readFile(serverLog, 'utf8').catch(() => '');
    throw new Error(
      `${(err as Error).message}\n--- PostgreSQL server log ---\n${log.split('\n').slice(-20).join('\n')}`,
    );
  }
}

/** Fast shutdown (open connections are closed); the data directory stays for a later startPostgres. */
export async function stopPostgres(info: PostgresInfo): Promise<void> {
  if (!(await isRunning(info))) return;
  await runAsPostgresUser(info.binDir, 'pg_ctl', [
    '-D',
    info.dataDir,
    '-m',
    'fast',
    '-w',
    '-t',
    '30',
    'stop',
  ]);
}

/** Stops the server if it runs and deletes its data directory. */
export async function removePostgres(info: PostgresInfo): Promise<void> {
  try {
    await stopPostgres(info);
  } finally {
    await rm(info.dataDir, { recursive: true, force: true });
  }
}

/**
 * Synchronous last resort for a process that is exiting without stop(): immediate shutdown (no
 * checkpoint; the data is thrown away anyway) and the data directory removed.
 */
export function removePostgresNow(info: PostgresInfo): void {
  if (existsSync(join(info.dataDir, 'postmaster.pid'))) {
    const [command, args] = asPostgresUser(info.binDir, 'pg_ctl', [
      '-D',
      info.dataDir,
      '-m',
      'immediate',
      'stop',
    ]);
    spawnSync(command, args, { cwd: tmpdir(), stdio: 'ignore', timeout: 10_000 });
  }
  rmSync(info.dataDir, { recursive: true, force: true });
}

async function isRunning(info: PostgresInfo): Promise<boolean> {
  return stat(join(info.dataDir, 'postmaster.pid')).then(
    () => true,
    () => false,
  );
}

async function createAppDatabase(port: number): Promise<void> {
  const admin = postgres({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', max: 1 });
  try {
    // CREATEROLE lets init.sql create Grafana's read-only role; on a trust-auth loopback server
    // anyone local may be the superuser anyway, so it gives the services nothing they lacked.
    await admin.unsafe(`CREATE ROLE ${appUser} LOGIN CREATEROLE PASSWORD '${appPassword}'`);
    await admin.unsafe(`CREATE DATABASE ${appDatabase} OWNER ${appUser}`);
  } finally {
    await admin.end();
  }
}

/** Applies postgres/init.sql (idempotent) to the database at databaseUrl. */
export async function applyInitSql(databaseUrl: string): Promise<void> {
  const script = await readFile(initSqlPath, 'utf8');
  // onnotice: "relation already exists, skipping" on every re-run is expected, not news.
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(script).simple();
  } catch (err) {
    throw new Error(
      `applying ${initSqlPath} to ${redactPassword(databaseUrl)} failed: ${(err as Error).message}`,
    );
  } finally {
    await sql.end();
  }
}

export function redactPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
