import { describe, expect, it } from 'vitest';
import { defaultPorts, defaultUrl, serviceCatalog, serviceNames, startOrder } from './services.ts';

describe('service catalog', () => {
  it('gives every service its own port', () => {
    expect(new Set(Object.values(defaultPorts)).size).toBe(serviceNames.length);
    expect(defaultUrl('payment')).toBe(`http://localhost:${defaultPorts.payment}`);
  });

  it('starts every service after the services it calls, each once', () => {
    expect([...startOrder].sort()).toEqual([...serviceNames].sort());
    for (const name of serviceNames) {
      for (const callee of serviceCatalog[name].calls) {
        expect(startOrder.indexOf(callee), `${callee} before ${name}`).toBeLessThan(startOrder.indexOf(name));
      }
    }
  });
});
