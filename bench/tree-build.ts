import 'reflect-metadata';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/gateway-config.js';
import { dataSourceOptions } from '../src/database/data-source-options.js';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { runMigrations } from '../src/database/run-migrations.js';
import { Writable } from 'node:stream';
import { CheckpointSigner } from '../src/audit-log/checkpoint-signer.service.js';
import { LogProofs } from '../src/audit-log/log-proofs.service.js';
import { storedTree } from '../src/audit-log/tree-reader.js';
import { TreeSealer } from '../src/audit-log/tree-sealer.service.js';
import { exportEvents } from '../src/audit-api/event-export.js';
import { BatchedInclusion } from '../src/audit-log/tree-reader.js';
import { signCheckpoint } from '../src/transparency/checkpoint.js';
import { generateNoteKey, parseSignerKey } from '../src/transparency/signed-note.js';
import { sealChain } from './chain-baseline.js';
import { generateLog } from './seed.js';

/**
 * The Merkle tree's own figures, apart from the HTTP bench: how fast the sealer builds the tree over a
 * generated log (each event has one attempt, so 2 leaves per event), and how long an inclusion proof
 * takes on it, how fast the entries stream, and how fast an NDJSON export streams with and without its
 * inclusion proofs (and batched proofs against one query per proof).
 * `node dist/bench/tree-build.js [events] [proofs]`; DATABASE_URL is never used.
 */
const events = Number(process.argv[2] ?? 150_000);
const proofs = Number(process.argv[3] ?? 2000);

const workDir = mkdtempSync(join(tmpdir(), 'tree-bench-'));
chmodSync(workDir, 0o755); // as root, Postgres runs as the `postgres` user, which must reach it
const embedded = await startEmbeddedPostgres({ dataDir: join(workDir, 'pg'), database: 'tree_bench' });
try {
  await runMigrations(embedded.url);
  const pool = new pg.Pool({ connectionString: embedded.url, max: 2 });
  const { rows } = await pool.query(`INSERT INTO partners (name, role) VALUES ('bench', 'partner') RETURNING id`);
  let started = performance.now();
  await generateLog(pool, { partnerId: rows[0].id, accounts: ['a1', 'a2'], count: events });
  console.log(`generated ${events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await pool.end();

  const db = new DataSource(dataSourceOptions(embedded.url, 4));
  await db.initialize();
  const config = loadConfig({ DATABASE_URL: embedded.url, LOG_LEVEL: 'silent' });
  await db.query('ANALYZE');
  started = performance.now();
  const chained = await sealChain(db);
  const chainSeconds = (performance.now() - started) / 1000;
  console.log(`baseline (the old hash chain): ${chained} rows in ${chainSeconds.toFixed(1)} s: ${Math.round(chained / chainSeconds)} rows/s`);
  started = performance.now();
  const sealed = await new TreeSealer(db, config).sealPending();
  const seconds = (performance.now() - started) / 1000;
  console.log(`sealed ${sealed} leaves in ${seconds.toFixed(1)} s: ${Math.round(sealed / seconds)} leaves/s`);

  const size = await storedTree.size(db);
  const timings: number[] = [];
  for (let i = 0; i < proofs; i++) {
    const index = Math.floor(Math.random() * size);
    const t = performance.now();
    await storedTree.inclusion(db, index, size);
    timings.push(performance.now() - t);
  }
  timings.sort((a, b) => a - b);
  const at = (q: number) => timings[Math.min(timings.length - 1, Math.floor(q * timings.length))].toFixed(2);
  console.log(`inclusion proofs on ${size} leaves: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${proofs} proofs)`);
  const logProofs = new LogProofs(db, new CheckpointSigner(db, config), config);
  let bytes = 0;
  started = performance.now();
  await logProofs.streamEntries(0, size, new Writable({ write: (chunk, _encoding, done) => ((bytes += chunk.length), done()) }));
  const streamSeconds = (performance.now() - started) / 1000;
  console.log(`entries streamed: ${size} in ${streamSeconds.toFixed(1)} s: ${Math.round(size / streamSeconds)} entries/s (${(bytes / 1e6).toFixed(0)} MB)`);

  // Proofs one query per leaf against the export's batches, on the same leaves in log order.
  const run = Array.from({ length: Math.min(size, 20_000) }, (_, i) => i);
  started = performance.now();
  for (const index of run.slice(0, 2000)) await storedTree.inclusion(db, index, size);
  const singleRate = 2000 / ((performance.now() - started) / 1000);
  const batched = new BatchedInclusion(db, size);
  started = performance.now();
  for (let at = 0; at < run.length; at += 1000) await batched.proofs(run.slice(at, at + 1000));
  const batchedRate = run.length / ((performance.now() - started) / 1000);
  console.log(`inclusion proofs in log order: one query each ${Math.round(singleRate)}/s, batched ${Math.round(batchedRate)}/s`);

  const signer = parseSignerKey(generateNoteKey('bench.example/log').signingKey);
  const note = signCheckpoint({ origin: signer.name, size, rootHash: await storedTree.root(db, size), extensions: [] }, signer);
  for (const [label, checkpoint] of [
    ['without proofs (the export before proofs)', undefined],
    ['with every leaf and its inclusion proof', { note, treeSize: size }],
  ] as const) {
    let exportBytes = 0;
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let heapPeak = 0;
    let externalPeak = 0;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      rssPeak = Math.max(rssPeak, usage.rss);
      heapPeak = Math.max(heapPeak, usage.heapUsed);
      externalPeak = Math.max(externalPeak, usage.external + usage.arrayBuffers);
    }, 50);
    started = performance.now();
    const rows = await exportEvents({
      db,
      filter: {},
      format: 'ndjson',
      checkpoint,
      signer,
      output: new Writable({ write: (chunk, _encoding, done) => ((exportBytes += chunk.length), done()) }),
    });
    const exportSeconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    console.log(
      `export ${label}: ${rows} events in ${exportSeconds.toFixed(1)} s: ${Math.round(rows / exportSeconds)} events/s (${(exportBytes / 1e6).toFixed(0)} MB), ` +
        `RSS ${(rssBefore / 2 ** 20).toFixed(0)} MB before, peak ${(rssPeak / 2 ** 20).toFixed(0)} MB (heap used ${(heapPeak / 2 ** 20).toFixed(0)} MB, external ${(externalPeak / 2 ** 20).toFixed(0)} MB at most)`,
    );
  }
  await db.destroy();
} finally {
  await embedded.stop();
}
