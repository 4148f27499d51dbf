import { describe, expect, it } from 'vitest';
import { buildProgram } from '../simulator/index.ts';
import {
  capacityFit,
  capacityTable,
  composeLimits,
  composeMemory,
  dockerMemoryGb,
  mebibytes,
  millicores,
  stackBudgets,
  stackTotals,
} from './docs-capacity.ts';
import { simulatorCommandTable } from './docs-simulator.ts';

const compose = `
x-shop: &shop
  image: shop
services:
  api: { <<: *shop, mem_limit: 168m }
  grafana: { mem_limit: 1g }
  sim: { <<: *shop, mem_limit: 128m, profiles: [sim] }
  secrets: { x-mem-limit-reason: exits before the others start }
`;

describe('the docs figures, from where they are set', () => {
  it('reads memory and CPU quantities as compose and Kubernetes write them', () => {
    expect([mebibytes('160m'), mebibytes('168Mi'), mebibytes('1g'), mebibytes('2Gi')]).toEqual([
      160, 168, 1024, 2048,
    ]);
    expect([millicores('75m'), millicores('2'), millicores(1), millicores('0.5')]).toEqual([
      75, 2000, 1000, 500,
    ]);
    expect(() => mebibytes('lots')).toThrow('a memory quantity this reader does not know: "lots"');
    expect(() => composeLimits('services:\n  db: {}\n')).toThrow('docker-compose.yml: db has no mem_limit');
  });

  it("sums compose's limits, the simulator's apart, and asks Docker for 256 MiB more in whole GB", () => {
    const limits = composeLimits(compose);
    expect(limits).toEqual([
      { part: 'api', mib: 168, always: true },
      { part: 'grafana', mib: 1024, always: true },
      { part: 'sim', mib: 128, always: false },
    ]);
    expect(composeMemory(limits)).toContain(
      "Give Docker Desktop 2 GB of memory or more (Settings → Resources → Memory): the containers' limits total 1192 MiB (1320 MiB while",
    );
    expect(composeMemory(limits)).toContain("Grafana 1024, and the shop's services 168 (api 168;");
    expect([dockerMemoryGb(1864), dockerMemoryGb(768), dockerMemoryGb(769)]).toEqual([3, 1, 2]);
  });

  it('gives every Deployment of the Kubernetes base a row, and memory equal to compose', () => {
    const parts = stackBudgets();
    const table = capacityTable(parts);
    const always = composeLimits().filter((limit) => limit.always);
    expect(parts.map((p) => p.part).sort()).toEqual(always.map((l) => l.part).sort());
    for (const part of parts) expect(part.memoryMiB).toBe(always.find((l) => l.part === part.part)!.mib);
    const totals = stackTotals(parts);
    expect(table).toContain(`| **one attendee's stack** | **${totals.memoryMiB} MiB** |`);
    expect(table.split('\n')).toHaveLength(parts.length + 4);
  });

  it('fits stacks to nodes by memory and by CPU requests, and plans the room by the scarcer', () => {
    const fit = capacityFit({ memoryMiB: 2048, cpuRequestMilli: 500, cpuLimitMilli: 0 });
    expect(fit).toContain('| 16 GiB, 8 CPU | 8 | 16 |');
    expect(fit).toContain('| 32 GiB, 8 CPU | 16 | 16 |');
    expect(fit).toContain('30 × 2048 MiB = 60.0 GiB of memory and 30 × 500m = 15 CPUs of requests');
    expect(fit).toContain(
      '4 nodes of 16 GiB and 8 CPUs (32 stacks), or 2 nodes of 32 GiB and 8 CPUs (32 stacks)',
    );
  });

  it('lists every shopfast-sim command with its options and their defaults', () => {
    const table = simulatorCommandTable();
    for (const command of buildProgram().commands) expect(table).toContain(`| \`${command.name()}`);
    expect(table).toContain('`--timeout <seconds>` (120)');
    expect(table).toContain('`--no-wait`,');
  });
});
