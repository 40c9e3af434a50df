import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { invalidField, GatewayError } from '../common/gateway.error.js';
import { ShownOnce } from '../idempotency/idempotency.interceptor.js';
import { isUuid } from '../common/uuid.js';
import { refuseSecrets, secretScrubber } from '../common/secret-scrubber.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { strictValidation } from '../common/query-validation.pipe.js';
import { AllowRoles, ApiAuthGuard } from './api-auth.guard.js';
import { KeyAuthenticator } from './key-authenticator.js';
import { type PartnerSettings, PartnersRepository, type PartnerSummary } from './partners.repository.js';
import { CreatePartnerBody, PartnerSettingsBody } from './partner-dto.js';
import { ApiIdempotencyKey, ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, HEADERS, invalidRequest, notFound, POST_PROBLEMS, PROBLEMS } from '../openapi/api-docs.js';
import { CREATED_PARTNER_EXAMPLE, CreatedPartnerView, PARTNER_EXAMPLE, PARTNER_KEY_EXAMPLE, PARTNER_SETTINGS_EXAMPLE, PartnerKeyView, PartnerListView, PartnerSettingsView, PartnerView as PartnerViewDoc, REVOKED_PARTNER_EXAMPLE, RevokedPartnerView } from './partner-views.js';

const settingsView = (id: string, settings: PartnerSettings) => ({
  id,
  weight: settings.weight,
  rate_limit_per_second: settings.ratePerSecond,
  rate_limit_burst: settings.burst,
  max_backlog: settings.maxBacklog,
});

const NO_SETTINGS: PartnerSettings = { weight: null, ratePerSecond: null, burst: null, maxBacklog: null };

type PartnerView = PartnerSummary & Omit<ReturnType<typeof settingsView>, 'id'>;

/** A partner with its dispatch weight and limits (null: the gateway's default), as the list and GET show it. */
const withSettings = (partner: PartnerSummary, settings: Map<string, PartnerSettings>): PartnerView => ({
  ...partner,
  ...settingsView(partner.id, settings.get(partner.id) ?? NO_SETTINGS),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const noSuchPartner = () => new GatewayError('not_found', 404, 'No such active partner');

/** Admin only: keys are shown once, in the response that creates them, and stored as hashes. */
@Controller('v1/partners')
@UseGuards(ApiAuthGuard)
@AllowRoles('admin')
@ApiV1Controller('partners')
@ApiProblems(PROBLEMS.unauthenticated, PROBLEMS.forbidden, PROBLEMS.databaseUnavailable)
export class PartnersController {
  private readonly scrub: (text: string) => string;

  constructor(
    private readonly partners: PartnersRepository,
    private readonly keys: KeyAuthenticator,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  @Post()
  @ShownOnce('key')
  @ApiV1Operation({ id: 'createPartner', summary: 'Create a partner and its first key', roles: ['admin'], description: 'The key is in this answer only; the gateway keeps its hash.' })
  @ApiIdempotencyKey()
  @ApiJsonResponse(201, CreatedPartnerView, { description: 'Created', example: CREATED_PARTNER_EXAMPLE, headers: { Location: HEADERS.location, 'Idempotent-Replayed': HEADERS.idempotentReplayed } })
  @ApiProblems(invalidRequest('accounts', 'a partner needs at least one CleverTap account in "accounts"'), ...POST_PROBLEMS)
  async create(@Body(strictValidation) body: CreatePartnerBody, @Res({ passthrough: true }) reply: FastifyReply) {
    const role = body.role ?? 'partner';
    const accounts = body.accounts ?? [];
    // The name and accounts are listed, logged with every event and exported.
    refuseSecrets({ name: body.name, accounts }, this.scrub, 'The partner');
    if (role === 'partner' && accounts.length === 0)
      throw invalidField('accounts', 'a partner needs at least one CleverTap account in "accounts"');
    const created = await this.partners.create(body.name, role, accounts);
    reply.header('Location', `/v1/partners/${created.id}`);
    return { id: created.id, key: created.key, name: body.name, role, accounts };
  }

  /** Each partner with its dispatch weight and ingress limits (null: the configured default). */
  @Get()
  @ApiV1Operation({ id: 'listPartners', summary: 'List partners', roles: ['admin'] })
  @ApiJsonResponse(200, PartnerListView, { description: 'Every partner, with the prefixes of its active keys', example: { data: [PARTNER_EXAMPLE] } })
  async list(): Promise<{ data: PartnerView[] }> {
    const [partners, settings] = await Promise.all([this.partners.list(), this.partners.allSettings()]);
    return { data: partners.map((partner) => withSettings(partner, settings)) };
  }

  /** The partner as listed, revoked or not; never its keys, only their prefixes. */
  @Get(':id')
  @ApiV1Operation({ id: 'getPartner', summary: 'One partner', roles: ['admin'], description: 'The partner as in the list, revoked or not, without keys.' })
  @ApiJsonResponse(200, PartnerViewDoc, { description: 'The partner', example: PARTNER_EXAMPLE })
  @ApiProblems(notFound('No such partner'))
  async get(@Param('id') id: string): Promise<PartnerView> {
    const partner = isUuid(id) ? await this.partners.get(id) : undefined;
    if (!partner) throw new GatewayError('not_found', 404, 'No such partner');
    return withSettings(partner, await this.partners.allSettings());
  }

  /** A second key for the partner, so it can rotate without downtime; revoke the partner to cut all keys. */
  @Post(':id/keys')
  @ShownOnce('key')
  @ApiV1Operation({ id: 'addPartnerKey', summary: 'Add a key to a partner (rotation)', roles: ['admin'], description: 'The partner keeps its other keys until it is revoked; the new key is in this answer only.' })
  @ApiIdempotencyKey()
  @ApiJsonResponse(201, PartnerKeyView, { description: 'The new key', example: PARTNER_KEY_EXAMPLE, headers: { Location: HEADERS.location, 'Idempotent-Replayed': HEADERS.idempotentReplayed } })
  @ApiProblems(notFound('No such active partner'), ...POST_PROBLEMS)
  async addKey(@Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const key = isUuid(id) ? await this.partners.addKey(id) : undefined;
    if (!key) throw noSuchPartner();
    reply.header('Location', `/v1/partners/${id}`);
    return { id, key };
  }

  /** Dispatch weight and ingress limits; they apply to every gateway process within about a second. */
  @Patch(':id')
  @ApiV1Operation({ id: 'updatePartnerSettings', summary: "Set a partner's dispatch weight and ingress limits", roles: ['admin'], description: 'They apply to every gateway process within about a second.' })
  @ApiJsonResponse(200, PartnerSettingsView, { description: 'The settings now in force', example: PARTNER_SETTINGS_EXAMPLE })
  @ApiProblems(invalidRequest('weight', 'weight must not be greater than 100'), notFound('No such active partner'), PROBLEMS.invalidBody, PROBLEMS.payloadTooLarge, PROBLEMS.unsupportedMediaType)
  async updateSettings(@Param('id') id: string, @Body(strictValidation) body: PartnerSettingsBody) {
    const patch: Partial<PartnerSettings> = {};
    if (body.weight !== undefined) patch.weight = body.weight;
    if (body.rate_limit_per_second !== undefined) patch.ratePerSecond = body.rate_limit_per_second;
    if (body.rate_limit_burst !== undefined) patch.burst = body.rate_limit_burst;
    if (body.max_backlog !== undefined) patch.maxBacklog = body.max_backlog;
    const settings = UUID.test(id) ? await this.partners.updateSettings(id, patch) : undefined;
    if (!settings) throw noSuchPartner();
    return settingsView(id, settings);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiV1Operation({ id: 'revokePartner', summary: 'Revoke a partner and all its keys', roles: ['admin'], description: 'At once on every gateway process.' })
  @ApiIdempotencyKey()
  @ApiJsonResponse(200, RevokedPartnerView, { description: 'Revoked', example: REVOKED_PARTNER_EXAMPLE, headers: { 'Idempotent-Replayed': HEADERS.idempotentReplayed } })
  @ApiProblems(notFound('No such active partner'), PROBLEMS.invalidIdempotencyKey, PROBLEMS.idempotencyInProgress, PROBLEMS.idempotencyReused)
  async revoke(@Param('id') id: string) {
    if (!isUuid(id) || !(await this.partners.revoke(id))) throw noSuchPartner();
    this.keys.forgetAll(); // other processes hear the NOTIFY; this one must not wait for it
    return { id, revoked: true };
  }
}
