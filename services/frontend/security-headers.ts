import { createHash } from 'node:crypto';
import type { ContentSecurityPolicy, SecureHeadersOptions } from '../kit/index.ts';
import { shopPageScript, statusPageScript } from './views/live-scripts.ts';
import { styles } from './views/styles.ts';

/** A CSP source for one exact inline script or style block. */
const sha256 = (inline: string) => `'sha256-${createHash('sha256').update(inline).digest('base64')}'`;

/**
 * What the shop's pages need and nothing more: their own inline style and two inline scripts (by
 * hash, so an injected one does not run), requests back to this origin (the status page's event
 * stream, the banner poll, the checkout form), no frames, plugins or other origins.
 */
export const frontendContentSecurityPolicy: ContentSecurityPolicy = {
  defaultSrc: ["'none'"],
  scriptSrc: [sha256(statusPageScript), sha256(shopPageScript)],
  styleSrc: [sha256(styles)],
  connectSrc: ["'self'"],
  imgSrc: ["'self'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
};

/** Hono's secure headers with the pages' CSP, as the kit applies them. HSTS is off: the demo serves plain HTTP on localhost. */
export const frontendSecureHeaderOptions: SecureHeadersOptions = {
  contentSecurityPolicy: frontendContentSecurityPolicy,
  strictTransportSecurity: false,
};
