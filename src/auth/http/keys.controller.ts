import { BadRequestException, Body, Controller, Delete, Get, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { IsIn } from 'class-validator';
import { actorOf, ROLES, type Principal, type Role } from '../../shared/identity';
import { IsIdentifier, IsOptionalNotNull, IsText } from '../../http/validators';
import { problem } from '../../http/problem-details';
import { ApiKeys, KeyRequestError } from '../api-keys';
import { CurrentPrincipal, Roles } from './auth.guard';

export class IssueKeyDto {
  @IsIn(ROLES) role!: Role;
  /** For brand and operator keys: the party the key acts for. */
  @IsOptionalNotNull() @IsIdentifier() partyId?: string;
  /** Who or what holds the key, for the list. */
  @IsText() label!: string;
}

/** Admin-only key management: issue (the key is shown once), list, revoke (at once). */
@Controller('admin/keys')
@Roles('admin')
export class KeysController {
  constructor(@Inject(ApiKeys) private readonly keys: ApiKeys) {}

  @Post()
  async issue(@Body() body: IssueKeyDto, @CurrentPrincipal() admin: Principal) {
    try {
      return await this.keys.issue(body, actorOf(admin));
    } catch (error) {
      if (error instanceof KeyRequestError) throw new BadRequestException(problem(400, error.code, error.message));
      throw error;
    }
  }

  @Get()
  async list() {
    return { keys: await this.keys.list() };
  }

  @Delete(':keyId')
  async revoke(@Param('keyId') keyId: string, @CurrentPrincipal() admin: Principal) {
    if (!/^[0-9a-f]{16}$/.test(keyId) || !(await this.keys.revoke(keyId, actorOf(admin)))) {
      throw new NotFoundException(problem(404, 'keys.not_found', 'There is no such key.'));
    }
    return { keyId, revoked: true };
  }
}
