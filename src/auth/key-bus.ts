import { Inject } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Refusal } from '../shared/errors';
import { actorOf, type Principal } from '../shared/identity';
import { ApiKeys, type IssuedKey, type KeyRecord, type KeyRequest } from './api-keys';

/** Key management as bus messages, one handler each; the admin who asks is recorded as the actor. */

/** No key has this id (or the id is not one a key could have). */
export class KeyNotFoundError extends Refusal {
  readonly code = 'keys.not_found';
  readonly category = 'not_found';
  constructor() {
    super('There is no such key.');
  }
}

/** Issues a key; the answer holds the key itself, this once. */
export class IssueKeyCommand extends Command<IssuedKey> {
  constructor(
    readonly request: KeyRequest,
    readonly admin: Principal,
  ) {
    super();
  }
}

/** Revokes a key at once, everywhere; revoking a revoked key changes nothing. */
export class RevokeKeyCommand extends Command<void> {
  constructor(
    readonly keyId: string,
    readonly admin: Principal,
  ) {
    super();
  }
}

/** Every key ever issued, revoked ones included, without their hashes. */
export class ListKeysQuery extends Query<KeyRecord[]> {}

@CommandHandler(IssueKeyCommand)
export class IssueKeyCommandHandler implements ICommandHandler<IssueKeyCommand, IssuedKey> {
  constructor(@Inject(ApiKeys) private readonly keys: ApiKeys) {}

  execute({ request, admin }: IssueKeyCommand): Promise<IssuedKey> {
    return this.keys.issue(request, actorOf(admin));
  }
}

@CommandHandler(RevokeKeyCommand)
export class RevokeKeyCommandHandler implements ICommandHandler<RevokeKeyCommand, void> {
  constructor(@Inject(ApiKeys) private readonly keys: ApiKeys) {}

  async execute({ keyId, admin }: RevokeKeyCommand): Promise<void> {
    // An id no key could have is answered without reading the keys stream.
    if (!/^[0-9a-f]{16}$/.test(keyId) || !(await this.keys.revoke(keyId, actorOf(admin)))) throw new KeyNotFoundError();
  }
}

@QueryHandler(ListKeysQuery)
export class ListKeysQueryHandler implements IQueryHandler<ListKeysQuery, KeyRecord[]> {
  constructor(@Inject(ApiKeys) private readonly keys: ApiKeys) {}

  execute(): Promise<KeyRecord[]> {
    return this.keys.list();
  }
}
