// The simulator as a Kubernetes Job in an attendee's namespace: the same image as the services,
// its compiled CLI (dist/simulator/main.js, as docker-compose.yml's `sim` runs it), the stack's
// in-namespace URLs and the attendee's secrets.
import { secretName, workshopLabel } from './overlay.ts';
import { defaultPorts } from '../../domain/services.ts';

/** shopfast-sim's commands; the first argument must be one of them. */
export const simulatorCommands = ['check', 'list', 'run', 'trigger', 'status', 'reset'] as const;

/** The longest a Job may run: `all` plays 8 minutes, `--until-firing` waits up to its --timeout. */
const activeDeadlineSeconds = 1800;

function fromSecret(name: string) {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key: name } } };
}

/** The simulator's environment (names as in docker-compose.yml's `sim` and simulator/targets.ts). */
export function simulatorEnv() {
  return [
    fromSecret('ADMIN_TOKEN'),
    { name: 'SHOPFAST_FRONTEND_URL', value: `http://frontend:${defaultPorts.frontend}` },
    { name: 'SHOPFAST_API_URL', value: `http://api:${defaultPorts.api}` },
    { name: 'SHOPFAST_PAYMENT_URL', value: `http://payment:${defaultPorts.payment}` },
    { name: 'SHOPFAST_INVENTORY_URL', value: `http://inventory:${defaultPorts.inventory}` },
    { name: 'GRAFANA_URL', value: 'http://grafana:3000' },
    { name: 'PROMETHEUS_URL', value: 'http://prometheus:9090' },
    { name: 'LOKI_URL', value: 'http://loki:3100' },
    { name: 'GRAFANA_USER', value: 'admin' },
    fromSecret('GRAFANA_PASSWORD'),
    // The rule preview's SQL rules (the stage console's values) read the shop's database.
    fromSecret('DATABASE_URL'),
  ];
}

export function simulatorJob(namespace: string, image: string, simulatorArgs: string[]) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      generateName: 'shopfast-sim-',
      namespace,
      labels: { ...workshopLabel, 'app.kubernetes.io/name': 'shopfast-sim' },
    },
    spec: {
      // A scenario is not retried: a second run would set its faults again on top.
      backoffLimit: 0,
      activeDeadlineSeconds,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels: { ...workshopLabel, 'app.kubernetes.io/name': 'shopfast-sim' } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1000,
            runAsGroup: 1000,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'shopfast-sim',
              image,
              command: ['node', 'dist/simulator/main.js'],
              args: simulatorArgs,
              env: simulatorEnv(),
              // Memory as compose's `sim`; CPU as measured (npm run workshop:measure, WORKSHOP.md).
              resources: {
                requests: { cpu: '50m', memory: '128Mi' },
                limits: { cpu: '1', memory: '128Mi' },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
            },
          ],
        },
      },
    },
  };
}
