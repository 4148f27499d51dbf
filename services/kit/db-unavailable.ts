// Whether an error means the database cannot be reached (the service answers 503, not 500); apart
// from the pool (db.ts), so that the error envelope does not load the database client.

// postgres.js and Node report a lost or refused connection with these codes; PostgreSQL itself with
// class 08 (connection exception) and 57P0x (server shutting down).
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01',
  '57P02',
  '57P03',
]);

/** True for a lost, refused or timed-out connection and for a server shutting down. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  // Node wraps several refused addresses (IPv4 + IPv6) into one AggregateError.
  return err instanceof AggregateError && err.errors.some(isDatabaseUnavailable);
}
