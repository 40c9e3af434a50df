import v8 from 'node:v8';

/**
 * Imported first by the server's entry point, before any other module has run.
 *
 * V8 "pretenures" an allocation site once most of its objects have survived into the old generation: from
 * then on that site allocates straight into the old generation, where only a full collection frees
 * anything. The gateway's sites are shared by work with very different lifetimes (the sealer keeps a
 * batch for a whole transaction, an audit listing drops its rows within milliseconds), so pretenuring
 * turned short-lived listing garbage into old-generation growth. Set in code rather than on the command
 * line, which `npm start`, Docker and the cluster workers would each have to remember. The figures are in
 * docs/performance.md.
 */
v8.setFlagsFromString('--no-allocation-site-pretenuring');

/**
 * After a full collection V8 lets the old generation grow to up to four times what survived before the
 * next one, when collecting looks cheap next to the program's work. The dispatcher promotes short-lived
 * garbage steadily (an attempt's objects outlive the young generation's collections while CleverTap
 * answers), so with about 50 MB live the heap reached 180 MB of mostly garbage between full collections,
 * and the process went past its memory target. Twice what survived bounds that; V8 reads the flag each
 * time it sets the next limit, so setting it here, after start, takes effect.
 */
v8.setFlagsFromString('--heap-growing-percent=100');
