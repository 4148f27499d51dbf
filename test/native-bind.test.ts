import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { apiSettingsFrom } from '../services/api/settings.ts';

// The native stack is closed by default: every part listens on 127.0.0.1 only. Read from the
// kernel's socket table (Linux), so no traffic leaves loopback to prove it.
const stack = inject('stack');

interface Listener {
  address: string;
  port: number;
}

/** /proc/net/tcp{,6} hold addresses as hex in host byte order (little-endian here), state 0A = LISTEN. */
function listeners(): Listener[] {
  const ipv4 = (hex: string) => [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  const ipv6 = (hex: string) =>
    hex === '0'.repeat(32) ? '::' : hex === '0'.repeat(24) + '01000000' ? '::1' : `ipv6:${hex}`;
  return (['tcp', 'tcp6'] as const).flatMap((table) =>
    readFileSync(`/proc/net/${table}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((fields) => fields[3] === '0A')
      .map((fields) => {
        const [hexAddress, hexPort] = fields[1]!.split(':') as [string, string];
        return {
          address: table === 'tcp' ? ipv4(hexAddress) : ipv6(hexAddress),
          port: parseInt(hexPort, 16),
        };
      }),
  );
}

const portOf = (url: string) => Number(new URL(url).port);

describe('the native stack', () => {
  const parts: [string, number][] = [
    ...Object.entries(stack.urls).map(([name, url]): [string, number] => [name, portOf(url)]),
    ...(stack.prometheusUrl ? [['prometheus', portOf(stack.prometheusUrl)] as [string, number]] : []),
    ...(stack.alertmanagerUrl ? [['alertmanager', portOf(stack.alertmanagerUrl)] as [string, number]] : []),
    ...(stack.postgres ? [['postgres', stack.postgres.port] as [string, number]] : []),
  ];

  it('listens on 127.0.0.1 only, for every service, Prometheus, Alertmanager and PostgreSQL', async () => {
    expect(parts.length).toBeGreaterThanOrEqual(4);
    const table = listeners();
    for (const [name, port] of parts) {
      const addresses = table.filter((l) => l.port === port).map((l) => l.address);
      expect({ name, addresses: [...new Set(addresses)] }).toEqual({ name, addresses: ['127.0.0.1'] });
    }
    // And it answers there.
    for (const url of Object.values(stack.urls)) expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('reads the socket table right: a server on every address shows up as 0.0.0.0 or ::', async () => {
    const { createServer } = await import('node:net');
    const open = createServer().listen(0);
    await new Promise((resolve) => open.once('listening', resolve));
    try {
      const port = (open.address() as { port: number }).port;
      const addresses = listeners()
        .filter((l) => l.port === port)
        .map((l) => l.address);
      expect(addresses.some((a) => a === '0.0.0.0' || a === '::')).toBe(true);
    } finally {
      open.close();
    }
  });
});

describe('service settings', () => {
  it('listen on 127.0.0.1 unless HOST says otherwise, and refuse a HOST that is no address', () => {
    expect(apiSettingsFrom({}).host).toBe('127.0.0.1');
    expect(apiSettingsFrom({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(() => apiSettingsFrom({ HOST: 'everywhere' })).toThrow(/HOST must be an IP address/);
  });
});
