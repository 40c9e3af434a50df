import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import type { CleverTapAccount } from '../config/gateway-config.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';

export type UpstreamResult =
  | { kind: 'response'; httpStatus: number; body: unknown; latencyMs: number }
  /** `requestSent` tells whether CleverTap may have received the request before the failure. */
  | { kind: 'network-error'; requestSent: boolean; code: string; latencyMs: number };

/** Failures that happen before a byte of the request can have reached CleverTap. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/** The request went out and no answer came in time: CleverTap may or may not have raised the bulletin. */
const TIMEOUT_AFTER_SEND_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export const TRIGGER_PATH = '/1/targets/trigger.json';

/**
 * The gateway's own small client for CleverTap's trigger endpoint (CleverTap's npm library has no call
 * for it). One keep-alive agent serves every account; the account's real id and passcode go in the
 * headers, never the partner's key.
 */
@Injectable()
export class CleverTapClient implements OnModuleDestroy {
  private readonly agent: Agent;
  private readonly timeoutMs: number;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.timeoutMs = config.dispatch.upstreamTimeoutMs;
    // No cap on connections per origin: the account slots already bound requests in flight, and
    // accounts of one region share an origin, so a per-origin cap would queue them behind each other.
    this.agent = new Agent({ connect: { timeout: this.timeoutMs }, keepAliveTimeout: 30_000 });
  }

  /** `payloadJson`: the bulletin as JSON text. */
  async trigger(account: CleverTapAccount, payloadJson: string): Promise<UpstreamResult> {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const response = await request(account.baseUrl + TRIGGER_PATH, {
        dispatcher: this.agent,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-clevertap-account-id': account.id,
          'x-clevertap-passcode': account.passcode,
        },
        body: payloadJson,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await response.body.text();
      return { kind: 'response', httpStatus: response.statusCode, body: parseJson(text), latencyMs: latency() };
    } catch (error) {
      const code = errorCode(error);
      const requestSent = !NOT_SENT_CODES.has(code);
      return { kind: 'network-error', requestSent, code, latencyMs: latency() };
    }
  }

  static isTimeoutAfterSend(code: string): boolean {
    return TIMEOUT_AFTER_SEND_CODES.has(code);
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function errorCode(error: unknown): string {
  const err = error as { code?: string; cause?: { code?: string } };
  return err?.code && err.code !== 'UND_ERR' ? err.code : (err?.cause?.code ?? 'UNKNOWN');
}
