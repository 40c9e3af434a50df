import 'reflect-metadata';
import { createHttpAdapter } from '/work/wt-hardening/dist/src/http-pipeline.js';
import { loadConfig } from '/work/wt-hardening/dist/src/config/gateway-config.js';
const config = loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '1000', HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_IDLE_TIMEOUT_MS: '15000', SYNC_WAIT_MS: '0' });
const a = createHttpAdapter(config);
const s = a.getInstance().server;
console.log(s.requestTimeout, s.headersTimeout, s.connectionsCheckingInterval, s.maxConnections, s.timeout, s.keepAliveTimeout);
