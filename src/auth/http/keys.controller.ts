import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { IsIn } from 'class-validator';
import { ROLES, type Principal, type Role } from '../../shared/identity';
import { IsIdentifier, IsOptionalNotNull, IsText } from '../../http/validators';
import { IssueKeyCommand, ListKeysQuery, RevokeKeyCommand } from '../key-bus';
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
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post()
  issue(@Body() body: IssueKeyDto, @CurrentPrincipal() admin: Principal) {
    return this.commandBus.execute(new IssueKeyCommand(body, admin));
  }

  @Get()
  async list() {
    return { keys: await this.queryBus.execute(new ListKeysQuery()) };
  }

  @Delete(':keyId')
  async revoke(@Param('keyId') keyId: string, @CurrentPrincipal() admin: Principal) {
    await this.commandBus.execute(new RevokeKeyCommand(keyId, admin));
    return { keyId, revoked: true };
  }
}
