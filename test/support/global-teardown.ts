/** Stops the run's embedded Postgres once, however many lanes name this file. */
export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { embeddedPostgres?: { stop(): Promise<void> } };
  const server = holder.embeddedPostgres;
  holder.embeddedPostgres = undefined;
  await server?.stop();
}
