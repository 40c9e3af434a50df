import { CreateEventLog1764172800000 } from './1764172800000-CreateEventLog.js';
import { CreateAccountCircuits1764176400000 } from './1764176400000-CreateAccountCircuits.js';
import { CreateAuditChain1764180000000 } from './1764180000000-CreateAuditChain.js';
import { CreateReplays1764183600000 } from './1764183600000-CreateReplays.js';
import { CreateAuditVerifications1764187200000 } from './1764187200000-CreateAuditVerifications.js';
import { IndexAuditFilters1764190800000 } from './1764190800000-IndexAuditFilters.js';
import { IndexAuditByStatus1764194400000 } from './1764194400000-IndexAuditByStatus.js';
import { DropEventStatusForeignKey1764198000000 } from './1764198000000-DropEventStatusForeignKey.js';
import { CreateAuditTree1764201600000 } from './1764201600000-CreateAuditTree.js';
import { TenantDispatch1764205200000 } from './1764205200000-TenantDispatch.js';
import { EventTraceparent1764208800000 } from './1764208800000-EventTraceparent.js';
import { CreateApiIdempotencyKeys1764212400000 } from './1764212400000-CreateApiIdempotencyKeys.js';
import { IndexFirstAttempts1764216000000 } from './1764216000000-IndexFirstAttempts.js';
import { StatusChecks1764230400000 } from './1764230400000-StatusChecks.js';
import { EventStatusFillfactor1764234000000 } from './1764234000000-EventStatusFillfactor.js';
import { PayloadErasures1764244800000 } from './1764244800000-PayloadErasures.js';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests run the same set. */
export const migrations = [
  CreateEventLog1764172800000,
  CreateAccountCircuits1764176400000,
  CreateAuditChain1764180000000,
  CreateReplays1764183600000,
  CreateAuditVerifications1764187200000,
  IndexAuditFilters1764190800000,
  IndexAuditByStatus1764194400000,
  DropEventStatusForeignKey1764198000000,
  CreateAuditTree1764201600000,
  TenantDispatch1764205200000,
  EventTraceparent1764208800000,
  CreateApiIdempotencyKeys1764212400000,
  IndexFirstAttempts1764216000000,
  StatusChecks1764230400000,
  EventStatusFillfactor1764234000000,
  PayloadErasures1764244800000,
];
