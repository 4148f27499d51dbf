import { CliError, describeFetchFailure, exitCodes, UnreachableError, UsageError } from '../errors.ts';
import type { FaultReport, FaultRequest } from '../../domain/faults.ts';
import type { ServiceName } from '../../domain/services.ts';

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  stock: number;
  lowStockThreshold: number;
}

export interface InventoryItem {
  sku: string;
  stock: number;
  lowStockThreshold: number;
  seedStock: number;
}

export interface IncidentCounts {
  open: number;
  resolved: number;
}

/** An incident on the status page, with the notifications that told someone of it. */
export interface IncidentNotices {
  alertName: string;
  labels: Record<string, string>;
  /** `since`: when the alert started firing, as the notification said (one value per episode). */
  notices: { receiver: string; status: 'firing' | 'resolved'; at: string; since: string }[];
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>;
}

interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
  admin?: boolean;
  /** Answer with the status instead of throwing on these. */
  acceptStatuses?: number[];
}

/** The services' HTTP API as the CLI uses it: health, readiness, faults, resets, stock. */
export class ShopClient {
  constructor(
    private readonly urls: Record<ServiceName, string>,
    private readonly adminToken: string | undefined,
    private readonly adminTokenSource: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async health(service: ServiceName): Promise<boolean> {
    const { status } = await this.call(service, '/health', { acceptStatuses: [503] });
    return status === 200;
  }

  async readiness(service: ServiceName): Promise<Readiness> {
    const { status, body } = await this.call(service, '/ready', { acceptStatuses: [503] });
    const checks = (body as { checks?: Record<string, string> }).checks ?? {};
    return { ready: status === 200, checks };
  }

  async faults(service: ServiceName): Promise<FaultReport> {
    return (await this.call(service, '/admin/faults', { admin: true })).body as FaultReport;
  }

  async setFaults(service: ServiceName, request: FaultRequest): Promise<FaultReport> {
    const answer = await this.call(service, '/admin/faults', { method: 'PUT', body: request, admin: true });
    return answer.body as FaultReport;
  }

  async resetFaults(service: ServiceName): Promise<FaultReport> {
    const answer = await this.call(service, '/admin/faults/reset', { method: 'POST', admin: true });
    return answer.body as FaultReport;
  }

  /** Every product back to its seed stock; returns how many. */
  async resetStock(): Promise<number> {
    const { body } = await this.call('inventory', '/admin/stock/reset', { method: 'POST', admin: true });
    return Number((body as { reset?: unknown }).reset ?? 0);
  }

  /** Clears the failed-login streak; returns how many attempts were cleared. */
  async resetLogins(): Promise<number> {
    const { body } = await this.call('api', '/admin/logins/reset', { method: 'POST', admin: true });
    return Number((body as { cleared?: unknown }).cleared ?? 0);
  }

  /** Failed logins the failed-logins rule counts now (uncleared, in its 5-minute window). */
  async failedLoginStreak(): Promise<number> {
    const { body } = await this.call('api', '/admin/logins', { admin: true });
    return Number((body as { failedLast5m?: unknown }).failedLast5m ?? 0);
  }

  /** Empties the status page; returns how many incidents it showed, open and resolved. */
  async clearIncidents(): Promise<IncidentCounts> {
    const { body } = await this.call('frontend', '/admin/incidents/reset', { method: 'POST', admin: true });
    const cleared = (body as { cleared?: Partial<IncidentCounts> }).cleared;
    return { open: Number(cleared?.open ?? 0), resolved: Number(cleared?.resolved ?? 0) };
  }

  /** Adds stock to a product (the inventory's own restock, no admin token needed). */
  async restock(sku: string, quantity: number): Promise<void> {
    await this.call('inventory', '/inventory/restock', { method: 'POST', body: { sku, quantity } });
  }

  async products(): Promise<Product[]> {
    const { body } = await this.call('api', '/api/products');
    return (body as { products: Product[] }).products;
  }

  /** The status page's incidents: what each receiver was told, and when. */
  async incidents(): Promise<IncidentNotices[]> {
    const { body } = await this.call('frontend', '/api/incidents');
    return (body as { incidents: IncidentNotices[] }).incidents;
  }

  async inventory(): Promise<InventoryItem[]> {
    const { body } = await this.call('inventory', '/inventory');
    return (body as { items: InventoryItem[] }).items;
  }

  private async call(
    service: ServiceName,
    path: string,
    options: CallOptions = {},
  ): Promise<{ status: number; body: unknown }> {
    const url = `${this.urls[service]}${path}`;
    const headers: Record<string, string> = { 'user-agent': 'shopfast-sim' };
    if (options.admin) {
      if (!this.adminToken) {
        throw new UsageError(`no admin token: set ADMIN_TOKEN (or --admin-token) to the stack's token`);
      }
      headers.authorization = `Bearer ${this.adminToken}`;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new UnreachableError(service, this.urls[service], describeFetchFailure(error));
    }
    const text = await response.text();
    const body = parseJson(text);
    if (response.ok || options.acceptStatuses?.includes(response.status)) {
      return { status: response.status, body };
    }
    if (response.status === 401 && options.admin) {
      throw new UsageError(
        `${service} refused the admin token from ${this.adminTokenSource}: set ADMIN_TOKEN to the stack's token`,
      );
    }
    const message = (body as { error?: { message?: string } }).error?.message ?? text.slice(0, 200);
    throw new CliError(`${service} answered ${response.status} to ${path}: ${message}`, exitCodes.failure);
  }
}

/** What resets, clears and reads the alerts' signals use: the admin side of the shop. */
export type ShopAdmin = Pick<
  ShopClient,
  | 'faults'
  | 'resetFaults'
  | 'resetStock'
  | 'resetLogins'
  | 'clearIncidents'
  | 'inventory'
  | 'failedLoginStreak'
>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}
