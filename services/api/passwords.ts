import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** A stored 'scrypt$<salt base64>$<key base64>' hash (node:crypto scrypt defaults: N=16384, r=8, p=1). */
export interface PasswordHash {
  salt: Buffer;
  key: Buffer;
}

export function parsePasswordHash(stored: string): PasswordHash | undefined {
  const [scheme, salt, key, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key || rest.length > 0) return undefined;
  const parsed = { salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  return parsed.salt.length > 0 && parsed.key.length > 0 ? parsed : undefined;
}

function deriveKey(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Derives the key and compares in constant time. */
export async function verifyPassword(password: string, hash: PasswordHash): Promise<boolean> {
  const derived = await deriveKey(password, hash.salt, hash.key.length);
  return timingSafeEqual(derived, hash.key);
}

/**
 * A hash no password matches (random salt and key). Checking unknown users against it costs the
 * same scrypt work as a real user, so response times do not tell who has an account.
 */
export function unmatchableHash(): PasswordHash {
  return { salt: randomBytes(16), key: randomBytes(64) };
}
