/**
 * The four services, each with its port and the services it calls: the one list the kit, the
 * native runner, the simulator and the tests read (compose and prometheus.yml repeat the ports,
 * and test/compose.test.ts holds them to this list).
 */
export const serviceCatalog = {
  api: { port: 8080, calls: ['inventory', 'payment'] },
  frontend: { port: 8081, calls: ['api'] },
  payment: { port: 8082, calls: [] },
  inventory: { port: 8083, calls: [] },
} as const satisfies Record<string, { port: number; calls: readonly string[] }>;

export type ServiceName = keyof typeof serviceCatalog;

/** Every service, in the catalog's order (how status lines and dashboards list them). */
export const serviceNames = Object.keys(serviceCatalog) as ServiceName[];

export const defaultPorts = Object.fromEntries(
  serviceNames.map((name) => [name, serviceCatalog[name].port]),
) as Record<ServiceName, number>;

/** Services before the ones that call them, so each /ready can succeed as early as possible. */
export const startOrder: readonly ServiceName[] = (() => {
  const ordered: ServiceName[] = [];
  const visit = (name: ServiceName) => {
    if (ordered.includes(name)) return;
    for (const callee of serviceCatalog[name].calls) visit(callee);
    ordered.push(name);
  };
  for (const name of [...serviceNames].reverse()) visit(name);
  return ordered;
})();

/** Where a service listens on this machine by default, e.g. http://localhost:8080. */
export function defaultUrl(service: ServiceName): string {
  return `http://localhost:${defaultPorts[service]}`;
}

/**
 * Where the rest of the stack listens by default: the ports docker-compose.yml publishes, which the
 * native runner takes too. Alertmanager runs on the native stack only (Grafana has its own inside).
 */
export const infrastructurePorts = {
  grafana: 3000,
  prometheus: 9090,
  alertmanager: 9093,
  loki: 3100,
  postgres: 5432,
} as const;
