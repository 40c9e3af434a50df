import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { DATABASE_URL } from './database.tokens.js';

type Listener = (payload: string) => void;

const RECONNECT_DELAY_MS = 1000;
/** Channel names go into LISTEN as identifiers, so only plain names are allowed. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * One LISTEN connection per process, shared by everything that wants to hear about work done by other
 * gateway processes. Notifications are only wake-ups: losing one (e.g. while reconnecting) delays work
 * until the next poll, it never loses it. Each feature names its own channels by listening on them.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private client?: pg.Client;
  private reconnectTimer?: NodeJS.Timeout;
  private closed = false;
  private listening: Promise<void> = Promise.resolve();

  constructor(@Inject(DATABASE_URL) private readonly databaseUrl: string) {}

  on(channel: string, listener: Listener): () => void {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
    if (!this.listeners.has(channel)) {
      this.listeners.set(channel, new Set());
      if (this.client) this.listen(this.client, channel);
    }
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
      // Channels may be added while we LISTEN; the loop takes them too, and from the moment the client is
      // published (no await in between) `on` LISTENs for new ones itself.
      const listening = new Set<string>();
      for (let next = this.unheard(listening); next; next = this.unheard(listening)) {
        await client.query(`LISTEN ${next}`);
        listening.add(next);
      }
      this.client = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** pg runs one query at a time per client: LISTENs asked for at once go out one after another. */
  private listen(client: pg.Client, channel: string): void {
    this.listening = this.listening
      .then(() => client.query(`LISTEN ${channel}`))
      .then(
        () => undefined,
        (error) => this.scheduleReconnect(error),
      );
  }

  private unheard(listening: Set<string>): string | undefined {
    return [...this.listeners.keys()].find((channel) => !listening.has(channel));
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
