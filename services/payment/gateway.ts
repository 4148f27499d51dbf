import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { declinedToken, type ChargeRequest } from '../../domain/contracts/payments.ts';
import { inSpan, markFailed, recordInjectedFailure } from '../kit/index.ts';
import type { Faults } from '../kit/faults.ts';
import type { Settlement } from './ledger.ts';

/** How long the simulated gateway takes per charge, in milliseconds. */
export interface ProcessingRange {
  min: number;
  max: number;
}

// Why a gateway call failed, as the upstream processor would report it.
const gatewayFailureReasons = [
  'gateway timeout',
  'upstream processor unavailable',
  'connection reset by gateway',
];

export interface GatewayOptions {
  processingMs: ProcessingRange;
  /** The service's fault switches: an injected gateway failure fails the charge. */
  faults: Faults;
}

/** The simulated card gateway: decides a charge after its processing time. */
export type Gateway = (request: ChargeRequest, log: Logger) => Promise<Settlement>;

/**
 * A gateway that takes a random time within processingMs, fails when the gateway-failure fault says
 * so and declines the test card's declined token. Each call is its own span, so a trace tells the
 * gateway's time from the service's; an injected failure shows inside it as a failed fault span.
 */
export function simulatedGateway({ processingMs, faults }: GatewayOptions): Gateway {
  async function decide(request: ChargeRequest, log: Logger): Promise<Settlement> {
    await new Promise((resolve) =>
      setTimeout(resolve, processingMs.min + Math.random() * (processingMs.max - processingMs.min)),
    );
    if (faults.gatewayShouldFail()) {
      const reason = gatewayFailureReasons[Math.floor(Math.random() * gatewayFailureReasons.length)]!;
      recordInjectedFailure('gateway_failure', `The payment gateway failed: ${reason}`);
      // Alert rules match this exact message in Loki: keep it stable.
      log.error({ reason, amountCents: request.amountCents }, 'payment failed');
      return { status: 'failed', reason: `The payment gateway failed: ${reason}` };
    }
    if (request.token === declinedToken) {
      log.warn({ reason: 'card declined' }, 'payment declined');
      return { status: 'declined', reason: 'The payment was declined by the issuer' };
    }
    return { status: 'succeeded', gatewayRef: `gw_${randomUUID().slice(0, 12)}` };
  }

  return (request, log) =>
    inSpan('payment gateway charge', { attributes: { 'payment.method': request.method } }, async (span) => {
      const settlement = await decide(request, log);
      if (span && settlement.status === 'failed') markFailed(span, undefined, settlement.reason);
      return settlement;
    });
}
