import { Inject, Injectable } from '@nestjs/common';
import { PartnersRepository, type PartnerSettings } from '../access/partners.repository.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DispatchQueue } from '../dispatch/dispatch-queue.js';
import { TokenBucketRepository } from './token-bucket.repository.js';

/** How long settings changed through the admin API or the CLI may take to apply here. */
const SETTINGS_TTL_MS = 1000;
/** How old a partner's backlog count may be; requests accepted here since are added to it. */
const BACKLOG_TTL_MS = 1000;
/** Tokens taken from the shared bucket are spent here within this time, or given up. */
const GRANT_TTL_MS = 1000;

export type Refusal = 'rate_limited' | 'backlog_quota_exceeded';

export interface Verdict {
  refusal?: Refusal;
  /** Seconds before a retry may succeed (refusals only). */
  retryAfterSeconds?: number;
  /** The IETF RateLimit-Policy / RateLimit header fields, when the partner has a rate limit. */
  headers: Record<string, string>;
}

interface PartnerState {
  /** Tokens this process took from the shared bucket and has not spent yet. */
  tokens: number;
  tokensExpireAt: number;
  /** The shared bucket's content after this process's last grant. */
  bucketRemaining: number;
  granting?: Promise<boolean>;
  /** Requests here waiting for the grant in flight, or for the next one. */
  waiting: number;
  backlog?: { count: number; at: number };
  acceptedSinceCount: number;
  counting?: Promise<void>;
}

interface Limits {
  ratePerSecond: number;
  burst: number;
  maxBacklog: number;
}

/**
 * Per-partner ingress limits, held across gateway processes: a token bucket (the shared state is a row
 * in Postgres; each process takes a few tokens at a time, about a tenth of a second's worth, so the
 * bucket costs one round trip per several requests) and a quota of events queued or retrying (counted
 * in Postgres at most once a second per partner and process, plus what this process accepted since).
 */
@Injectable()
export class PartnerLimiter {
  private readonly states = new Map<string, PartnerState>();
  private settings = new Map<string, PartnerSettings>();
  private settingsAt = 0;
  private loadingSettings?: Promise<void>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly buckets: TokenBucketRepository,
    private readonly partners: PartnersRepository,
    private readonly queue: DispatchQueue,
  ) {}

  /** Whether the partner may append one more event now; a granted request takes its token. */
  async admit(partnerId: string): Promise<Verdict> {
    const limits = await this.limitsOf(partnerId);
    const state = this.stateOf(partnerId);
    if (limits.maxBacklog > 0 && (await this.backlogOf(partnerId, state)) >= limits.maxBacklog)
      return { refusal: 'backlog_quota_exceeded', retryAfterSeconds: 1, headers: this.headers(limits, state, 1) };
    if (limits.ratePerSecond <= 0) {
      state.acceptedSinceCount++;
      return { headers: {} };
    }
    if (!(await this.takeToken(partnerId, limits, state))) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - state.bucketRemaining) / limits.ratePerSecond));
      return { refusal: 'rate_limited', retryAfterSeconds, headers: this.headers(limits, state, retryAfterSeconds) };
    }
    state.acceptedSinceCount++;
    return { headers: this.headers(limits, state) };
  }

  /**
   * A local token if there is one; otherwise one grant from the shared bucket serves every request
   * waiting here (it asks for as many tokens as there are waiters). Refused once the bucket gave less
   * than asked and no token is left here.
   */
  private async takeToken(partnerId: string, limits: Limits, state: PartnerState): Promise<boolean> {
    for (let round = 0; round < 3; round++) {
      if (Date.now() > state.tokensExpireAt) state.tokens = 0;
      if (state.tokens >= 1) {
        state.tokens -= 1;
        return true;
      }
      state.waiting++;
      state.granting ??= this.grant(partnerId, limits, state).finally(() => (state.granting = undefined));
      const bucketHadEnough = await state.granting;
      if (!bucketHadEnough && state.tokens < 1) return false;
    }
    return false;
  }

  private async grant(partnerId: string, limits: Limits, state: PartnerState): Promise<boolean> {
    const wanted = Math.max(1, Math.min(limits.burst, Math.max(state.waiting, Math.ceil(limits.ratePerSecond / 10))));
    state.waiting = 0;
    const { granted, remaining } = await this.buckets.take(partnerId, limits, wanted);
    state.tokens += granted;
    state.tokensExpireAt = Date.now() + GRANT_TTL_MS;
    state.bucketRemaining = remaining;
    return granted >= wanted;
  }

  private async backlogOf(partnerId: string, state: PartnerState): Promise<number> {
    if (!state.backlog || Date.now() - state.backlog.at > BACKLOG_TTL_MS) {
      state.counting ??= this.queue
        .pendingOf(partnerId)
        .then((count) => {
          state.backlog = { count, at: Date.now() };
          state.acceptedSinceCount = 0;
        })
        .finally(() => (state.counting = undefined));
      await state.counting;
    }
    return state.backlog!.count + state.acceptedSinceCount;
  }

  /** draft-ietf-httpapi-ratelimit-headers: the bucket as a quota of `burst` refilled over its window. */
  private headers(limits: Limits, state: PartnerState, resetSeconds?: number): Record<string, string> {
    if (limits.ratePerSecond <= 0) return {};
    const window = Math.max(1, Math.ceil(limits.burst / limits.ratePerSecond));
    const remaining = Math.max(0, Math.floor(state.bucketRemaining + state.tokens));
    const reset = resetSeconds ?? Math.ceil((limits.burst - remaining) / limits.ratePerSecond);
    return {
      'RateLimit-Policy': `"partner";q=${limits.burst};w=${window}`,
      RateLimit: `"partner";r=${remaining};t=${Math.max(0, reset)}`,
    };
  }

  private async limitsOf(partnerId: string): Promise<Limits> {
    if (Date.now() - this.settingsAt > SETTINGS_TTL_MS) {
      this.loadingSettings ??= this.partners
        .allSettings()
        .then((settings) => {
          this.settings = settings;
          this.settingsAt = Date.now();
        })
        .finally(() => (this.loadingSettings = undefined));
      await this.loadingSettings;
    }
    const own = this.settings.get(partnerId);
    const defaults = this.config.ingressLimits;
    const ratePerSecond = own?.ratePerSecond ?? defaults.ratePerSecond;
    return {
      ratePerSecond,
      burst: own?.burst ?? (defaults.burst || Math.max(1, Math.ceil(ratePerSecond))),
      maxBacklog: own?.maxBacklog ?? defaults.maxBacklog,
    };
  }

  private stateOf(partnerId: string): PartnerState {
    let state = this.states.get(partnerId);
    if (!state) this.states.set(partnerId, (state = { tokens: 0, tokensExpireAt: 0, bucketRemaining: 0, acceptedSinceCount: 0, waiting: 0 }));
    return state;
  }
}
