/**
 * GENERATED from the gateway's OpenAPI document by openapi-typescript: do not edit.
 * Regenerate with `npm run openapi:types` after changing a route, a DTO or a view class;
 * test/api/console-types.spec.ts fails while this file differs from what the document gives.
 */

export interface paths {
    "/1/targets/trigger.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Raise a bulletin (drop-in for CleverTap)
         * @description Same body and headers as CleverTap's `POST /1/targets/trigger.json`: change only the host and send your gateway key as the passcode. The event is logged before any answer. By default the request waits up to SYNC_WAIT_MS for CleverTap's answer and relays it (with `event_id`); otherwise, or with `Prefer: respond-async`, it answers 202. Errors raised by the gateway itself use CleverTap's shape with the HTTP status equal to `code`.
         */
        post: operations["triggerBulletin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit console (web page)
         * @description Sign in with an auditor, operator or admin key; the page calls the /v1 API with it in the Authorization header.
         */
        get: operations["getConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/console/assets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A script, stylesheet or source map of the console */
        get: operations["getConsoleAsset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process answers
         * @description Does not touch the database, so an outage there does not get the process restarted.
         */
        get: operations["getLiveness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: database, migrations, dispatcher, CleverTap accounts
         * @description 503 when the database does not answer within 1 s, a migration is pending, the dispatcher is not running or the process is shutting down. An account with an open circuit or paused for rejected credentials keeps it at 200 with status "degraded": its events are still accepted and queued. So does the audit log when the checkpoint signer refuses to sign (the database no longer matches its last checkpoint) or event_status disagrees with the log.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Text exposition format. Not authenticated: keep it on the internal network.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * CleverTap accounts: circuits, slots and queues
         * @description **Roles:** operator, admin.
         */
        get: operations["listAccounts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/backlog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Backlog of each configured account by partner and lane
         * @description Events queued or retrying, in flight (started, any gateway process), and the age of the oldest, per partner and lane (live, retry, replay).
         *
         *     **Roles:** operator, admin.
         */
        get: operations["getBacklog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/accounts/wait": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Wait from acceptance to first attempt, in 60 buckets over a recent window
         * @description Each bucket summarises at most 2000 first attempts (`sampled` says when it had more).
         *
         *     **Roles:** operator, admin.
         */
        get: operations["getWait"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest signed checkpoint
         * @description A C2SP signed note, with witness cosignatures as further lines (docs/audit-format.md).
         *
         *     **Roles:** auditor, operator, admin.
         */
        get: operations["getCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/consistency": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A consistency proof between two tree sizes
         * @description **Roles:** auditor, operator, admin.
         */
        get: operations["getConsistencyProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/cosignatures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a witness's cosignature
         * @description Checked against AUDIT_WITNESSES before it is kept; it adds to an existing checkpoint.
         *
         *     **Roles:** auditor, operator, admin.
         */
        post: operations["addCosignature"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/entries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Log entries [from, to) as NDJSON
         * @description At most 10,000 per request, streamed: each line is a leaf index, its kind and record.
         *
         *     **Roles:** auditor, operator, admin.
         */
        get: operations["listLogEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verifications/latest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The latest recorded verification
         * @description **Roles:** auditor, operator, admin.
         */
        get: operations["getLatestVerification"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Verify the whole log now
         * @description Seals what is pending, rebuilds the tree from the rows and checks every hash and checkpoint; the run is recorded.
         *
         *     **Roles:** auditor, operator, admin.
         */
        get: operations["verifyLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List events, newest first
         * @description Filtered and paged by log position: new events never shift the pages being walked.
         *
         *     **Roles:** any role (partners see only their own events).
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One event with its payload and timeline
         * @description **Roles:** any role (partners see only their own events).
         */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/erasure": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Erase an event's payload (right to erasure)
         * @description Appends an `erasure` entry to the log and sets the payload to null, for good. Every record, proof and receipt stays valid: the event commits to its payload by `payload_sha256` only. Only once delivery has ended (not while queued or retrying). See docs/audit.md.
         *
         *     **Roles:** admin.
         */
        post: operations["erasePayload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}/proof": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Proof that an event is in the log
         * @description Redeems a receipt: every leaf of the event with its inclusion proof to the served checkpoint.
         *
         *     **Roles:** any role (partners see only their own events).
         */
        get: operations["getEventProof"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/counts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Count events by status
         * @description How many events match the filters in each status (the status filter itself is ignored).
         *
         *     **Roles:** any role (partners see only their own events).
         */
        get: operations["countEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export events as a file
         * @description Streamed, any size. NDJSON is a proof: a header naming the signed checkpoint it was made against, each event with its leaves and their inclusion proofs, and a trailer signed by the log key (docs/audit-format.md §9.1; check it with `bulletin-gateway verify-export`). CSV is a view, not a proof. A failure midway ends the file with an error line.
         *
         *     **Roles:** any role (partners see only their own events).
         */
        get: operations["exportEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/partners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List partners
         * @description **Roles:** admin.
         */
        get: operations["listPartners"];
        put?: never;
        /**
         * Create a partner and its first key
         * @description The key is in this answer only; the gateway keeps its hash.
         *
         *     **Roles:** admin.
         */
        post: operations["createPartner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/partners/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One partner
         * @description The partner as in the list, revoked or not, without keys.
         *
         *     **Roles:** admin.
         */
        get: operations["getPartner"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set a partner's dispatch weight and ingress limits
         * @description They apply to every gateway process within about a second.
         *
         *     **Roles:** admin.
         */
        patch: operations["updatePartnerSettings"];
        trace?: never;
    };
    "/v1/partners/{id}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add a key to a partner (rotation)
         * @description The partner keeps its other keys until it is revoked; the new key is in this answer only.
         *
         *     **Roles:** admin.
         */
        post: operations["addPartnerKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/partners/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a partner and all its keys
         * @description At once on every gateway process.
         *
         *     **Roles:** admin.
         */
        post: operations["revokePartner"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/rejections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List refused requests, newest first
         * @description Authenticated requests that failed validation, kept (and chained) in the log like accepted events.
         *
         *     **Roles:** any role (partners see only their own events).
         */
        get: operations["listRejections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/replays": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay events (dry run first)
         * @description Puts the events matching the filters back in the queue, never sending one twice by accident: uncertain events need `include_uncertain`, sent ones `force` (admin). With `dry_run` it only says what would happen. See docs/replay.md.
         *
         *     **Roles:** operator, admin.
         */
        post: operations["requestReplay"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/replays/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A replay's progress
         * @description **Roles:** auditor, operator, admin.
         */
        get: operations["getReplay"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who this key belongs to
         * @description Lets a client (the console) show only what the key may do.
         *
         *     **Roles:** any role (partners see only their own events).
         */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A configured account's backlog, by partner and lane */
        AccountBacklog: {
            account_id: string;
            in_flight: number;
            /** @description One line per partner and lane with events waiting; empty when nothing waits */
            lines: components["schemas"]["BacklogLine"][];
            queued: number;
            retrying: number;
        };
        /** @description Every configured CleverTap account */
        AccountList: {
            data: components["schemas"]["AccountOverview"][];
        };
        /** @description A configured CleverTap account as the whole fleet sees it */
        AccountOverview: {
            account_id: string;
            /**
             * @description The circuit breaker; paused when CleverTap rejected the credentials
             * @enum {string}
             */
            circuit: "closed" | "open" | "half_open" | "paused";
            /** @description Requests to CleverTap in flight now */
            in_flight: number;
            /** @description Requests in flight allowed (CleverTap allows 3) */
            limit: number;
            oldest_queued_age_seconds: number | null;
            /** Format: date-time */
            open_until: string | null;
            queue_depth: number;
            /** @description Why the circuit is not closed */
            reason: string | null;
        };
        /** @description One attempt to send the event to CleverTap */
        AttemptEntry: {
            /** Format: date-time */
            at: string;
            attempt_number: number;
            clevertap_status: string | null;
            error: string | null;
            error_code: string | null;
            /** @description CleverTap's HTTP status, when it answered */
            http_status: number | null;
            latency_ms: number;
            /** @description The entry's index in the audit log's tree; null until sealed */
            leaf_index: number | null;
            /** Format: date-time */
            next_attempt_at: string | null;
            /** @enum {string} */
            outcome: "sent" | "failed" | "transient" | "uncertain" | "credentials_rejected";
            /** Format: date-time */
            recorded_at: string;
            /** Format: uuid */
            replay_id: string | null;
            /**
             * @description The event's status after this attempt
             * @enum {string}
             */
            resulting_status: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
            /** Format: date-time */
            started_at: string;
            targets: number | null;
            /** @enum {string} */
            trigger: "auto" | "retry" | "replay";
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "attempt";
        };
        /** @description One partner's events waiting in one lane of an account */
        BacklogLine: {
            /** @description Started by any gateway process and not yet recorded */
            in_flight: number;
            /**
             * @description live: first attempts; retry: after a failed attempt; replay: re-queued by a replay
             * @enum {string}
             */
            lane: "live" | "retry" | "replay";
            /** @description Age of the oldest waiting event */
            oldest_age_seconds: number;
            /** Format: uuid */
            partner_id: string;
            partner_name: string;
            /** @description Waiting for their first attempt in this lane */
            queued: number;
            /** @description Waiting for a retry */
            retrying: number;
        };
        /** @description Every configured account */
        BacklogList: {
            data: components["schemas"]["AccountBacklog"][];
        };
        /** @description RFC 9162 consistency proof between two tree sizes */
        ConsistencyProof: {
            from: number;
            /** @description base64 hashes */
            proof: string[];
            to: number;
        };
        /** @description The witness's cosignature is kept with the checkpoint */
        CosignatureAccepted: {
            checkpoint_size: number;
            /** @description The witness's name */
            witness: string;
        };
        /** @description A witness's cosignature of a checkpoint it verified */
        CosignatureSubmission: {
            /**
             * @description The signed checkpoint note, as served by GET /v1/audit/checkpoint
             * @example bulletin-gateway.example/log
             *     2088
             *     q3v6m2v0Jr0m7c6l4lS0a8fJbq2w5uTnq0h2kq6gI1U=
             *
             *     — bulletin-gateway.example/log Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
             */
            checkpoint: string;
            /**
             * @description The witness's signature line, "— <name> <base64>"
             * @example — witness.example/w1 gE3mKZ0Vq2jB9xYv1u5pTqQ2rT6s8wZk3m1n0b9c7x4y2a6d8f0h2j4l6n8p0r2t4v6x8z0b2d4f6h8j0l2n4p6r8t0==
             */
            cosignature: string;
        };
        /** @description The partner created, with its key: shown once, stored only as a hash */
        CreatedPartner: {
            accounts: string[];
            /** Format: uuid */
            id: string;
            /** @description The gateway key: shown only in this answer. Absent when the answer is replayed for a repeated Idempotency-Key (`Idempotent-Replayed: true`): the gateway never stores a key */
            key?: string;
            name: string;
            /** @enum {string} */
            role: "partner" | "auditor" | "operator" | "admin";
        };
        /** @description A new partner (or auditor, operator, admin) and its first key */
        CreatePartner: {
            /**
             * @description The CleverTap accounts it may raise bulletins on (at least one for a partner)
             * @example [
             *       "ACCOUNT_ID"
             *     ]
             */
            accounts?: string[];
            /** @example Acme CMS */
            name: string;
            /**
             * @default partner
             * @enum {string}
             */
            role?: "partner" | "auditor" | "operator" | "admin";
        };
        /** @description Why an event's payload is erased */
        ErasureRequest: {
            /**
             * @description Why (a request or ticket number, not the person): kept in the log for good, so no personal data and no secret
             * @example data-subject request DSR-2026-0042
             */
            reason: string;
        };
        /** @description One event: its summary, the payload as received and its whole timeline */
        EventDetail: {
            /** @description The CleverTap account */
            account_id: string;
            attempts: number;
            business_event: string;
            /** Format: uuid */
            id: string;
            idempotency_key: string | null;
            /** @description The error of the latest attempt, if it failed */
            last_error: string | null;
            /** @description The event's leaf in the audit log's Merkle tree; null until sealed (inline: OpenAPI 3.0 has no nullable $ref) */
            leaf: {
                /** @description base64 leaf hash */
                hash: string;
                index: number;
            } | null;
            /** @description The bulletin's name */
            name: string | null;
            /** Format: uuid */
            partner_id: string;
            partner_name: string;
            /** @description The bulletin as the partner sent it; null once erased (see `payload_erasure`) */
            payload: {
                [key: string]: unknown;
            } | null;
            /** @description When and why the payload was erased; null while it is kept. `payload_sha256` still names what it was (inline: OpenAPI 3.0 has no nullable $ref) */
            payload_erasure: {
                /** Format: date-time */
                erased_at: string;
                /** @description Why it was erased */
                reason: string;
            } | null;
            /** @description Lowercase hex SHA-256 of the payload's canonical JSON (RFC 8785) */
            payload_sha256: string;
            /** @description The event's position in the log: newer events have higher positions */
            position: number;
            /** Format: date-time */
            received_at: string;
            request_id: string;
            /** @enum {string} */
            status: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
            /** @description What happened to the event, oldest first */
            timeline: (components["schemas"]["ReceivedEntry"] | components["schemas"]["AttemptEntry"] | components["schemas"]["ReplayRequestedEntry"] | components["schemas"]["PayloadErasedEntry"])[];
        };
        /** @description The audit filters */
        EventFilter: {
            /**
             * @description The CleverTap account
             * @example ACCOUNT_ID
             */
            account?: string;
            /**
             * @description The business event, exactly
             * @example Program Released
             */
            business_event?: string;
            /** @description Text in the error of the latest attempt */
            error?: string;
            /**
             * @description The error code of the latest attempt: CleverTap's HTTP status or a network error
             * @example ECONNREFUSED
             */
            error_code?: string;
            /**
             * Format: uuid
             * @description The partner who sent the events (ignored for a partner's own key: it sees only its own)
             */
            partner?: string;
            /** @description Text in the bulletin's name */
            q?: string;
            /**
             * @description Received at or after this RFC 3339 date-time (UTC offset from -14:00 to +14:00)
             * @example 2026-11-26T09:00:00Z
             */
            received_from?: string;
            /**
             * @description Received before this RFC 3339 date-time
             * @example 2026-11-27T09:00:00Z
             */
            received_to?: string;
            /**
             * @description The event's current status
             * @enum {string}
             */
            status?: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
        };
        /** @description A page of events, newest first */
        EventPage: {
            data: components["schemas"]["EventSummary"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        /** @description Every leaf of one event (the event, its attempts, its replay items) with inclusion proofs to the served checkpoint */
        EventProof: {
            /** @description The signed checkpoint (a C2SP signed note) the proofs lead to */
            checkpoint: string;
            /**
             * @description Present (false) while the database no longer matches the last signed checkpoint
             * @enum {boolean}
             */
            database_matches_checkpoint?: false;
            entries: components["schemas"]["ProvenEntry"][];
            /** Format: uuid */
            event_id: string;
            /** @description Why the database no longer matches */
            mismatch?: string;
            /** @description Leaves sealed after that checkpoint, left out */
            pending: number;
        };
        /** @description One event as lists show it */
        EventSummary: {
            /** @description The CleverTap account */
            account_id: string;
            attempts: number;
            business_event: string;
            /** Format: uuid */
            id: string;
            idempotency_key: string | null;
            /** @description The error of the latest attempt, if it failed */
            last_error: string | null;
            /** @description The bulletin's name */
            name: string | null;
            /** Format: uuid */
            partner_id: string;
            partner_name: string;
            /** @description The event's position in the log: newer events have higher positions */
            position: number;
            /** Format: date-time */
            received_at: string;
            request_id: string;
            /** @enum {string} */
            status: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
        };
        /** @description A partner (or auditor, operator, admin) as listed: never its keys, only their prefixes */
        Partner: {
            /** @description The CleverTap accounts it may raise bulletins on */
            accounts: string[];
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /** @description The first characters of each active key, to tell them apart */
            key_prefixes: string[];
            /** @description Events it may have queued or retrying; null: the gateway's default */
            max_backlog: number | null;
            name: string;
            /** @description Burst of its rate limit; null: the gateway's default */
            rate_limit_burst: number | null;
            /** @description Events per second it may send; null: the gateway's default */
            rate_limit_per_second: number | null;
            /** Format: date-time */
            revoked_at: string | null;
            /** @enum {string} */
            role: "partner" | "auditor" | "operator" | "admin";
            /** @description Dispatch weight; null: the gateway's default (1) */
            weight: number | null;
        };
        /** @description A further key of a partner: shown once, stored only as a hash */
        PartnerKey: {
            /**
             * Format: uuid
             * @description The partner's id
             */
            id: string;
            /** @description The new key: shown only in this answer. Absent when the answer is replayed for a repeated Idempotency-Key (`Idempotent-Replayed: true`): the gateway never stores a key */
            key?: string;
        };
        /** @description Every partner, oldest first */
        PartnerList: {
            data: components["schemas"]["Partner"][];
        };
        /** @description A partner's dispatch weight and ingress limits; null is the gateway's default */
        PartnerSettings: {
            /** Format: uuid */
            id: string;
            max_backlog: number | null;
            rate_limit_burst: number | null;
            rate_limit_per_second: number | null;
            weight: number | null;
        };
        /** @description A partner's dispatch weight and ingress limits: a field absent is unchanged, null returns to the gateway's default */
        PartnerSettingsPatch: {
            /**
             * @description Events queued or retrying at most
             * @example 10000
             */
            max_backlog?: number | null;
            /**
             * @description Events allowed at once above the rate
             * @example 100
             */
            rate_limit_burst?: number | null;
            /**
             * @description Sustained events per second
             * @example 50
             */
            rate_limit_per_second?: number | null;
            /**
             * @description Dispatch weight (fair share between partners)
             * @example 2
             */
            weight?: number | null;
        };
        /** @description The event's payload was erased (right to erasure); the erasure is an entry of the log */
        PayloadErasedEntry: {
            /** Format: date-time */
            at: string;
            /** @description The erasure's index in the audit log's tree; null until sealed */
            leaf_index: number | null;
            /** @description Why it was erased (a request or ticket number) */
            reason: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "payload_erased";
        };
        /** @description The erasure recorded: the event's payload is null from now on; its entries, proofs and receipts stay valid */
        PayloadErasure: {
            /** Format: date-time */
            erased_at: string;
            /** @description The `payload_sha256` of what was erased: the digest the event's record commits to */
            erased_sha256: string;
            /** Format: uuid */
            event_id: string;
            /** @description Why, as kept in the log (trimmed) */
            reason: string;
            /**
             * Format: uuid
             * @description The id of the admin who erased it
             */
            requested_by: string;
        };
        /**
         * @description An error on /v1, as RFC 9457 problem details (`application/problem+json`). `type` and `title` are fixed per `code`; `detail` explains this occurrence; `errors` lists each invalid field of a body or query (invalid_request only). Every code:
         *
         *     | code | HTTP status | meaning |
         *     | --- | --- | --- |
         *     | `invalid_request` | 400 | The body or a parameter is not valid; `errors` names each field and what is wrong with it. |
         *     | `malformed_json` | 400 | The body is not JSON. |
         *     | `invalid_utf8` | 400 | The body is not valid UTF-8. |
         *     | `json_too_deep` | 400 | The body nests arrays or objects deeper than MAX_JSON_DEPTH. |
         *     | `unstorable_text` | 400 | A string holds what Postgres cannot store (U+0000, a lone surrogate). |
         *     | `unstorable_event` | 400 | Postgres refused this event's row for its content. |
         *     | `secret_in_bulletin` | 400 | A bulletin field holds a gateway key or a configured passcode. |
         *     | `secret_in_request` | 400 | Another stored field (a partner's name, a replay's reason or filter) holds a key or passcode. |
         *     | `malformed_body` | 400 | The body could not be read as the declared content type. |
         *     | `unsupported_media_type` | 415 | The body is not application/json. |
         *     | `unsupported_encoding` | 415 | The body is not UTF-8. |
         *     | `unsupported_content_encoding` | 415 | A Content-Encoding other than identity. |
         *     | `bad_url` | 400 | The URL cannot be decoded. |
         *     | `uri_too_long` | 414 | A segment of the path is longer than the gateway accepts. |
         *     | `bad_request` | 400 | Node's HTTP parser refused the request (malformed HTTP), or it could not be routed. |
         *     | `headers_too_large` | 431 | The request headers are larger than the gateway accepts. |
         *     | `request_timeout` | 408 | The request did not arrive within HTTP_REQUEST_TIMEOUT_MS. |
         *     | `payload_too_large` | 413 | The body is larger than MAX_BODY_BYTES. |
         *     | `unauthenticated` | 401 | No valid gateway key (`Authorization: Bearer`); the answer carries `WWW-Authenticate`. |
         *     | `forbidden` | 403 | The key is valid but may not do this (its role, or an account it is not bound to). |
         *     | `not_found` | 404 | No such resource, or one the caller may not see (a partner never learns which). |
         *     | `method_not_allowed` | 405 | The path exists but not with this method; `Allow` lists the methods it has. |
         *     | `account_missing` | 401 | The ingest request names no CleverTap account. |
         *     | `account_not_configured` | 403 | The account named is not configured in this gateway. |
         *     | `invalid_idempotency_key` | 400 | Idempotency-Key is not 1 to 255 visible ASCII characters, or holds a key. |
         *     | `idempotency_key_reused` | 422 | The Idempotency-Key was used before with another body. |
         *     | `idempotency_key_in_progress` | 409 | The first request with this Idempotency-Key is still being processed: retry shortly. |
         *     | `not_yet_checkpointed` | 409 | The event is not covered by a signed checkpoint yet: retry after the next one. |
         *     | `no_checkpoint` | 404 | No checkpoint can be served: none is signed yet, or the log has no signing key. |
         *     | `no_witnesses` | 409 | A cosignature is submitted but no witness is configured (AUDIT_WITNESSES). |
         *     | `invalid_cosignature` | 400 | The cosignature is malformed or not by a configured witness. |
         *     | `invalid_cursor` | 400 | A list cursor that this gateway did not issue: use `next_cursor` from a previous page. |
         *     | `already_erased` | 409 | The event's payload (or the rejection's excerpt) was already erased: an erasure happens once. |
         *     | `event_pending` | 409 | The event is still queued or retrying: erase it once delivery has ended. |
         *     | `nothing_to_erase` | 409 | The rejection kept no payload excerpt: there is nothing to erase. |
         *     | `payload_erased` | 409 | The events a replay would send all had their payloads erased: nothing is left to send. |
         *     | `rate_limited` | 429 | The partner sends faster than its rate limit allows (with Retry-After and RateLimit fields). |
         *     | `backlog_quota_exceeded` | 429 | The partner already has its quota of events queued or retrying. |
         *     | `database_unavailable` | 503 | The database does not answer: retry later (with Retry-After; always safe with an Idempotency-Key). |
         *     | `console_not_built` | 404 | The console was not built (`npm run build`). |
         *     | `http_error` | 400, 414 | Another HTTP error raised by the framework. |
         *     | `internal_error` | 500 | A fault of the gateway; quote `request_id` when reporting it. |
         */
        Problem: {
            /**
             * @description The stable error code (see the table above)
             * @enum {string}
             */
            code: "invalid_request" | "malformed_json" | "invalid_utf8" | "json_too_deep" | "unstorable_text" | "unstorable_event" | "secret_in_bulletin" | "secret_in_request" | "malformed_body" | "unsupported_media_type" | "unsupported_encoding" | "unsupported_content_encoding" | "bad_url" | "uri_too_long" | "bad_request" | "headers_too_large" | "request_timeout" | "payload_too_large" | "unauthenticated" | "forbidden" | "not_found" | "method_not_allowed" | "account_missing" | "account_not_configured" | "invalid_idempotency_key" | "idempotency_key_reused" | "idempotency_key_in_progress" | "not_yet_checkpointed" | "no_checkpoint" | "no_witnesses" | "invalid_cosignature" | "invalid_cursor" | "already_erased" | "event_pending" | "nothing_to_erase" | "payload_erased" | "rate_limited" | "backlog_quota_exceeded" | "database_unavailable" | "console_not_built" | "http_error" | "internal_error";
            /** @description This occurrence's explanation (never a secret) */
            detail: string;
            /** @description Validation failures of a body or query, one per field and message (invalid_request only) */
            errors?: {
                /**
                 * @description The field, as a path such as `accounts[0]`
                 * @example limit
                 */
                field: string;
                /** @example limit must be an integer from 1 to 500 */
                message: string;
            }[];
            /** @description The X-Request-Id of the request; quote it when reporting a problem */
            request_id: string;
            /** @description The HTTP status */
            status: number;
            /** @description A short summary of the problem type; the same for every occurrence of a code */
            title: string;
            /**
             * @description `urn:bulletin-gateway:error:` followed by `code`
             * @enum {string}
             */
            type: "urn:bulletin-gateway:error:invalid_request" | "urn:bulletin-gateway:error:malformed_json" | "urn:bulletin-gateway:error:invalid_utf8" | "urn:bulletin-gateway:error:json_too_deep" | "urn:bulletin-gateway:error:unstorable_text" | "urn:bulletin-gateway:error:unstorable_event" | "urn:bulletin-gateway:error:secret_in_bulletin" | "urn:bulletin-gateway:error:secret_in_request" | "urn:bulletin-gateway:error:malformed_body" | "urn:bulletin-gateway:error:unsupported_media_type" | "urn:bulletin-gateway:error:unsupported_encoding" | "urn:bulletin-gateway:error:unsupported_content_encoding" | "urn:bulletin-gateway:error:bad_url" | "urn:bulletin-gateway:error:uri_too_long" | "urn:bulletin-gateway:error:bad_request" | "urn:bulletin-gateway:error:headers_too_large" | "urn:bulletin-gateway:error:request_timeout" | "urn:bulletin-gateway:error:payload_too_large" | "urn:bulletin-gateway:error:unauthenticated" | "urn:bulletin-gateway:error:forbidden" | "urn:bulletin-gateway:error:not_found" | "urn:bulletin-gateway:error:method_not_allowed" | "urn:bulletin-gateway:error:account_missing" | "urn:bulletin-gateway:error:account_not_configured" | "urn:bulletin-gateway:error:invalid_idempotency_key" | "urn:bulletin-gateway:error:idempotency_key_reused" | "urn:bulletin-gateway:error:idempotency_key_in_progress" | "urn:bulletin-gateway:error:not_yet_checkpointed" | "urn:bulletin-gateway:error:no_checkpoint" | "urn:bulletin-gateway:error:no_witnesses" | "urn:bulletin-gateway:error:invalid_cosignature" | "urn:bulletin-gateway:error:invalid_cursor" | "urn:bulletin-gateway:error:already_erased" | "urn:bulletin-gateway:error:event_pending" | "urn:bulletin-gateway:error:nothing_to_erase" | "urn:bulletin-gateway:error:payload_erased" | "urn:bulletin-gateway:error:rate_limited" | "urn:bulletin-gateway:error:backlog_quota_exceeded" | "urn:bulletin-gateway:error:database_unavailable" | "urn:bulletin-gateway:error:console_not_built" | "urn:bulletin-gateway:error:http_error" | "urn:bulletin-gateway:error:internal_error";
        };
        /** @description One leaf of the event with its inclusion proof */
        ProvenEntry: {
            /** @description RFC 9162 inclusion proof to the checkpoint, base64 hashes */
            inclusion: string[];
            index: number;
            kind: string;
            /** @description The leaf record (docs/audit-format.md §5): its canonical JSON is what the leaf hashes */
            record: {
                kind: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description The event arrived */
        ReceivedEntry: {
            /** Format: date-time */
            at: string;
            /** @description The partner's name */
            partner: string;
            request_id: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "received";
        };
        /** @description The latest recorded verification run (API or CLI) */
        RecordedVerification: {
            checkpoints_checked: number;
            entries_checked: number;
            /** @description Erased payloads found, each with its recorded erasure; null for runs before erasures were recorded */
            erased_payloads: number | null;
            /** @description The first entry that does not verify; null when the log is intact */
            first_problem: {
                detail: string;
                /** @description Leaf index in the audit log's tree; null for a row missing from the tree, or a checkpoint */
                index: number | null;
                /** @description The kind of entry (event, attempt, replay_item, rejection, checkpoint, ...) */
                kind: string;
                /** @enum {string} */
                problem: "deleted" | "modified" | "payload_modified" | "backdated" | "tree_gap" | "node_mismatch" | "not_in_tree" | "checkpoint_invalid" | "quorum_missing";
                /** @description The row's position in its table (the tree size for a checkpoint) */
                ref: number;
            } | null;
            head: components["schemas"]["TreeHead"];
            ok: boolean;
            /** @description Null for runs before the log became a tree */
            signatures_checked: boolean | null;
            /** Format: date-time */
            verified_at: string;
            /** @description Who ran it */
            verified_by: string;
        };
        /** @description An authenticated request the gateway refused, as kept in the log */
        Rejection: {
            account_id: string | null;
            http_status: number;
            /** Format: uuid */
            partner_id: string;
            partner_name: string;
            /** @description The size of the body as received */
            payload_bytes: number;
            /** @description At most 2 KiB of the body, keys and passcodes removed */
            payload_excerpt: string | null;
            /** @description Its position in the rejection log */
            position: number;
            reason: string;
            /** @description The error code it was refused with */
            reason_code: string;
            /** Format: date-time */
            received_at: string;
            request_id: string;
        };
        /** @description A page of refused requests, newest first */
        RejectionPage: {
            data: components["schemas"]["Rejection"][];
            /** @description Pass as `cursor` for the next page; null on the last page */
            next_cursor: string | null;
        };
        /** @description A dry run: what the replay would queue, and what it would leave alone */
        ReplayPreview: {
            /** @description Events already queued or retrying */
            already_pending: number;
            /** @enum {boolean} */
            dry_run: true;
            /** @description Events matching the filters */
            matched: number;
            /** @description The first events that would be queued, oldest first */
            sample: components["schemas"]["EventSummary"][];
            /** @description Events that would be queued but whose payload was erased: nothing is left to send */
            skipped_erased: number;
            /** @description Sent events left alone (force: false) */
            skipped_sent: number;
            /** @description Uncertain events left alone (include_uncertain: false) */
            skipped_uncertain: number;
            /** @description Events that would be queued */
            will_queue: number;
        };
        /** @description A replay and how far its events have got */
        ReplayProgress: {
            /** @description No event of the replay is pending any more */
            done: boolean;
            /** @description Failed, exhausted or uncertain again */
            failed: number;
            /** @description The filters it was requested with */
            filter: components["schemas"]["EventFilter"];
            /** Format: uuid */
            id: string;
            matched: number;
            /** @description Still queued or retrying */
            pending: number;
            queued: number;
            reason: string;
            /** Format: date-time */
            requested_at: string;
            /** @description The requester's name */
            requested_by: string;
            sent: number;
        };
        /** @description Which events to put back in the queue (the audit filters), and why */
        ReplayRequest: {
            /**
             * @description The CleverTap account
             * @example ACCOUNT_ID
             */
            account?: string;
            /**
             * @description The business event, exactly
             * @example Program Released
             */
            business_event?: string;
            /**
             * @description Only say what would be queued
             * @default false
             */
            dry_run?: boolean;
            /** @description Text in the error of the latest attempt */
            error?: string;
            /**
             * @description The error code of the latest attempt: CleverTap's HTTP status or a network error
             * @example ECONNREFUSED
             */
            error_code?: string;
            /**
             * @description Also resend events already sent (admin only)
             * @default false
             */
            force?: boolean;
            /**
             * @description Also resend uncertain events, which CleverTap may already have raised
             * @default false
             */
            include_uncertain?: boolean;
            /**
             * Format: uuid
             * @description The partner who sent the events (ignored for a partner's own key: it sees only its own)
             */
            partner?: string;
            /** @description Text in the bulletin's name */
            q?: string;
            /**
             * @description Why: kept in the log with the replay
             * @example CleverTap outage of 2 December, 02:10-02:40 UTC
             */
            reason: string;
            /**
             * @description Received at or after this RFC 3339 date-time (UTC offset from -14:00 to +14:00)
             * @example 2026-11-26T09:00:00Z
             */
            received_from?: string;
            /**
             * @description Received before this RFC 3339 date-time
             * @example 2026-11-27T09:00:00Z
             */
            received_to?: string;
            /**
             * @description The event's current status
             * @enum {string}
             */
            status?: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
        };
        /** @description The event was put back in the queue by a replay */
        ReplayRequestedEntry: {
            /** Format: date-time */
            at: string;
            force_resend: boolean;
            include_uncertain: boolean;
            /** @description The entry's index in the audit log's tree; null until sealed */
            leaf_index: number | null;
            /** Format: date-time */
            queued_at: string;
            reason: string;
            /** Format: uuid */
            replay_id: string;
            requested_by: string;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "replay_requested";
        };
        /** @description The replay is recorded and its events are queued */
        ReplayStarted: {
            /** @enum {boolean} */
            dry_run: false;
            /** Format: uuid */
            id: string;
            matched: number;
            queued: number;
            /** @description Where to follow its progress (also in Location) */
            status_url: string;
        };
        /** @description The partner and all its keys are revoked */
        RevokedPartner: {
            /** Format: uuid */
            id: string;
            /** @enum {boolean} */
            revoked: true;
        };
        StatusCountMap: {
            exhausted: number;
            failed: number;
            queued: number;
            retrying: number;
            sent: number;
            uncertain: number;
        };
        /** @description How many events match the filter in each status */
        StatusCounts: {
            counts: components["schemas"]["StatusCountMap"];
            total: number;
        };
        /** @description The tree the log was rebuilt into */
        TreeHead: {
            /** @description base64 Merkle tree hash (RFC 9162) */
            root: string;
            size: number;
        };
        /** @description A verification of the whole log, from its rows as they are now */
        VerificationReport: {
            checkpoints_checked: number;
            entries_checked: number;
            /** @description Payloads (and rejection excerpts) found erased, each with its recorded erasure of exactly what the record commits to */
            erased_payloads: number;
            /** @description The first entry that does not verify; null when the log is intact */
            first_problem: {
                detail: string;
                /** @description Leaf index in the audit log's tree; null for a row missing from the tree, or a checkpoint */
                index: number | null;
                /** @description The kind of entry (event, attempt, replay_item, rejection, checkpoint, ...) */
                kind: string;
                /** @enum {string} */
                problem: "deleted" | "modified" | "payload_modified" | "backdated" | "tree_gap" | "node_mismatch" | "not_in_tree" | "checkpoint_invalid" | "quorum_missing";
                /** @description The row's position in its table (the tree size for a checkpoint) */
                ref: number;
            } | null;
            head: components["schemas"]["TreeHead"];
            ok: boolean;
            /** @description Whether checkpoint signatures were checked (only with a verifier key the caller trusts) */
            signatures_checked: boolean;
            /** Format: date-time */
            verified_at: string;
        };
        /** @description One bucket of the wait chart */
        WaitBucket: {
            /** @description First attempts summarised */
            count: number;
            max_ms: number | null;
            p50_ms: number | null;
            p95_ms: number | null;
            /** @description true when there were more first attempts than sample_limit: the figures cover the earliest ones */
            sampled: boolean;
            /** Format: date-time */
            start: string;
        };
        /** @description The wait from acceptance to first attempt over a recent window, in 60 buckets */
        WaitSeries: {
            /** @description The account asked for; null: all accounts */
            account_id: string | null;
            bucket_seconds: number;
            buckets: components["schemas"]["WaitBucket"][];
            /** Format: date-time */
            from: string;
            overall: components["schemas"]["WaitSummary"];
            /** @description First attempts read per bucket at most */
            sample_limit: number;
            /** Format: date-time */
            to: string;
            /** @enum {string} */
            window: "15m" | "1h" | "6h" | "24h";
        };
        /** @description The waits from acceptance to first attempt of some first attempts */
        WaitSummary: {
            /** @description First attempts summarised */
            count: number;
            max_ms: number | null;
            p50_ms: number | null;
            p95_ms: number | null;
            /** @description true when there were more first attempts than sample_limit: the figures cover the earliest ones */
            sampled: boolean;
        };
        /** @description Who the key belongs to */
        WhoAmI: {
            accounts: string[];
            name: string;
            /** @enum {string} */
            role: "partner" | "auditor" | "operator" | "admin";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description Present while the database no longer matches the last signed checkpoint: what is served is that checkpoint, and why */
        AuditLogMismatch: string;
        /** @description `true` when this is the stored answer to an earlier request with the same Idempotency-Key */
        IdempotentReplayed: "true";
        /** @description RFC 8288: `</v1/...?cursor=...&<the same filters>>; rel="next"` when there is a next page (path-relative) */
        Link: string;
        /** @description The path of the resource created or started */
        Location: string;
        /** @description Correlation id: the one sent in X-Request-Id, or a new one. Quote it when reporting a problem. */
        RequestId: string;
        /** @description Seconds to wait before retrying */
        RetryAfter: number;
        /** @description RFC 6750: `Bearer realm="bulletin-gateway"`, with `error="invalid_token"` when a key was sent but is not valid */
        WWWAuthenticate: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    triggerBulletin: {
        parameters: {
            query?: never;
            header: {
                /**
                 * @description Same key + same body returns the stored outcome (Idempotent-Replayed: true) and sends nothing; same key + other body: 422; first request still in progress: 409
                 * @example "order-4711-released"
                 */
                "Idempotency-Key"?: string;
                /** @description `respond-async`: answer 202 as soon as the event is logged */
                Prefer?: "respond-async";
                /**
                 * @description W3C Trace Context: when the gateway's tracing is on, the ingest span continues your trace and every dispatch attempt links to it; a malformed value starts a new trace; tracestate is not read
                 * @example 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
                 */
                traceparent?: string;
                /**
                 * @description The CleverTap account id you already use
                 * @example ACCOUNT_ID
                 */
                "X-CleverTap-Account-Id": string;
                /** @description Your correlation id (1-128 of [A-Za-z0-9_.:-]); stored with the event */
                "X-Request-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The business event, as defined on the CleverTap dashboard */
                    business_event: string;
                    /** @description Creator of the bulletin (an email) */
                    "c-by": string;
                    /** @description The name of the bulletin */
                    name: string;
                    /** @description String values only; keys at most 120 characters, values at most 512 bytes in UTF-8 */
                    properties: {
                        [key: string]: string;
                    };
                    /** @description "now" or a UNIX timestamp in seconds for a scheduled bulletin */
                    when: "now" | number | string;
                };
            };
        };
        responses: {
            /** @description CleverTap's answer, relayed (HTTP 200 with status fail/partial is relayed as CleverTap gave it) */
            200: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description CleverTap's code, relayed with status fail or partial */
                        code?: number;
                        error?: string;
                        /** Format: uuid */
                        event_id: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /**
                         * @description The gateway's (queued, uncertain) or CleverTap's (success, fail, partial)
                         * @enum {string}
                         */
                        status: "success" | "queued" | "uncertain" | "fail" | "partial";
                        /** @description Bulletins sent for the business event (status success) */
                        targets?: number;
                    };
                };
            };
            /** @description Logged; CleverTap's answer did not come in time (queue, open circuit, retries), or `Prefer: respond-async` */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description CleverTap's code, relayed with status fail or partial */
                        code?: number;
                        error?: string;
                        /** Format: uuid */
                        event_id: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /**
                         * @description The gateway's (queued, uncertain) or CleverTap's (success, fail, partial)
                         * @enum {string}
                         */
                        status: "success" | "queued" | "uncertain" | "fail" | "partial";
                        /** @description Bulletins sent for the business event (status success) */
                        targets?: number;
                    };
                };
            };
            /** @description Invalid request (checked by the gateway, nothing logged) or CleverTap's 400, relayed with the event id */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description No valid gateway key, or no account id */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description The key may not use this account */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description The first request with this Idempotency-Key is still in progress */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description Body larger than MAX_BODY_BYTES */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description Not application/json, or compressed */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description Idempotency-Key reused with another body */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description Over the partner's rate limit or backlog quota (set by an operator): nothing was logged. `RateLimit-Policy` and `RateLimit` (IETF draft) describe the limit. */
            429: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description CleverTap could not be reached through the whole retry schedule */
            502: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
            /** @description The database is unreachable: nothing was logged. Retry (safe with an Idempotency-Key). */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Equals the HTTP status for errors raised by the gateway */
                        code: number;
                        error: string;
                        /**
                         * Format: uuid
                         * @description Present when the event was logged and CleverTap gave this answer
                         */
                        event_id?: string;
                        /** @description The log's signed promise that this event, with this payload digest, is in the audit log: a C2SP signed note (docs/audit-format.md §8). Present when the gateway has an audit signing key; redeem it later with GET /v1/events/{id}/proof. */
                        receipt?: string;
                        /** @enum {string} */
                        status: "fail" | "partial";
                    };
                };
            };
        };
    };
    getConsole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The console's page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description The console is not built (npm run build) */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConsoleAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description a content-hashed file name from the console's page */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file, cacheable for a year (its name changes with its content) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No such console asset */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLiveness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A request the gateway could not read, on any route: malformed HTTP, a URL it cannot decode, headers too large, too slow */
            "4XX": {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The process is alive */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A request the gateway could not read, on any route: malformed HTTP, a URL it cannot decode, headers too large, too slow */
            "4XX": {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Ready (status ok) or ready with troubled accounts (status degraded) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Not ready */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "error",
                     *       "info": {
                     *         "dispatcher": {
                     *           "status": "up",
                     *           "owner": "gateway-1:7:1a2b3c4d"
                     *         }
                     *       },
                     *       "error": {
                     *         "database": {
                     *           "status": "down",
                     *           "message": "connect ECONNREFUSED 10.0.0.5:5432",
                     *           "responseTime": 3
                     *         },
                     *         "migrations": {
                     *           "status": "down",
                     *           "message": "connect ECONNREFUSED 10.0.0.5:5432"
                     *         },
                     *         "clevertap_accounts": {
                     *           "status": "down",
                     *           "message": "account states unknown: connect ECONNREFUSED 10.0.0.5:5432"
                     *         }
                     *       },
                     *       "details": {
                     *         "dispatcher": {
                     *           "status": "up",
                     *           "owner": "gateway-1:7:1a2b3c4d"
                     *         },
                     *         "database": {
                     *           "status": "down",
                     *           "message": "connect ECONNREFUSED 10.0.0.5:5432",
                     *           "responseTime": 3
                     *         },
                     *         "migrations": {
                     *           "status": "down",
                     *           "message": "connect ECONNREFUSED 10.0.0.5:5432"
                     *         },
                     *         "clevertap_accounts": {
                     *           "status": "down",
                     *           "message": "account states unknown: connect ECONNREFUSED 10.0.0.5:5432"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": unknown;
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A request the gateway could not read, on any route: malformed HTTP, a URL it cannot decode, headers too large, too slow */
            "4XX": {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The metrics of this gateway process */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example # HELP bulletin_gateway_events_accepted_total Events appended to the log (idempotent replays are not counted again)
                     *     # TYPE bulletin_gateway_events_accepted_total counter
                     *     bulletin_gateway_events_accepted_total{account="sim-account"} 12
                     *     # HELP bulletin_gateway_queue_depth Events waiting for an attempt (queued or retrying), read from the database at scrape time
                     *     # TYPE bulletin_gateway_queue_depth gauge
                     *     bulletin_gateway_queue_depth{account="sim-account",status="queued"} 0
                     */
                    "text/plain": string;
                };
            };
        };
    };
    listAccounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every configured account */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountList"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBacklog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every configured account */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BacklogList"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getWait: {
        parameters: {
            query?: {
                /** @description One configured CleverTap account (default: all) */
                account?: string;
                /** @description How far back: 60 buckets over this window */
                window?: "15m" | "1h" | "6h" | "24h";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The series */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WaitSeries"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed note */
            200: {
                headers: {
                    "X-Audit-Log-Mismatch": components["headers"]["AuditLogMismatch"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example bulletin-gateway.example/log
                     *     2088
                     *     q3v6m2v0Jr0m7c6l4lS0a8fJbq2w5uTnq0h2kq6gI1U=
                     *
                     *     — bulletin-gateway.example/log Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=
                     */
                    "text/plain": string;
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No checkpoint is signed yet, or the log has no signing key */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getConsistencyProof: {
        parameters: {
            query: {
                /** @description The first tree size or leaf index */
                from: number;
                /** @description The second tree size, or the leaf index after the last; at most the latest checkpoint's size */
                to: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof (RFC 9162 §2.1.4) */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConsistencyProof"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No checkpoint is signed yet, or the log has no signing key */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addCosignature: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: same key + same body within 24 hours answers the stored status, Location and body again with `Idempotent-Replayed: true` and does nothing twice; same key + another body: 422; first request still running: 409. Scoped to the caller's key and the route. A structured-field string (`"..."`) or a bare token, 1 to 255 visible ASCII characters. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CosignatureSubmission"];
            };
        };
        responses: {
            /** @description Kept (or already kept) */
            200: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CosignatureAccepted"];
                };
            };
            /** @description Not a cosignature by a configured witness; A parameter or body field is not valid; `errors` names each; The body is not valid; Idempotency-Key is malformed */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This log never signed that checkpoint */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No witness is configured; The first request with this Idempotency-Key is still running: retry shortly */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than MAX_BODY_BYTES */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another body */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listLogEntries: {
        parameters: {
            query: {
                /** @description The first tree size or leaf index */
                from: number;
                /** @description The second tree size, or the leaf index after the last; at most the latest checkpoint's size */
                to: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entry per line */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /** @example {"index":0,"kind":"event","record":{"kind":"event"}} */
                    "application/x-ndjson": string;
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No checkpoint is signed yet, or the log has no signing key */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getLatestVerification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The latest run */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordedVerification"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The log has not been verified yet */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyLog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report (ok false names the first problem) */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VerificationReport"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description The CleverTap account */
                account?: string;
                /** @description The business event, exactly */
                business_event?: string;
                /** @description The `next_cursor` of the previous page */
                cursor?: string;
                /** @description Text in the error of the latest attempt */
                error?: string;
                /** @description The error code of the latest attempt: CleverTap's HTTP status or a network error */
                error_code?: string;
                /** @description Events per page */
                limit?: number;
                /** @description The partner who sent the events (ignored for a partner's own key: it sees only its own) */
                partner?: string;
                /** @description Text in the bulletin's name */
                q?: string;
                /** @description Received at or after this RFC 3339 date-time (UTC offset from -14:00 to +14:00) */
                received_from?: string;
                /** @description Received before this RFC 3339 date-time */
                received_to?: string;
                /** @description The event's current status */
                status?: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events */
            200: {
                headers: {
                    Link: components["headers"]["Link"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventPage"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each; A cursor this gateway did not issue */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventDetail"];
                };
            };
            /** @description The path cannot be read */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such event */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    erasePayload: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: same key + same body within 24 hours answers the stored status, Location and body again with `Idempotent-Replayed: true` and does nothing twice; same key + another body: 422; first request still running: 409. Scoped to the caller's key and the route. A structured-field string (`"..."`) or a bare token, 1 to 255 visible ASCII characters. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ErasureRequest"];
            };
        };
        responses: {
            /** @description Erased; Location is the event, which now shows `payload: null` and `payload_erasure` */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    Location: components["headers"]["Location"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PayloadErasure"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each; The reason holds a gateway key or passcode; The body is not valid; Idempotency-Key is malformed */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such event */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The first request with this Idempotency-Key is still running: retry shortly; Already erased, or the event is still queued or retrying */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than MAX_BODY_BYTES */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another body */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getEventProof: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The proof */
            200: {
                headers: {
                    "X-Audit-Log-Mismatch": components["headers"]["AuditLogMismatch"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventProof"];
                };
            };
            /** @description The path cannot be read */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such event; No checkpoint is signed yet, or the log has no signing key */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not covered by a signed checkpoint yet */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    countEvents: {
        parameters: {
            query?: {
                /** @description The CleverTap account */
                account?: string;
                /** @description The business event, exactly */
                business_event?: string;
                /** @description Text in the error of the latest attempt */
                error?: string;
                /** @description The error code of the latest attempt: CleverTap's HTTP status or a network error */
                error_code?: string;
                /** @description The partner who sent the events (ignored for a partner's own key: it sees only its own) */
                partner?: string;
                /** @description Text in the bulletin's name */
                q?: string;
                /** @description Received at or after this RFC 3339 date-time (UTC offset from -14:00 to +14:00) */
                received_from?: string;
                /** @description Received before this RFC 3339 date-time */
                received_to?: string;
                /** @description The event's current status */
                status?: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Counts per status */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatusCounts"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    exportEvents: {
        parameters: {
            query?: {
                /** @description The CleverTap account */
                account?: string;
                /** @description The business event, exactly */
                business_event?: string;
                /** @description Text in the error of the latest attempt */
                error?: string;
                /** @description The error code of the latest attempt: CleverTap's HTTP status or a network error */
                error_code?: string;
                /** @description NDJSON (one event per line, then a signed trailer) or CSV */
                format?: "ndjson" | "csv";
                /** @description The partner who sent the events (ignored for a partner's own key: it sees only its own) */
                partner?: string;
                /** @description Text in the bulletin's name */
                q?: string;
                /** @description Received at or after this RFC 3339 date-time (UTC offset from -14:00 to +14:00) */
                received_from?: string;
                /** @description Received before this RFC 3339 date-time */
                received_to?: string;
                /** @description The event's current status */
                status?: "queued" | "retrying" | "sent" | "failed" | "exhausted" | "uncertain";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file (Content-Disposition: attachment) */
            200: {
                headers: {
                    /** @description attachment; filename="bulletin-events.<format>" */
                    "Content-Disposition"?: string;
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    /** @example {"id":"0b8f3c5e-6a1d-4c2e-9f7a-2d4b6e8f0a1c","position":1042,"partner_id":"5a3e9c1d-2b4f-4e6a-8c0d-1f3b5d7e9a2c","partner_name":"Acme CMS","account_id":"ACCOUNT_ID","business_event":"Program Released","name":"Sa Re Ga Ma episode 12","status":"sent","attempts":1,"received_at":"2026-12-02T03:04:05.678Z","request_id":"req-7f3a","idempotency_key":"episode-12-released","last_error":null} */
                    "application/x-ndjson": string;
                    /** @example id,position,partner_id,partner_name,account_id,business_event,name,status,attempts,received_at,request_id,idempotency_key,last_error */
                    "text/csv": string;
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each; A filter holds a gateway key or passcode: nothing is exported */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPartners: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every partner, with the prefixes of its active keys */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerList"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createPartner: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: same key + same body within 24 hours answers the stored status, Location and body again with `Idempotent-Replayed: true` and does nothing twice; same key + another body: 422; first request still running: 409. Scoped to the caller's key and the route. A structured-field string (`"..."`) or a bare token, 1 to 255 visible ASCII characters. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePartner"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    Location: components["headers"]["Location"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedPartner"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each; The body is not valid; Idempotency-Key is malformed */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The first request with this Idempotency-Key is still running: retry shortly */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than MAX_BODY_BYTES */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another body */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPartner: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The partner */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Partner"];
                };
            };
            /** @description The path cannot be read */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such partner */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updatePartnerSettings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PartnerSettingsPatch"];
            };
        };
        responses: {
            /** @description The settings now in force */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerSettings"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each; The body is not valid */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such active partner */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than MAX_BODY_BYTES */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    addPartnerKey: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: same key + same body within 24 hours answers the stored status, Location and body again with `Idempotent-Replayed: true` and does nothing twice; same key + another body: 422; first request still running: 409. Scoped to the caller's key and the route. A structured-field string (`"..."`) or a bare token, 1 to 255 visible ASCII characters. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new key */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    Location: components["headers"]["Location"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PartnerKey"];
                };
            };
            /** @description The body is not valid; Idempotency-Key is malformed */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such active partner */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The first request with this Idempotency-Key is still running: retry shortly */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than MAX_BODY_BYTES */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another body */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokePartner: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: same key + same body within 24 hours answers the stored status, Location and body again with `Idempotent-Replayed: true` and does nothing twice; same key + another body: 422; first request still running: 409. Scoped to the caller's key and the route. A structured-field string (`"..."`) or a bare token, 1 to 255 visible ASCII characters. */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            200: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RevokedPartner"];
                };
            };
            /** @description Idempotency-Key is malformed */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such active partner */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The first request with this Idempotency-Key is still running: retry shortly */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another body */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listRejections: {
        parameters: {
            query?: {
                /** @description The `next_cursor` of the previous page */
                cursor?: string;
                /** @description Rejections per page */
                limit?: number;
                /** @description Only this partner's refused requests */
                partner?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of refused requests */
            200: {
                headers: {
                    Link: components["headers"]["Link"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RejectionPage"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each; A cursor this gateway did not issue */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    requestReplay: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: same key + same body within 24 hours answers the stored status, Location and body again with `Idempotent-Replayed: true` and does nothing twice; same key + another body: 422; first request still running: 409. Scoped to the caller's key and the route. A structured-field string (`"..."`) or a bare token, 1 to 255 visible ASCII characters. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplayRequest"];
            };
        };
        responses: {
            /** @description The dry run: nothing was queued */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayPreview"];
                };
            };
            /** @description The replay is recorded and its events queued */
            202: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    Location: components["headers"]["Location"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayStarted"];
                };
            };
            /** @description A parameter or body field is not valid; `errors` names each; The body is not valid; Idempotency-Key is malformed */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The first request with this Idempotency-Key is still running: retry shortly; Every event the replay would send had its payload erased: nothing was queued or recorded */
            409: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Body larger than MAX_BODY_BYTES */
            413: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description This Idempotency-Key was used with another body */
            422: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReplay: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The replay and how far its events have got */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayProgress"];
                };
            };
            /** @description The path cannot be read */
            400: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The key's role may not do this */
            403: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No such replay */
            404: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The path cannot be read */
            414: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key's owner, role and accounts */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoAmI"];
                };
            };
            /** @description No valid gateway key in `Authorization: Bearer` */
            401: {
                headers: {
                    "WWW-Authenticate": components["headers"]["WWWAuthenticate"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A body that is not application/json */
            415: {
                headers: {
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The database does not answer: retry later */
            503: {
                headers: {
                    "Retry-After": components["headers"]["RetryAfter"];
                    "X-Request-Id": components["headers"]["RequestId"];
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
