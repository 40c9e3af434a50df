import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { OUTCOME_CHANNEL, QUEUED_CHANNEL } from '../event-log/event-log.repository.js';
import { KEYS_CHANGED_CHANNEL } from '../partners/partners.repository.js';
import { DATABASE_URL } from './database.tokens.js';

type Listener = (payload: string) => void;

const RECONNECT_DELAY_MS = 1000;
const CHANNELS = [QUEUED_CHANNEL, OUTCOME_CHANNEL, KEYS_CHANGED_CHANNEL];

/**
 * One LISTEN connection per process, shared by everything that wants to hear about work done by other
 * gateway processes. Notifications are only wake-ups: losing one (e.g. while reconnecting) delays work
 * until the next poll, it never loses it.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private client?: pg.Client;
  private reconnectTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  on(channel: string, listener: Listener): () => void {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return () => this.listeners.get(channel)?.delete(listener);
  }

  async onModuleInit(): Promise<void> {
    await this.connect().catch((error) => this.scheduleReconnect(error));
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'bulletin-gateway-listen' });
    client.on('error', (error) => this.scheduleReconnect(error));
    client.on('end', () => this.client === client && this.scheduleReconnect(new Error('connection ended')));
    client.on('notification', (message) => {
      for (const listener of this.listeners.get(message.channel) ?? []) listener(message.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of CHANNELS) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  private scheduleReconnect(error: Error): void {
    if (this.closed || this.reconnectTimer) return;
    this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting`);
    const broken = this.client;
    this.client = undefined;
    broken?.removeAllListeners('error');
    broken?.on('error', () => undefined);
    void broken?.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect().catch((again) => this.scheduleReconnect(again));
    }, RECONNECT_DELAY_MS);
    this.reconnectTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }
}
