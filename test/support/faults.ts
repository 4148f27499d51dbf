import type { ServiceName, StackInfo } from '../../scripts/native/stack.ts';
import { adminHeaders } from './stack.ts';

/** PUT /admin/faults on one service of the stack; resolves with the response (status 200 when set). */
export function setFaults(
  stack: StackInfo,
  service: ServiceName,
  faults: Record<string, number>,
): Promise<Response> {
  return fetch(`${stack.urls[service]}/admin/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...adminHeaders(stack) },
    body: JSON.stringify(faults),
  });
}

/** Switches every fault off on these services (call it in afterEach). */
export async function resetFaults(stack: StackInfo, services: readonly ServiceName[]): Promise<void> {
  await Promise.all(
    services.map(async (service) => {
      const response = await fetch(`${stack.urls[service]}/admin/faults/reset`, {
        method: 'POST',
        headers: adminHeaders(stack),
      });
      await response.body?.cancel();
    }),
  );
}
