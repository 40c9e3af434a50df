import v8 from 'node:v8';

/**
 * Imported first by the server's entry point, before any other module has run.
 *
 * V8 "pretenures" an allocation site once most of its objects have survived into the old generation: from
 * then on that site allocates straight into the old generation, where only a full collection frees
 * anything. The gateway's sites are shared by work with very different lifetimes: the sealer keeps a
 * batch's rows and hashes for a whole transaction, an audit listing drops its rows within milliseconds.
 * After a 1M-event log had been sealed, the listing at 900 req/s grew the old generation by 22 MB/s,
 * only about 3 MB/s of it promoted by scavenges, and the process peaked at 275 to 303 MB between full
 * collections (bench). With pretenuring off it grew by 0.3 MB/s, peaked at 195 MB and served 12 % more
 * requests; ingest throughput and latency did not change. Set here, as the process starts, the flag
 * gave the same figures as passing it on the command line, which `npm start`, Docker and the cluster
 * workers would each have to remember.
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');
