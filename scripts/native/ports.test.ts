import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertPortsFree, freePorts, isPortFree, PortInUseError } from './ports.ts';

describe('ports', () => {
  it('hands out distinct free ports', async () => {
    const ports = await freePorts(6);
    expect(new Set(ports).size).toBe(6);
    for (const port of ports) expect(await isPortFree(port)).toBe(true);
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
