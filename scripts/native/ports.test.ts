import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree, freePorts, isPortFree, PortInUseError, randomPortRange } from './ports.ts';

describe('ports', () => {
  it('hands out distinct free ports', async () => {
    const ports = await freePorts(6);
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
  });

  it('draws them below the ports outgoing connections take (Linux: from 32768)', async () => {
    for (const port of await freePorts(20)) {
      expect(port).toBeGreaterThanOrEqual(randomPortRange.from);
      expect(port).toBeLessThan(32_768);
    }
  });

  it('names every taken port, and only those', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    const [free] = (await freePorts(1)) as [number];
    try {
      const check = assertPortsFree([
        { what: 'api', port: taken },
        { what: 'payment', port: free },
      ]);
      await expect(check).rejects.toBeInstanceOf(PortInUseError);
      await expect(check).rejects.toThrow(`port already in use: ${taken} (api).`);
      await expect(assertPortsFree([{ what: 'payment', port: free }])).resolves.toBeUndefined();
    } finally {
      blocker.close();
    }
  });
});
