import { Controller, Get } from '@nestjs/common';
import { OperationGroup } from '../../http/openapi-routes';
import type { Principal } from '../../shared/identity';
import { CurrentPrincipal } from './auth.guard';

/** Any key's own identity: a client (the handover desk) learns which screens its key opens without being told a role. */
@OperationGroup('Keys')
@Controller('me')
export class MeController {
  @Get()
  whoami(@CurrentPrincipal() { role, partyId, keyId }: Principal): Principal {
    return { keyId, role, ...(partyId ? { partyId } : {}) };
  }
}
