// Is every attendee's stack ready? One `kubectl get deployments` across the cluster, read per namespace.
import { z } from 'zod';
import { workshopLabel } from './overlay.ts';

/** The Deployments of one stack (deploy/kubernetes/base; a test compares with the rendered base). */
export const stackDeployments = [
  'postgres',
  'api',
  'frontend',
  'payment',
  'inventory',
  'prometheus',
  'loki',
  'tempo',
  'grafana',
] as const;

/** The kubectl command line that lists every ShopFast Deployment in the cluster, as JSON. */
export function kubectlGetDeploymentsArgs(context?: string): string[] {
  const selector = Object.entries(workshopLabel)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  return [
    ...(context ? ['--context', context] : []),
    'get',
    'deployments',
    '--all-namespaces',
    '--selector',
    selector,
    '--output',
    'json',
  ];
}

const deploymentList = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string(), namespace: z.string(), generation: z.number().optional() }),
      spec: z.object({ replicas: z.number().default(1) }),
      status: z
        .object({
          observedGeneration: z.number().optional(),
          readyReplicas: z.number().default(0),
          updatedReplicas: z.number().default(0),
        })
        .default({ readyReplicas: 0, updatedReplicas: 0 }),
    }),
  ),
});

export interface StackReadiness {
  namespace: string;
  ready: boolean;
  /** What is missing or not ready yet, e.g. "grafana 0/1"; empty when ready. */
  waitingFor: string[];
}

/** Reads `kubectl get deployments -o json` and says, per expected namespace, whether its stack is ready. */
export function readinessOf(kubectlJson: string, namespaces: string[]): StackReadiness[] {
  const list = deploymentList.parse(JSON.parse(kubectlJson));
  return namespaces.map((namespace) => {
    const waitingFor = stackDeployments.flatMap((name) => {
      const found = list.items.find(
        (item) => item.metadata.namespace === namespace && item.metadata.name === name,
      );
      if (!found) return [`${name} missing`];
      const { replicas } = found.spec;
      const { readyReplicas, updatedReplicas, observedGeneration } = found.status;
      const rolledOut =
        updatedReplicas >= replicas &&
        (found.metadata.generation === undefined || observedGeneration === found.metadata.generation);
      return readyReplicas >= replicas && rolledOut ? [] : [`${name} ${readyReplicas}/${replicas}`];
    });
    return { namespace, ready: waitingFor.length === 0, waitingFor };
  });
}

export function formatReadiness(stacks: StackReadiness[]): string {
  const width = Math.max(...stacks.map((stack) => stack.namespace.length));
  const lines = stacks.map(
    (stack) =>
      `${stack.namespace.padEnd(width)}  ${stack.ready ? 'ready' : `not ready: ${stack.waitingFor.join(', ')}`}`,
  );
  const readyCount = stacks.filter((stack) => stack.ready).length;
  return [...lines, `${readyCount} of ${stacks.length} stacks ready`].join('\n');
}
